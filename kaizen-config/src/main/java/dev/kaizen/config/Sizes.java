package dev.kaizen.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as people write them in {@code kaizen.yaml}: a whole number of bytes, or a number with
 * {@code k}, {@code m} or {@code g} (binary units, optionally followed by {@code b}, {@code ib}):
 * {@code 512m}, {@code 2g}, {@code 1.5g}, {@code 65536}.
 */
public final class Sizes {

    /** What an error shows as the expected form. */
    static final String EXPECTED = "a size such as 512m, 2g or 65536 (bytes)";

    private static final Pattern SIZE = Pattern.compile("([0-9][0-9_]*(?:\\.[0-9_]+)?)\\s*(?:([kmg])(?:i?b)?|b)?");

    private Sizes() {}

    /** The number of bytes; fails with {@link IllegalArgumentException} on anything else and on zero. */
    public static long parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected " + EXPECTED + ", got \"" + text + "\"");
        }
        long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            default -> 1L << 30;
        };
        BigDecimal bytes = new BigDecimal(m.group(1).replace("_", "")).multiply(BigDecimal.valueOf(unit));
        if (bytes.signum() <= 0) {
            throw new IllegalArgumentException("expected a positive size, got \"" + text + "\"");
        }
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("the size \"" + text + "\" is too large");
        }
        if (m.group(2) == null && bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("a size in bytes must be a whole number, got \"" + text + "\"");
        }
        return bytes.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
