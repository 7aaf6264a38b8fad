package dev.kaizen.java.gi;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.InitializerDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.SwitchEntry;
import com.github.javaparser.ast.stmt.SwitchStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import com.github.javaparser.ast.expr.SwitchExpr;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Facts about statements and their surroundings that the edits use to stay compilable. */
final class Statements {

    private Statements() {}

    /** The statement list (block or {@code case ...:} group) that holds {@code s} directly. */
    static Optional<NodeList<Statement>> list(Statement s) {
        Node parent = s.getParentNode().orElse(null);
        if (parent instanceof BlockStmt b) {
            return Optional.of(b.getStatements());
        }
        if (parent instanceof SwitchEntry e && e.getType() == SwitchEntry.Type.STATEMENT_GROUP && contains(e.getStatements(), s)) {
            return Optional.of(e.getStatements());
        }
        return Optional.empty();
    }

    static int indexOf(List<? extends Node> list, Node node) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == node) {
                return i;
            }
        }
        return -1;
    }

    static boolean contains(List<? extends Node> list, Node node) {
        return indexOf(list, node) >= 0;
    }

    static boolean isLast(Statement s) {
        return list(s).map(l -> indexOf(l, s) == l.size() - 1).orElse(false);
    }

    /** The method, constructor, initializer or lambda whose code holds {@code node}. */
    static Optional<Node> callable(Node node) {
        for (Node p = node.getParentNode().orElse(null); p != null; p = p.getParentNode().orElse(null)) {
            if (p instanceof CallableDeclaration<?> || p instanceof LambdaExpr || p instanceof InitializerDeclaration) {
                return Optional.of(p);
            }
            if (p instanceof TypeDeclaration<?>) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Whether removing or replacing {@code s} would likely leave a method without its final
     * {@code return}: it is the last statement of the body of a non-void method or of a lambda
     * block that returns a value.
     */
    static boolean endsValueBody(Statement s) {
        Node parent = s.getParentNode().orElse(null);
        if (!(parent instanceof BlockStmt body) || !isLast(s)) {
            return false;
        }
        Node owner = body.getParentNode().orElse(null);
        if (owner instanceof MethodDeclaration m) {
            return !m.getType().isVoidType();
        }
        if (owner instanceof LambdaExpr l) {
            return !l.findAll(com.github.javaparser.ast.stmt.ReturnStmt.class, r -> r.getExpression().isPresent()).isEmpty();
        }
        return false;
    }

    /** The declared return type of the method around {@code node}, {@code void} for constructors and initializers, empty in lambdas. */
    static Optional<String> returnType(Node node) {
        return callable(node).flatMap(c -> switch (c) {
            case MethodDeclaration m -> Optional.of(m.getType().isVoidType() ? "void" : LocalTypes.normalize(m.getType()));
            case ConstructorDeclaration k -> Optional.of("void");
            case InitializerDeclaration i -> Optional.of("void");
            default -> Optional.empty();
        });
    }

    /** Whether a {@code break} ({@code loopOnly}: a {@code continue}) at {@code node} has a target within its method. */
    static boolean insideLoop(Node node, boolean loopOnly) {
        for (Node p = node.getParentNode().orElse(null); p != null; p = p.getParentNode().orElse(null)) {
            if (p instanceof ForStmt || p instanceof ForEachStmt || p instanceof WhileStmt || p instanceof DoStmt) {
                return true;
            }
            if (!loopOnly && p instanceof SwitchStmt) {
                return true;
            }
            if (p instanceof SwitchExpr || p instanceof CallableDeclaration<?> || p instanceof LambdaExpr || p instanceof TypeDeclaration<?>) {
                return false;
            }
        }
        return false;
    }

    /** Every local and parameter name declared anywhere in the callable around {@code node}. */
    static Set<String> namesInCallable(Node node) {
        Set<String> names = new HashSet<>();
        callable(node).ifPresent(c -> {
            c.findAll(VariableDeclarator.class).forEach(d -> names.add(d.getNameAsString()));
            c.findAll(Parameter.class).forEach(p -> names.add(p.getNameAsString()));
        });
        return names;
    }

    /** Whether any of {@code names} is read or written (as a simple name) in {@code node}. */
    static boolean uses(Node node, Set<String> names) {
        if (names.isEmpty()) {
            return false;
        }
        for (NameExpr n : node.findAll(NameExpr.class)) {
            if (names.contains(n.getNameAsString())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a variable declared by {@code s} is used by a later statement of its list. */
    static boolean declarationUsedLater(Statement s) {
        Set<String> names = Ingredients.declares(s);
        if (names.isEmpty()) {
            return false;
        }
        NodeList<Statement> list = list(s).orElse(null);
        if (list == null) {
            return true;
        }
        for (int i = indexOf(list, s) + 1; i < list.size(); i++) {
            if (uses(list.get(i), names)) {
                return true;
            }
        }
        return false;
    }

    static boolean isIncrement(UnaryExpr u) {
        return switch (u.getOperator()) {
            case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT -> true;
            default -> false;
        };
    }

    /** Whether {@code e} is written to: an assignment target or the operand of {@code ++}/{@code --}. */
    static boolean isWritten(Expression e) {
        Node parent = e.getParentNode().orElse(null);
        return (parent instanceof AssignExpr a && a.getTarget() == e) || (parent instanceof UnaryExpr u && isIncrement(u));
    }

    /** Whether {@code e} is a {@code case} label or inside one (a constant is required there). */
    static boolean inCaseLabel(Expression e) {
        Node child = e;
        for (Node p = e.getParentNode().orElse(null); p != null; child = p, p = p.getParentNode().orElse(null)) {
            if (p instanceof SwitchEntry entry) {
                return contains(entry.getLabels(), child);
            }
            if (p instanceof Statement) {
                return false;
            }
        }
        return false;
    }

    /** Whether some ancestor of {@code node}, below {@code stop} (exclusive; null for the root), is a {@code type}. */
    static boolean hasAncestor(Node node, Class<?> type, Node stop) {
        for (Node p = node.getParentNode().orElse(null); p != null && p != stop; p = p.getParentNode().orElse(null)) {
            if (type.isInstance(p)) {
                return true;
            }
        }
        return false;
    }

    static Optional<String> enclosingTypeName(Node node) {
        for (Node p = node.getParentNode().orElse(null); p != null; p = p.getParentNode().orElse(null)) {
            if (p instanceof TypeDeclaration<?> t) {
                return Optional.of(t.getNameAsString());
            }
        }
        return Optional.empty();
    }
}
