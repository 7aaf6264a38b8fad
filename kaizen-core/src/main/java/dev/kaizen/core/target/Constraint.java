package dev.kaizen.core.target;

import java.util.Map;
import java.util.Objects;

/** A bound a metric must respect for a candidate to be feasible: {@code min <= metric <= max}. */
public record Constraint(String metric, double min, double max) {

    public Constraint {
        Objects.requireNonNull(metric, "metric");
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("constraint on '" + metric + "' needs min <= max, got min=" + min + " max=" + max);
        }
    }

    public static Constraint atMost(String metric, double max) {
        return new Constraint(metric, Double.NEGATIVE_INFINITY, max);
    }

    public static Constraint atLeast(String metric, double min) {
        return new Constraint(metric, min, Double.POSITIVE_INFINITY);
    }

    /** Null when satisfied, else why not. */
    public String violation(Map<String, Double> metrics) {
        Double v = metrics.get(metric);
        if (v == null) {
            return "constraint metric '" + metric + "' is missing";
        }
        if (v < min) {
            return metric + " = " + v + " is below the minimum " + min;
        }
        if (v > max) {
            return metric + " = " + v + " is above the maximum " + max;
        }
        return null;
    }
}
