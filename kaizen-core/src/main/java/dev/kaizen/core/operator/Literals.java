package dev.kaizen.core.operator;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and rewrites the numeric literals of a piece of source text in any C-like or script
 * language. Literals inside line comments ({@code //}, {@code #}) and string literals are left
 * alone, as are hexadecimal numbers and digits that are part of identifiers. A literal is unsigned:
 * a new negative value is written as {@code (-v)} so that it stays valid after an operator.
 */
public final class Literals {

    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\w.])((?:\\d+\\.\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?|\\d+[eE][-+]?\\d+|\\d+)([fFdDlL]?)(?![\\w.])");

    private Literals() {}

    /** One literal: where it is, its text, its value, and whether it is written as a floating-point number. */
    public record Literal(int start, int end, String text, double value, boolean floating, String suffix) {}

    /** The literals of {@code text}, in order. */
    public static List<Literal> find(String text) {
        List<Literal> out = new ArrayList<>();
        boolean[] masked = maskCommentsAndStrings(text);
        Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            if (masked[m.start()]) {
                continue;
            }
            String digits = m.group(1);
            String suffix = m.group(2);
            boolean floating = digits.contains(".") || digits.contains("e") || digits.contains("E")
                    || suffix.equalsIgnoreCase("f") || suffix.equalsIgnoreCase("d");
            double value;
            try {
                value = Double.parseDouble(digits);
            } catch (NumberFormatException e) {
                continue;
            }
            if (!Double.isFinite(value)) {
                continue;
            }
            out.add(new Literal(m.start(), m.end(), m.group(), value, floating, suffix));
        }
        return out;
    }

    /** Replaces the given literals (by index into {@code find(text)}) with new values. */
    public static String replace(String text, List<Literal> literals, double[] values) {
        if (literals.size() != values.length) {
            throw new IllegalArgumentException("expected " + literals.size() + " values, got " + values.length);
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int pos = 0;
        for (int i = 0; i < literals.size(); i++) {
            Literal l = literals.get(i);
            out.append(text, pos, l.start());
            out.append(render(values[i], l));
            pos = l.end();
        }
        out.append(text, pos, text.length());
        return out.toString();
    }

    /** The text of a new value in the style of the literal it replaces. */
    public static String render(double value, Literal like) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("cannot write a non-finite literal: " + value);
        }
        String body;
        if (like.floating()) {
            double abs = Math.abs(value);
            if (abs != 0 && (abs < 1e-4 || abs >= 1e9)) {
                body = String.format(java.util.Locale.ROOT, "%.6e", abs);
            } else {
                body = new BigDecimal(abs).round(new MathContext(7)).stripTrailingZeros().toPlainString();
                if (!body.contains(".")) {
                    body = body + ".0";
                }
            }
        } else {
            body = Long.toString(Math.abs(Math.round(value)));
        }
        body = body + like.suffix();
        return value < 0 && (like.floating() ? value != 0 : Math.round(value) != 0) ? "(-" + body + ")" : body;
    }

    /** Marks characters inside line comments and string literals, line by line. */
    private static boolean[] maskCommentsAndStrings(String text) {
        boolean[] masked = new boolean[text.length() + 1];
        char quote = 0;
        boolean comment = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                comment = false;
                quote = 0;
                continue;
            }
            if (comment) {
                masked[i] = true;
                continue;
            }
            if (quote != 0) {
                masked[i] = true;
                if (c == '\\') {
                    if (i + 1 < text.length()) {
                        masked[++i] = true;
                    }
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'' || c == '`') {
                quote = c;
                masked[i] = true;
            } else if (c == '#' || (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/')) {
                comment = true;
                masked[i] = true;
            }
        }
        return masked;
    }
}
