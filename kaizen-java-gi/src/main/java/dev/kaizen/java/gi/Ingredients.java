package dev.kaizen.java.gi;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.LiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.SuperExpr;
import com.github.javaparser.ast.expr.SwitchExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.TypePatternExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.BreakStmt;
import com.github.javaparser.ast.stmt.ContinueStmt;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.SwitchStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import com.github.javaparser.ast.stmt.EmptyStmt;
import com.github.javaparser.ast.stmt.ExplicitConstructorInvocationStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.LabeledStmt;
import com.github.javaparser.ast.stmt.LocalClassDeclarationStmt;
import com.github.javaparser.ast.stmt.LocalRecordDeclarationStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.ThrowStmt;
import com.github.javaparser.ast.stmt.UnparsableStmt;
import com.github.javaparser.ast.stmt.YieldStmt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GenProg's fix ingredients: the statements and the side-effect-free typed expressions of every
 * Java file of the target, fixed text included, as the parent renders it and as the target's
 * original program had it (so code an edit deleted can come back), each with what it needs
 * from the place it is copied to (the variables it reads and their types where it came from, the
 * methods it calls without a receiver, {@code this}). Built once per parsed parent.
 */
final class Ingredients {

    static final int MAX_STATEMENT_CHARS = 400;
    static final int MAX_STATEMENT_LINES = 12;
    static final int MAX_EXPRESSION_CHARS = 60;

    /** How a statement leaves the normal flow, if it does. */
    enum Jump { NONE, RETURN_VOID, RETURN_VALUE, BREAK, CONTINUE, THROW }

    /**
     * What code needs from its destination: variables by name with their type at the origin
     * ({@link LocalTypes#UNKNOWN} if not known), names it could not resolve at the origin (taken
     * for type names when capitalized), methods called without a receiver, and the class whose
     * {@code this} it uses (empty when none).
     */
    record Needs(Map<String, String> names, Set<String> unresolved, Set<String> calls, String thisType) {}

    /**
     * A statement to copy: its text and indentation, where it came from, what it needs, the locals
     * it declares at its own level and anywhere inside, how it jumps, and the returns and escaping
     * {@code break}/{@code continue} nested in it (a return type, {@code void} for a bare return).
     */
    record StatementIngredient(Statement node, String text, String indent, String origin, Needs needs, Set<String> declares,
                               Set<String> declaresInside, Jump jump, String returnType, Set<String> nestedReturns,
                               boolean escapingBreak, boolean escapingContinue) {}

    record ExpressionIngredient(Expression node, String text, String type, String origin, Needs needs) {}

    private Ingredients() {}

    static List<StatementIngredient> statements(ParsedProgram program) {
        return program.memo("ingredients.statements", () -> indexStatements(program));
    }

    static List<ExpressionIngredient> expressions(ParsedProgram program) {
        return program.memo("ingredients.expressions", () -> indexExpressions(program));
    }

    private static List<StatementIngredient> indexStatements(ParsedProgram program) {
        List<StatementIngredient> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        addStatements(program, "", seen, out);
        if (program.original() != program) {
            addStatements(program.original(), "original ", seen, out);
        }
        return List.copyOf(out);
    }

    private static void addStatements(ParsedProgram source, String label, Set<String> seen, List<StatementIngredient> out) {
        for (ParsedProgram.JavaFile file : source.files()) {
            for (Statement s : file.unit().findAll(Statement.class)) {
                if (!copyable(s) || s.getParentNode().orElse(null) instanceof LambdaExpr) {
                    continue;
                }
                ParsedProgram.Span span = source.span(s).orElse(null);
                if (span == null) {
                    continue;
                }
                String text = span.text();
                if (text.length() > MAX_STATEMENT_CHARS || text.lines().count() > MAX_STATEMENT_LINES || !seen.add(text)) {
                    continue;
                }
                String returnType = s instanceof ReturnStmt r && r.getExpression().isPresent()
                        ? source.types().of(r.getExpression().get()) : LocalTypes.UNKNOWN;
                Set<String> nestedReturns = new LinkedHashSet<>();
                for (ReturnStmt r : s.findAll(ReturnStmt.class)) {
                    if (r != s && ownCode(r, s)) {
                        nestedReturns.add(r.getExpression().map(e -> source.types().of(e)).orElse("void"));
                    }
                }
                boolean escapingBreak = s.findAll(BreakStmt.class).stream().anyMatch(b -> b != s && ownCode(b, s) && escapes(b, s));
                boolean escapingContinue = s.findAll(ContinueStmt.class).stream().anyMatch(c -> c != s && ownCode(c, s) && escapes(c, s));
                Set<String> inside = new LinkedHashSet<>();
                s.findAll(VariableDeclarator.class).forEach(d -> inside.add(d.getNameAsString()));
                s.findAll(Parameter.class).forEach(p -> inside.add(p.getNameAsString()));
                s.findAll(TypePatternExpr.class).forEach(p -> inside.add(p.getNameAsString()));
                out.add(new StatementIngredient(s, text, file.lines().indentAt(span.start()), label + span.where(),
                        needs(source, s), declares(s), inside, jump(s), returnType, nestedReturns, escapingBreak, escapingContinue));
            }
        }
    }

    private static List<ExpressionIngredient> indexExpressions(ParsedProgram program) {
        List<ExpressionIngredient> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        addExpressions(program, "", seen, out);
        if (program.original() != program) {
            addExpressions(program.original(), "original ", seen, out);
        }
        return List.copyOf(out);
    }

    private static void addExpressions(ParsedProgram source, String label, Set<String> seen, List<ExpressionIngredient> out) {
        for (ParsedProgram.JavaFile file : source.files()) {
            for (Expression e : file.unit().findAll(Expression.class)) {
                if (!pure(e) || Statements.hasAncestor(e, AnnotationExpr.class, null)) {
                    continue;
                }
                ParsedProgram.Span span = source.span(e).orElse(null);
                if (span == null) {
                    continue;
                }
                String text = span.text();
                if (text.length() > MAX_EXPRESSION_CHARS || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                    continue;
                }
                String type = source.types().of(e);
                if (type.equals(LocalTypes.UNKNOWN) || !seen.add(type + " " + text)) {
                    continue;
                }
                out.add(new ExpressionIngredient(e, text, type, label + span.where(), needs(source, e)));
            }
        }
    }

    /** Whether {@code n} belongs to the code of {@code root} itself, not to a lambda or class declared in it. */
    private static boolean ownCode(Node n, Node root) {
        for (Node p = n.getParentNode().orElse(null); p != null && p != root; p = p.getParentNode().orElse(null)) {
            if (p instanceof LambdaExpr || p instanceof TypeDeclaration<?> || p instanceof ObjectCreationExpr) {
                return false;
            }
        }
        return true;
    }

    /** Whether a {@code break} or {@code continue} inside {@code root} targets a loop or switch outside it. */
    static boolean escapes(Statement jump, Node root) {
        for (Node p = jump.getParentNode().orElse(null); p != null && p != root; p = p.getParentNode().orElse(null)) {
            if (p instanceof ForStmt || p instanceof ForEachStmt || p instanceof WhileStmt || p instanceof DoStmt
                    || (jump instanceof BreakStmt && p instanceof SwitchStmt)) {
                return false;
            }
        }
        if (root instanceof ForStmt || root instanceof ForEachStmt || root instanceof WhileStmt || root instanceof DoStmt) {
            return false;
        }
        return !(jump instanceof BreakStmt && root instanceof SwitchStmt);
    }

    /** Statements worth copying: not blocks, declarations of classes, labels, yields or empty statements. */
    static boolean copyable(Statement s) {
        return !(s instanceof BlockStmt || s instanceof LocalClassDeclarationStmt || s instanceof LocalRecordDeclarationStmt
                || s instanceof ExplicitConstructorInvocationStmt || s instanceof EmptyStmt || s instanceof LabeledStmt
                || s instanceof YieldStmt || s instanceof UnparsableStmt);
    }

    /** Expression kinds offered as replacements: reads and computations, nothing that assigns, allocates or defines code. */
    static boolean pure(Expression e) {
        boolean kind = e instanceof NameExpr || (e instanceof LiteralExpr && !(e instanceof NullLiteralExpr)) || e instanceof BinaryExpr
                || e instanceof UnaryExpr || e instanceof ArrayAccessExpr || e instanceof FieldAccessExpr
                || e instanceof MethodCallExpr || e instanceof ConditionalExpr || e instanceof CastExpr;
        if (!kind) {
            return false;
        }
        for (Node n : e.findAll(Node.class)) {
            if (n instanceof AssignExpr || n instanceof ObjectCreationExpr || n instanceof LambdaExpr || n instanceof ArrayCreationExpr
                    || n instanceof SwitchExpr || n instanceof MethodReferenceExpr
                    || (n instanceof UnaryExpr u && Statements.isIncrement(u))) {
                return false;
            }
        }
        return true;
    }

    static Jump jump(Statement s) {
        return switch (s) {
            case ReturnStmt r -> r.getExpression().isPresent() ? Jump.RETURN_VALUE : Jump.RETURN_VOID;
            case BreakStmt b -> Jump.BREAK;
            case ContinueStmt c -> Jump.CONTINUE;
            case ThrowStmt t -> Jump.THROW;
            default -> Jump.NONE;
        };
    }

    /** The local variables a statement declares at its own level. */
    static Set<String> declares(Statement s) {
        Set<String> names = new LinkedHashSet<>();
        if (s instanceof ExpressionStmt es && es.getExpression() instanceof VariableDeclarationExpr v) {
            v.getVariables().forEach(d -> names.add(d.getNameAsString()));
        }
        return names;
    }

    /** What {@code node} needs from wherever it is put. */
    static Needs needs(ParsedProgram program, Node node) {
        Set<String> inside = new HashSet<>();
        node.findAll(VariableDeclarator.class).forEach(d -> inside.add(d.getNameAsString()));
        node.findAll(Parameter.class).forEach(p -> inside.add(p.getNameAsString()));
        node.findAll(TypePatternExpr.class).forEach(p -> inside.add(p.getNameAsString()));
        Map<String, String> names = new LinkedHashMap<>();
        Set<String> unresolved = new LinkedHashSet<>();
        for (NameExpr n : node.findAll(NameExpr.class)) {
            String name = n.getNameAsString();
            if (inside.contains(name) || names.containsKey(name)) {
                continue;
            }
            program.types().lookup(n, name).ifPresentOrElse(v -> names.put(name, v.type()), () -> unresolved.add(name));
        }
        Set<String> calls = new LinkedHashSet<>();
        node.findAll(MethodCallExpr.class).forEach(m -> {
            if (m.getScope().isEmpty()) {
                calls.add(m.getNameAsString());
            }
        });
        boolean usesThis = !node.findAll(ThisExpr.class).isEmpty() || !node.findAll(SuperExpr.class).isEmpty();
        String thisType = usesThis ? Statements.enclosingTypeName(node).orElse("?") : "";
        return new Needs(names, unresolved, calls, thisType);
    }

    /** Whether code with these needs would find them at {@code dest}: same-named variables of the same types, methods, {@code this}. */
    static boolean fits(ParsedProgram program, Needs needs, Node dest) {
        for (Map.Entry<String, String> e : needs.names().entrySet()) {
            LocalTypes.Var v = program.types().lookup(dest, e.getKey()).orElse(null);
            if (v == null) {
                return false;
            }
            String want = e.getValue();
            if (!want.equals(LocalTypes.UNKNOWN) && !v.type().equals(LocalTypes.UNKNOWN) && !want.equals(v.type())) {
                return false;
            }
        }
        for (String name : needs.unresolved()) {
            if (!Character.isUpperCase(name.charAt(0))) {
                return false;
            }
        }
        boolean isStatic = LocalTypes.staticContext(dest);
        for (String call : needs.calls()) {
            if (!declaredMethod(dest, call, isStatic)) {
                return false;
            }
        }
        if (!needs.thisType().isEmpty()) {
            String destType = Statements.enclosingTypeName(dest).orElse("");
            if (isStatic || !destType.equals(needs.thisType())) {
                return false;
            }
        }
        return true;
    }

    private static boolean declaredMethod(Node at, String name, boolean staticOnly) {
        for (Node p = at.getParentNode().orElse(null); p != null; p = p.getParentNode().orElse(null)) {
            if (p instanceof TypeDeclaration<?> type) {
                boolean found = type.getMethodsByName(name).stream().anyMatch(m -> !staticOnly || m.isStatic());
                if (found) {
                    return true;
                }
            }
        }
        return false;
    }
}
