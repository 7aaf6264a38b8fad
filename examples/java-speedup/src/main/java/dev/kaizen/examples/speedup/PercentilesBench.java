package dev.kaizen.examples.speedup;

import java.util.SplittableRandom;

/** The workload Kaizen measures: deciles of a fixed pseudo-random sample of 1,500 values. */
public final class PercentilesBench {

    private static final int[] SAMPLE = new SplittableRandom(42).ints(1_500, -1_000_000, 1_000_000).toArray();
    private static final double[] DECILES = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

    private PercentilesBench() {}

    /** Runs the workload once and returns a checksum of the answers, so the work cannot be skipped. */
    public static long score() {
        long sum = 0;
        for (int v : Percentiles.of(SAMPLE, DECILES)) {
            sum = 31 * sum + v;
        }
        return sum;
    }
}
