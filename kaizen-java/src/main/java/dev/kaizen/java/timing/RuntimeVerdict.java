package dev.kaizen.java.timing;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a candidate's timing samples say about its running time, and the {@code runtime_ns} it is
 * credited with.
 *
 * <p>A candidate is timed interleaved with its parent's code in the same worker JVM, so machine
 * load and JIT state hit both alike. It is credited with being faster only when the one-sided
 * {@link MannWhitney} test says so at the configured confidence ({@code p < 1 - confidence}).
 * Then {@code runtime_ns} is the parent's {@code runtime_ns} times the measured ratio of medians;
 * otherwise it is the parent's {@code runtime_ns} times {@code max(1, ratio)}: a candidate not
 * proven faster never looks faster than its parent, and one measured slower looks as slow as it
 * measured. Chaining ratios onto the parent's figure keeps the numbers comparable across sessions
 * run under different machine load. A program timed without a reference (the seed) is credited
 * with its own median.
 *
 * @param candidateMedian the candidate's median, in nanoseconds
 * @param referenceMedian the reference's median, or NaN when timed alone
 * @param ratio           candidate median over reference median, or NaN when timed alone
 * @param p               the one-sided p-value that the candidate is faster, or NaN when timed alone
 * @param alpha           the significance level, {@code 1 - confidence}
 * @param parentRuntime   the parent's {@code runtime_ns}, or NaN when unknown
 * @param runtimeNs       the credited {@code runtime_ns}
 * @param samples         measured calls per program
 */
public record RuntimeVerdict(double candidateMedian, double referenceMedian, double ratio, double p, double alpha,
        double parentRuntime, double runtimeNs, int samples) {

    /** The credited running time in nanoseconds, chained onto the parent's. */
    public static final String RUNTIME_NS = "runtime_ns";
    /** The candidate's median in nanoseconds, in this session. */
    public static final String RUNTIME_RAW_NS = "runtime_raw_ns";
    /** Candidate median over reference median. */
    public static final String RUNTIME_RATIO = "runtime_ratio";
    /** The one-sided p-value that the candidate is faster than its reference. */
    public static final String RUNTIME_P = "runtime_p";

    /** A program timed without a reference: credited with its own median. */
    public static RuntimeVerdict alone(long[] candidate) {
        double median = median(candidate);
        return new RuntimeVerdict(median, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, median, candidate.length);
    }

    /**
     * Compares interleaved samples of a candidate and its reference.
     *
     * @param parentRuntime the parent's {@code runtime_ns}, when it has one; without it the
     *                      candidate is credited with its own median
     * @param confidence    in (0, 1); the candidate counts as faster when {@code p < 1 - confidence}
     */
    public static RuntimeVerdict compare(long[] candidate, long[] reference, OptionalDouble parentRuntime, double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        double c = median(candidate);
        double r = median(reference);
        double ratio = r > 0 ? c / r : 1.0;
        double p = MannWhitney.less(candidate, reference).p();
        double alpha = 1 - confidence;
        double parent = parentRuntime.orElse(Double.NaN);
        double credited;
        if (!Double.isFinite(parent) || parent <= 0) {
            credited = c;
        } else if (p < alpha) {
            credited = parent * ratio;
        } else {
            credited = parent * Math.max(1.0, ratio);
        }
        return new RuntimeVerdict(c, r, ratio, p, alpha, parent, credited, candidate.length);
    }

    /** Whether there was a reference to compare with. */
    public boolean compared() {
        return !Double.isNaN(referenceMedian);
    }

    /** Whether the candidate is significantly faster than its reference. */
    public boolean faster() {
        return compared() && p < alpha;
    }

    /** The metrics this verdict contributes: the ratio and p-value only when compared. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(RUNTIME_NS, runtimeNs);
        m.put(RUNTIME_RAW_NS, candidateMedian);
        if (compared()) {
            m.put(RUNTIME_RATIO, ratio);
            m.put(RUNTIME_P, p);
        }
        return m;
    }

    /**
     * One line for feedback, for example {@code 1.42x faster than parent, Mann-Whitney U one-sided
     * p=0.0004 < 0.01 (median 1.20 ms vs 1.70 ms, 15 calls each)}.
     */
    public String describe() {
        String medians = compared()
                ? " (median " + duration(candidateMedian) + " vs " + duration(referenceMedian) + ", " + samples + " calls each)"
                : "";
        if (!compared()) {
            return "median " + duration(candidateMedian) + " over " + samples + " calls (no reference to compare with)";
        }
        String test = "Mann-Whitney U one-sided p=" + number(p);
        String credit = Double.isFinite(parentRuntime) && parentRuntime > 0
                ? "; credited runtime_ns " + Math.round(runtimeNs) + " (parent " + Math.round(parentRuntime) + ")"
                : "";
        if (faster()) {
            return String.format(Locale.ROOT, "%.2fx faster than parent, %s < %s%s%s", 1 / ratio, test, number(alpha), medians, credit);
        }
        String shape = ratio <= 1
                ? String.format(Locale.ROOT, "%.2fx faster than parent but not significantly", 1 / ratio)
                : String.format(Locale.ROOT, "%.2fx slower than parent", ratio);
        return shape + ", " + test + " >= " + number(alpha) + medians + credit
                + (ratio <= 1 ? "; counted as fast as the parent, not faster" : "");
    }

    /** The median of a non-empty sample. */
    public static double median(long[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no timing samples");
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + (double) sorted[mid]) / 2;
    }

    private static String number(double v) {
        String s = String.format(Locale.ROOT, v >= 0.001 || v == 0 ? "%.4g" : "%.2g", v);
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String duration(double nanos) {
        if (nanos >= 1e9) {
            return String.format(Locale.ROOT, "%.3g s", nanos / 1e9);
        }
        if (nanos >= 1e6) {
            return String.format(Locale.ROOT, "%.3g ms", nanos / 1e6);
        }
        if (nanos >= 1e3) {
            return String.format(Locale.ROOT, "%.3g µs", nanos / 1e3);
        }
        return Math.round(nanos) + " ns";
    }
}
