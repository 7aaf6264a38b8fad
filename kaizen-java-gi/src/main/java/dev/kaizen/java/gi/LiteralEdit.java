package dev.kaizen.java.gi;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import dev.kaizen.java.gi.ParsedProgram.Span;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code java.literal}: changes one {@code int}, {@code long}, {@code float}, {@code double},
 * {@code char} or {@code boolean} literal. A number (with its unary minus, if it has one) becomes
 * one of: plus one, minus one, twice, half (integer division for integers), zero, one, or its
 * negation, never leaving its type's range; a {@code char} moves by one within printable ASCII; a
 * boolean flips. Hexadecimal and binary integers stay in their radix; a new negative number is
 * parenthesized where a minus would join the operator before it.
 */
final class LiteralEdit implements Mutation {

    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    @Override
    public List<Expression> sites(ParsedProgram program) {
        List<Expression> out = new ArrayList<>();
        for (LiteralExpr l : program.editable(LiteralExpr.class)) {
            boolean number = l instanceof IntegerLiteralExpr || l instanceof LongLiteralExpr || l instanceof DoubleLiteralExpr;
            if (!(number || l instanceof CharLiteralExpr || l instanceof BooleanLiteralExpr) || Statements.hasAncestor(l, AnnotationExpr.class, null)) {
                continue;
            }
            Expression site = l;
            if (number && l.getParentNode().orElse(null) instanceof UnaryExpr u && u.getOperator() == UnaryExpr.Operator.MINUS
                    && program.isEditable(u)) {
                site = u;
            }
            out.add(site);
        }
        return out;
    }

    @Override
    public Optional<Splice> mutate(ParsedProgram program, Node site, RandomGenerator random) {
        Expression e = (Expression) site;
        boolean negated = e instanceof UnaryExpr;
        LiteralExpr literal = (LiteralExpr) (negated ? ((UnaryExpr) e).getExpression() : e);
        Span span = program.spanOf(e);
        Optional<String> text = switch (literal) {
            case BooleanLiteralExpr b -> Optional.of(b.getValue() ? "false" : "true");
            case CharLiteralExpr c -> character(c, random);
            case DoubleLiteralExpr d -> floating(d.getValue(), negated, random);
            case IntegerLiteralExpr i -> integer(i.getValue(), negated, false, random);
            case LongLiteralExpr l -> integer(l.getValue(), negated, true, random);
            default -> Optional.empty();
        };
        if (text.isEmpty() || text.get().equals(span.text())) {
            return Optional.empty();
        }
        String t = text.get();
        if (!negated && t.startsWith("-")) {
            int before = span.start() - 1;
            boolean joins = before >= 0 && "+-".indexOf(span.file().text().charAt(before)) >= 0;
            t = Precedence.wrap(t, joins || Precedence.needsParens(e, Precedence.UNARY));
        }
        return Optional.of(Splice.replace(span, t, SourceText.quote(span.text()) + " -> " + SourceText.quote(t) + " in " + span.where()));
    }

    private static Optional<String> integer(String text, boolean negated, boolean isLong, RandomGenerator random) {
        Optional<BigInteger> parsed = integerValue(text);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        BigInteger v = negated ? parsed.get().negate() : parsed.get();
        Set<BigInteger> options = new LinkedHashSet<>(List.of(v.add(BigInteger.ONE), v.subtract(BigInteger.ONE),
                v.shiftLeft(1), v.divide(BigInteger.TWO), BigInteger.ZERO, BigInteger.ONE, v.negate()));
        options.remove(v);
        options.removeIf(o -> !fits(o, isLong));
        if (options.isEmpty()) {
            return Optional.empty();
        }
        BigInteger pick = new ArrayList<>(options).get(random.nextInt(options.size()));
        String lower = text.toLowerCase(Locale.ROOT).replace("_", "");
        String suffix = isLong ? text.substring(text.length() - 1) : "";
        String digits;
        BigInteger mag = pick.abs();
        if (lower.startsWith("0x")) {
            digits = text.substring(0, 2) + mag.toString(16);
        } else if (lower.startsWith("0b")) {
            digits = text.substring(0, 2) + mag.toString(2);
        } else {
            digits = mag.toString();
        }
        return Optional.of((pick.signum() < 0 ? "-" : "") + digits + suffix);
    }

    /** Whether {@code v} is a valid {@code int} (or {@code long}) value. */
    static boolean fits(BigInteger v, boolean isLong) {
        return isLong ? v.compareTo(LONG_MIN) >= 0 && v.compareTo(LONG_MAX) <= 0 : v.compareTo(INT_MIN) >= 0 && v.compareTo(INT_MAX) <= 0;
    }

    /** The value of an integer literal's text (decimal, hex, octal or binary, underscores and suffix allowed), unsigned. */
    static Optional<BigInteger> integerValue(String text) {
        String t = text.replace("_", "").toLowerCase(Locale.ROOT);
        if (t.endsWith("l")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            if (t.startsWith("0x")) {
                return Optional.of(new BigInteger(t.substring(2), 16));
            }
            if (t.startsWith("0b")) {
                return Optional.of(new BigInteger(t.substring(2), 2));
            }
            if (t.length() > 1 && t.startsWith("0")) {
                return Optional.of(new BigInteger(t.substring(1), 8));
            }
            return Optional.of(new BigInteger(t));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> floating(String text, boolean negated, RandomGenerator random) {
        double v;
        try {
            v = Double.parseDouble(text.replace("_", ""));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (negated) {
            v = -v;
        }
        char last = text.charAt(text.length() - 1);
        boolean isFloat = last == 'f' || last == 'F';
        String suffix = isFloat || last == 'd' || last == 'D' ? String.valueOf(last) : "";
        double[] options = {v + 1, v - 1, v * 2, v / 2, 0, 1, -v};
        List<String> texts = new ArrayList<>();
        for (double o : options) {
            if (!Double.isFinite(o) || o == v || (isFloat && !Float.isFinite((float) o))) {
                continue;
            }
            String s = (isFloat ? Float.toString((float) Math.abs(o)) : Double.toString(Math.abs(o))) + suffix;
            String signed = (o < 0 ? "-" : "") + s;
            if (!texts.contains(signed)) {
                texts.add(signed);
            }
        }
        return texts.isEmpty() ? Optional.empty() : Optional.of(texts.get(random.nextInt(texts.size())));
    }

    private static Optional<String> character(CharLiteralExpr c, RandomGenerator random) {
        char v;
        try {
            v = c.asChar();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        int next = v + (random.nextBoolean() ? 1 : -1);
        if (next < 32 || next > 126) {
            return Optional.empty();
        }
        String body = next == '\'' ? "\\'" : next == '\\' ? "\\\\" : String.valueOf((char) next);
        return Optional.of("'" + body + "'");
    }
}
