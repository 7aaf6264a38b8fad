package dev.kaizen.java.gi;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import dev.kaizen.java.gi.ParsedProgram.Span;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Edits of operators: a binary operator for another of its family, and unary operators changed, removed or added. */
final class OperatorEdits {

    static final Set<BinaryExpr.Operator> ARITHMETIC = EnumSet.of(BinaryExpr.Operator.PLUS, BinaryExpr.Operator.MINUS,
            BinaryExpr.Operator.MULTIPLY, BinaryExpr.Operator.DIVIDE, BinaryExpr.Operator.REMAINDER);
    static final Set<BinaryExpr.Operator> ORDER = EnumSet.of(BinaryExpr.Operator.LESS, BinaryExpr.Operator.LESS_EQUALS,
            BinaryExpr.Operator.GREATER, BinaryExpr.Operator.GREATER_EQUALS);
    static final Set<BinaryExpr.Operator> EQUALITY = EnumSet.of(BinaryExpr.Operator.EQUALS, BinaryExpr.Operator.NOT_EQUALS);
    static final Set<BinaryExpr.Operator> LOGICAL = EnumSet.of(BinaryExpr.Operator.AND, BinaryExpr.Operator.OR);
    static final Set<BinaryExpr.Operator> BITWISE = EnumSet.of(BinaryExpr.Operator.BINARY_AND, BinaryExpr.Operator.BINARY_OR,
            BinaryExpr.Operator.XOR);
    static final Set<BinaryExpr.Operator> SHIFT = EnumSet.of(BinaryExpr.Operator.LEFT_SHIFT, BinaryExpr.Operator.SIGNED_RIGHT_SHIFT,
            BinaryExpr.Operator.UNSIGNED_RIGHT_SHIFT);

    private OperatorEdits() {}

    /**
     * The operators {@code b}'s could become, by family and operand kinds: arithmetic
     * ({@code + - * / %}) never on strings or booleans, and {@code +} only when an operand is known
     * to be a number (else it may be a concatenation); ordering ({@code < <= > >=}) among
     * themselves, and with {@code == !=} only when both operands are known numbers; logical
     * ({@code && ||}); bitwise and shifts ({@code & | ^ << >> >>>}) on integers or unknown operands,
     * only {@code & | ^} on booleans, none on floating point. Unknown operand types are allowed
     * wherever the operator itself says they are numbers (ordering, shifts, {@code - * / %}).
     */
    static List<BinaryExpr.Operator> alternatives(ParsedProgram program, BinaryExpr b) {
        String l = program.types().of(b.getLeft());
        String r = program.types().of(b.getRight());
        boolean numbers = LocalTypes.isNumeric(l) && LocalTypes.isNumeric(r);
        boolean bools = LocalTypes.isBoolean(l) || LocalTypes.isBoolean(r);
        boolean strings = LocalTypes.isString(l) || LocalTypes.isString(r);
        boolean floating = LocalTypes.isFloating(l) || LocalTypes.isFloating(r);
        BinaryExpr.Operator op = b.getOperator();
        EnumSet<BinaryExpr.Operator> out = EnumSet.noneOf(BinaryExpr.Operator.class);
        if (ARITHMETIC.contains(op)) {
            boolean plusSafe = op != BinaryExpr.Operator.PLUS || LocalTypes.isNumeric(l) || LocalTypes.isNumeric(r);
            if (!strings && !bools && plusSafe) {
                out.addAll(ARITHMETIC);
            }
        } else if (ORDER.contains(op)) {
            out.addAll(ORDER);
            if (numbers) {
                out.addAll(EQUALITY);
            }
        } else if (EQUALITY.contains(op)) {
            out.addAll(EQUALITY);
            if (numbers) {
                out.addAll(ORDER);
            }
        } else if (LOGICAL.contains(op)) {
            out.addAll(LOGICAL);
        } else if (!floating && !strings) {
            out.addAll(BITWISE);
            if (!bools) {
                out.addAll(SHIFT);
            }
        }
        out.remove(op);
        return new ArrayList<>(out);
    }

    /**
     * The text of {@code b} with its operator replaced, keeping the spacing, and parenthesized
     * (operands or the whole) where the new operator's precedence would regroup the tree. Empty
     * when the operator token cannot be found unambiguously between the operands.
     */
    static Optional<String> withOperator(ParsedProgram program, BinaryExpr b, BinaryExpr.Operator op) {
        Span sl = program.spanOf(b.getLeft());
        Span sr = program.spanOf(b.getRight());
        String between = sl.file().text().substring(sl.end(), sr.start());
        String sym = b.getOperator().asString();
        int at = between.indexOf(sym);
        if (at < 0 || between.indexOf(sym, at + 1) >= 0) {
            return Optional.empty();
        }
        String newSym = op.asString();
        int prec = Precedence.of(op);
        String left = Precedence.wrap(sl.text(), Precedence.of(b.getLeft()) < prec);
        String right = Precedence.wrap(sr.text(), Precedence.of(b.getRight()) <= prec);
        String pre = between.substring(0, at);
        String post = between.substring(at + sym.length());
        if (post.isEmpty() && mergesWith(newSym.charAt(newSym.length() - 1), right.charAt(0))) {
            post = " ";
        }
        if (pre.isEmpty() && mergesWith(left.charAt(left.length() - 1), newSym.charAt(0))) {
            pre = " ";
        }
        return Optional.of(Precedence.fit(b, left + pre + newSym + post + right, prec));
    }

    /** Whether two characters side by side would lex as one token ({@code - -} as {@code --}, {@code / *} as a comment). */
    static boolean mergesWith(char a, char b) {
        return (a == b && "+-&|<>=".indexOf(a) >= 0) || (a == '/' && (b == '*' || b == '/')) || b == '=';
    }

    /** {@code java.binop}: a binary operator for another of its family. */
    static final class Binary implements Mutation {
        @Override
        public List<BinaryExpr> sites(ParsedProgram program) {
            List<BinaryExpr> out = new ArrayList<>();
            for (BinaryExpr b : program.editable(BinaryExpr.class)) {
                if (!alternatives(program, b).isEmpty()) {
                    out.add(b);
                }
            }
            return out;
        }

        @Override
        public Optional<Splice> mutate(ParsedProgram program, Node site, RandomGenerator random) {
            BinaryExpr b = (BinaryExpr) site;
            List<BinaryExpr.Operator> ops = alternatives(program, b);
            BinaryExpr.Operator op = ops.get(random.nextInt(ops.size()));
            Span span = program.spanOf(b);
            return withOperator(program, b, op).map(text ->
                    Splice.replace(span, text, SourceText.quote(span.text()) + " -> " + SourceText.quote(text) + " in " + span.where()));
        }
    }

    /**
     * {@code java.unop}: {@code ++}/{@code --} turned into another of the four forms (or dropped
     * where the value is used, not where it is a statement); {@code !}, unary minus, plus and
     * {@code ~} removed; {@code !} put before a boolean expression and a minus before a numeric
     * variable, array element, field or call.
     */
    static final class Unary implements Mutation {
        private static final List<UnaryExpr.Operator> STEPS = List.of(UnaryExpr.Operator.PREFIX_INCREMENT,
                UnaryExpr.Operator.PREFIX_DECREMENT, UnaryExpr.Operator.POSTFIX_INCREMENT, UnaryExpr.Operator.POSTFIX_DECREMENT);

        @Override
        public List<Expression> sites(ParsedProgram program) {
            List<Expression> out = new ArrayList<>();
            for (Expression e : program.editable(Expression.class)) {
                if (e instanceof UnaryExpr || negatable(program, e) || minusable(program, e)) {
                    out.add(e);
                }
            }
            return out;
        }

        private static boolean insertable(Expression e) {
            Node parent = e.getParentNode().orElse(null);
            return !Statements.isWritten(e) && !Statements.inCaseLabel(e) && !(parent instanceof UnaryExpr)
                    && !(parent instanceof FieldAccessExpr f && f.getScope() == e)
                    && !(parent instanceof MethodCallExpr m && m.getScope().orElse(null) == e)
                    && !(parent instanceof ArrayAccessExpr a && a.getName() == e)
                    && !(parent instanceof EnclosedExpr);
        }

        private static boolean negatable(ParsedProgram program, Expression e) {
            boolean kind = e instanceof NameExpr || e instanceof MethodCallExpr || e instanceof FieldAccessExpr || e instanceof EnclosedExpr
                    || (e instanceof BinaryExpr b && (ORDER.contains(b.getOperator()) || EQUALITY.contains(b.getOperator())
                    || LOGICAL.contains(b.getOperator())));
            return kind && insertable(e) && LocalTypes.isBoolean(program.types().of(e));
        }

        private static boolean minusable(ParsedProgram program, Expression e) {
            boolean kind = e instanceof NameExpr || e instanceof MethodCallExpr || e instanceof FieldAccessExpr || e instanceof ArrayAccessExpr;
            String t = LocalTypes.unbox(program.types().of(e));
            return kind && insertable(e) && (t.equals("int") || t.equals("long") || t.equals("float") || t.equals("double"));
        }

        @Override
        public Optional<Splice> mutate(ParsedProgram program, Node site, RandomGenerator random) {
            Expression e = (Expression) site;
            Span span = program.spanOf(e);
            String text;
            if (e instanceof UnaryExpr u) {
                String operand = program.spanOf(u.getExpression()).text();
                if (Statements.isIncrement(u)) {
                    Node parent = u.getParentNode().orElse(null);
                    boolean statement = parent instanceof ExpressionStmt
                            || (parent instanceof ForStmt f && Statements.contains(f.getUpdate(), u));
                    List<UnaryExpr.Operator> ops = new ArrayList<>(STEPS);
                    ops.remove(u.getOperator());
                    int pick = random.nextInt(ops.size() + (statement ? 0 : 1));
                    text = pick == ops.size() ? operand : step(ops.get(pick), operand);
                } else {
                    text = Precedence.fit(u, operand, Precedence.of(u.getExpression()));
                }
            } else {
                boolean bool = LocalTypes.isBoolean(program.types().of(e));
                String operand = Precedence.wrap(span.text(), Precedence.of(e) < Precedence.UNARY);
                text = Precedence.fit(e, (bool ? "!" : "-") + operand, Precedence.UNARY);
                int before = span.start() - 1;
                if (!bool && before >= 0 && "+-".indexOf(span.file().text().charAt(before)) >= 0) {
                    text = "(" + text + ")";
                }
            }
            return Optional.of(Splice.replace(span, text, SourceText.quote(span.text()) + " -> " + SourceText.quote(text) + " in " + span.where()));
        }

        private static String step(UnaryExpr.Operator op, String operand) {
            return op.isPrefix() ? op.asString() + operand : operand + op.asString();
        }
    }
}
