package dev.kaizen.core.target;

import java.util.Map;
import java.util.Objects;

/**
 * One axis of the MAP-Elites grid: a value read from a candidate, cut into {@code bins} equal bins
 * between {@code min} and {@code max} (values outside go to the first or last bin). The value is a
 * metric's, or one of the built-in code measures {@code length} (characters) and {@code lines}.
 */
public record Feature(String name, double min, double max, int bins) {

    public static final String LENGTH = "length";
    public static final String LINES = "lines";

    public Feature {
        Objects.requireNonNull(name, "name");
        if (!(max > min)) {
            throw new IllegalArgumentException("feature '" + name + "' needs max > min, got min=" + min + " max=" + max);
        }
        if (bins < 1 || bins > 1000) {
            throw new IllegalArgumentException("feature '" + name + "' needs 1..1000 bins, got " + bins);
        }
    }

    /** The bin of a value. */
    public int bin(double value) {
        if (Double.isNaN(value)) {
            return 0;
        }
        double t = (value - min) / (max - min);
        int b = (int) Math.floor(t * bins);
        return Math.max(0, Math.min(bins - 1, b));
    }

    /** The raw value for a candidate from its code measures and metrics; NaN when missing. */
    public double valueOf(int length, int lines, Map<String, Double> metrics) {
        return switch (name) {
            case LENGTH -> length;
            case LINES -> lines;
            default -> metrics.getOrDefault(name, Double.NaN);
        };
    }
}
