package dev.kaizen.java.gi;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import dev.kaizen.java.gi.ParsedProgram.Span;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * {@code java.cond}: mutates the condition of an {@code if}, {@code while}, {@code do}, {@code for}
 * or {@code ?:} in one of four ways, drawn evenly among those that apply: negate it ({@code !(c)},
 * or drop a leading {@code !}); relax or tighten a comparison in it ({@code <} and {@code <=},
 * {@code >} and {@code >=}); move a comparison's bound, its right-hand side, by one
 * ({@code i < n} to {@code i < n - 1}, {@code i < 10} to {@code i < 11}, {@code i < n - 1} to
 * {@code i < n}); or, for {@code if} and {@code ?:} only (a constant loop condition makes code
 * unreachable, which javac rejects), replace it by {@code true} or {@code false}.
 */
final class ConditionEdit implements Mutation {

    private enum Way { NEGATE, STRICTNESS, BOUND, CONSTANT }

    @Override
    public List<Expression> sites(ParsedProgram program) {
        List<Expression> out = new ArrayList<>();
        for (Expression e : program.editable(Expression.class)) {
            if (isCondition(e)) {
                out.add(e);
            }
        }
        return out;
    }

    static boolean isCondition(Expression e) {
        Node parent = e.getParentNode().orElse(null);
        return switch (parent) {
            case IfStmt s -> s.getCondition() == e;
            case WhileStmt s -> s.getCondition() == e;
            case DoStmt s -> s.getCondition() == e;
            case ForStmt s -> s.getCompare().orElse(null) == e;
            case ConditionalExpr c -> c.getCondition() == e;
            case null, default -> false;
        };
    }

    @Override
    public Optional<Splice> mutate(ParsedProgram program, Node site, RandomGenerator random) {
        Expression cond = (Expression) site;
        List<BinaryExpr> ordered = new ArrayList<>();
        List<BinaryExpr> bounded = new ArrayList<>();
        for (BinaryExpr b : cond.findAll(BinaryExpr.class)) {
            if (Statements.hasAncestor(b, LambdaExpr.class, cond)) {
                continue;
            }
            if (OperatorEdits.ORDER.contains(b.getOperator())) {
                ordered.add(b);
            }
            if (shiftable(program, b)) {
                bounded.add(b);
            }
        }
        List<Way> ways = new ArrayList<>(List.of(Way.NEGATE));
        if (!ordered.isEmpty()) {
            ways.add(Way.STRICTNESS);
        }
        if (!bounded.isEmpty()) {
            ways.add(Way.BOUND);
        }
        Node parent = cond.getParentNode().orElseThrow();
        if (parent instanceof IfStmt || parent instanceof ConditionalExpr) {
            ways.add(Way.CONSTANT);
        }
        Span span = program.spanOf(cond);
        return switch (ways.get(random.nextInt(ways.size()))) {
            case NEGATE -> {
                String text = cond instanceof UnaryExpr u && u.getOperator() == UnaryExpr.Operator.LOGICAL_COMPLEMENT
                        ? program.spanOf(u.getExpression()).text()
                        : "!" + Precedence.wrap(span.text(), Precedence.of(cond) < Precedence.UNARY);
                yield Optional.of(describe(span, text));
            }
            case STRICTNESS -> {
                BinaryExpr b = ordered.get(random.nextInt(ordered.size()));
                BinaryExpr.Operator op = switch (b.getOperator()) {
                    case LESS -> BinaryExpr.Operator.LESS_EQUALS;
                    case LESS_EQUALS -> BinaryExpr.Operator.LESS;
                    case GREATER -> BinaryExpr.Operator.GREATER_EQUALS;
                    default -> BinaryExpr.Operator.GREATER;
                };
                Span bs = program.spanOf(b);
                yield OperatorEdits.withOperator(program, b, op).map(text -> describe(bs, text));
            }
            case BOUND -> {
                BinaryExpr b = bounded.get(random.nextInt(bounded.size()));
                yield bound(program, b, random.nextBoolean() ? 1 : -1);
            }
            case CONSTANT -> {
                String text = random.nextBoolean() ? "true" : "false";
                yield text.equals(span.text()) ? Optional.empty() : Optional.of(describe(span, text));
            }
        };
    }

    /** Whether {@code b} compares numbers, so its right-hand side can move by one. */
    private static boolean shiftable(ParsedProgram program, BinaryExpr b) {
        String l = program.types().of(b.getLeft());
        String r = program.types().of(b.getRight());
        if (OperatorEdits.ORDER.contains(b.getOperator())) {
            return !LocalTypes.isBoolean(r) && !LocalTypes.isString(r) && !LocalTypes.isBoolean(l) && !LocalTypes.isString(l);
        }
        return OperatorEdits.EQUALITY.contains(b.getOperator()) && LocalTypes.isNumeric(r) && (LocalTypes.isNumeric(l) || l.equals(LocalTypes.UNKNOWN));
    }

    /** {@code b} with its right-hand side moved by {@code delta}, folding it into a literal where there is one. */
    private static Optional<Splice> bound(ParsedProgram program, BinaryExpr b, int delta) {
        Expression right = b.getRight();
        Span rs = program.spanOf(right);
        String newRight;
        Optional<BigInteger> literal = integer(right);
        if (literal.isPresent()) {
            BigInteger v = literal.get().add(BigInteger.valueOf(delta));
            if (!LiteralEdit.fits(v, right instanceof LongLiteralExpr)) {
                return Optional.empty();
            }
            newRight = render(v, right);
        } else if (right instanceof BinaryExpr sum && (sum.getOperator() == BinaryExpr.Operator.PLUS || sum.getOperator() == BinaryExpr.Operator.MINUS)
                && integer(sum.getRight()).isPresent()) {
            BigInteger k = integer(sum.getRight()).get();
            BigInteger c = (sum.getOperator() == BinaryExpr.Operator.PLUS ? k : k.negate()).add(BigInteger.valueOf(delta));
            String base = program.spanOf(sum.getLeft()).text();
            String suffix = sum.getRight() instanceof LongLiteralExpr ? "L" : "";
            newRight = c.signum() == 0 ? base : base + (c.signum() > 0 ? " + " : " - ") + c.abs() + suffix;
        } else {
            newRight = Precedence.wrap(rs.text(), Precedence.of(right) < Precedence.ADDITIVE) + (delta > 0 ? " + 1" : " - 1");
        }
        Span bs = program.spanOf(b);
        String text = bs.file().text().substring(bs.start(), rs.start()) + newRight + bs.file().text().substring(rs.end(), bs.end());
        return Optional.of(new Splice(bs.file(), bs.hole(), List.of(new Splice.Edit(rs.start(), rs.end(), newRight)),
                SourceText.quote(bs.text()) + " -> " + SourceText.quote(text) + " in " + bs.where()));
    }

    private static Optional<BigInteger> integer(Expression e) {
        if (e instanceof IntegerLiteralExpr || e instanceof LongLiteralExpr) {
            return LiteralEdit.integerValue(e.asLiteralStringValueExpr().getValue());
        }
        return Optional.empty();
    }

    private static String render(BigInteger v, Expression like) {
        String suffix = like instanceof LongLiteralExpr ? "L" : "";
        return v.toString() + suffix;
    }

    private static Splice describe(Span span, String text) {
        return Splice.replace(span, text, SourceText.quote(span.text()) + " -> " + SourceText.quote(text) + " in " + span.where());
    }
}
