package dev.kaizen.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in {@code kaizen.yaml} and on the command line: {@code 250ms},
 * {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, combinations such as {@code 1h30m}, decimals
 * such as {@code 1.5s}, and a bare number meaning seconds.
 */
public final class Durations {

    /** What an error shows as the expected form. */
    static final String EXPECTED = "a duration such as 30s, 5m, 1h or 250ms";

    private static final Pattern BARE = Pattern.compile("[0-9][0-9_]*(?:\\.[0-9_]+)?");
    private static final Pattern PART = Pattern.compile("\\s*([0-9][0-9_]*(?:\\.[0-9_]+)?)\\s*(ms|s|m|h|d)");
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private Durations() {}

    /**
     * Parses a duration; fails with {@link IllegalArgumentException} on anything else, on zero and
     * on a duration too long to represent.
     */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("expected " + EXPECTED + ", got an empty string");
        }
        BigDecimal nanos;
        if (BARE.matcher(s).matches()) {
            nanos = number(s).multiply(BigDecimal.valueOf(1_000_000_000L));
        } else {
            nanos = BigDecimal.ZERO;
            Matcher m = PART.matcher(s);
            int at = 0;
            while (at < s.length()) {
                if (!m.find(at) || m.start() != at) {
                    throw new IllegalArgumentException("expected " + EXPECTED + ", got \"" + text + "\"");
                }
                nanos = nanos.add(number(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
                at = m.end();
            }
        }
        BigInteger whole = nanos.setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();
        if (whole.signum() <= 0) {
            throw new IllegalArgumentException("expected a positive duration, got \"" + text + "\"");
        }
        if (whole.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("the duration \"" + text + "\" is too long");
        }
        return Duration.ofNanos(whole.longValueExact());
    }

    /** Seconds (possibly fractional) as a duration; fails on values that are not finite and positive. */
    public static Duration ofSeconds(double seconds) {
        if (!Double.isFinite(seconds) || seconds <= 0) {
            throw new IllegalArgumentException("expected a positive duration, got " + seconds + " seconds");
        }
        BigDecimal nanos = BigDecimal.valueOf(seconds).multiply(BigDecimal.valueOf(1_000_000_000L));
        BigInteger whole = nanos.setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();
        if (whole.signum() <= 0) {
            throw new IllegalArgumentException("expected a positive duration, got " + seconds + " seconds");
        }
        if (whole.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("the duration of " + seconds + " seconds is too long");
        }
        return Duration.ofNanos(whole.longValueExact());
    }

    /** The shortest form {@link #parse} reads back to the same duration, e.g. {@code 1h30m} or {@code 250ms}. */
    public static String format(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("only positive durations have a form, got " + duration);
        }
        StringBuilder b = new StringBuilder();
        long days = duration.toDays();
        Duration rest = duration.minusDays(days);
        append(b, days, "d");
        append(b, rest.toHours(), "h");
        append(b, rest.toMinutesPart(), "m");
        append(b, rest.toSecondsPart(), "s");
        long nanos = rest.toNanosPart();
        if (nanos % 1_000_000 == 0) {
            append(b, nanos / 1_000_000, "ms");
        } else {
            b.append(BigDecimal.valueOf(nanos).movePointLeft(6).stripTrailingZeros().toPlainString()).append("ms");
        }
        return b.toString();
    }

    private static void append(StringBuilder b, long amount, String unit) {
        if (amount != 0) {
            b.append(amount).append(unit);
        }
    }

    private static BigDecimal number(String digits) {
        return new BigDecimal(digits.replace("_", ""));
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw new IllegalStateException("unit " + unit);
        };
    }
}
