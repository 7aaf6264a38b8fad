package dev.kaizen.core.guard;

/**
 * The values a metric may take, {@code min <= value <= max}; an open end is an infinity. A value
 * outside makes a passed evaluation {@link dev.kaizen.core.eval.Outcome.Invalid invalid}.
 */
public record MetricRange(double min, double max) {

    public MetricRange {
        if (Double.isNaN(min) || Double.isNaN(max) || min == Double.POSITIVE_INFINITY || max == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("a metric range needs numbers, got [" + min + ", " + max + "]");
        }
        if (min > max) {
            throw new IllegalArgumentException("a metric range needs min <= max, got [" + plain(min) + ", " + plain(max) + "]");
        }
    }

    /** {@code [min, +inf)}. */
    public static MetricRange atLeast(double min) {
        return new MetricRange(min, Double.POSITIVE_INFINITY);
    }

    /** {@code (-inf, max]}. */
    public static MetricRange atMost(double max) {
        return new MetricRange(Double.NEGATIVE_INFINITY, max);
    }

    public boolean contains(double value) {
        return value >= min && value <= max;
    }

    /** {@code [0, 1]}, {@code [0, +inf)}: as error messages show it. */
    @Override
    public String toString() {
        return (min == Double.NEGATIVE_INFINITY ? "(-inf" : "[" + plain(min)) + ", " + (max == Double.POSITIVE_INFINITY ? "+inf)" : plain(max) + "]");
    }

    static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
