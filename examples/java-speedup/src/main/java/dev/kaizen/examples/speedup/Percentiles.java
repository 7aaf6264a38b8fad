package dev.kaizen.examples.speedup;

/**
 * Nearest-rank percentiles of a sample. Correct, and slower than it needs to be: the kind of code
 * that grew a defensive re-sort and a debugging check on the hot path. The tests pin down what it
 * computes; {@link PercentilesBench#score} is the workload whose cost Kaizen lowers.
 */
public final class Percentiles {

    private Percentiles() {}

    // EVOLVE-BLOCK-START
    /**
     * The nearest-rank percentile of {@code values} for each entry of {@code ps} (each in 0..100).
     * {@code values} is not modified.
     */
    public static int[] of(int[] values, double[] ps) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int[] sorted = values.clone();
        sort(sorted);
        int[] out = new int[ps.length];
        for (int k = 0; k < ps.length; k++) {
            sort(sorted);
            checkSorted(sorted);
            int rank = (int) Math.ceil(ps[k] / 100.0 * sorted.length);
            out[k] = sorted[Math.max(0, rank - 1)];
        }
        return out;
    }

    /** Sorts ascending in place (selection sort). */
    static void sort(int[] a) {
        for (int i = 0; i < a.length - 1; i++) {
            int min = i;
            for (int j = i + 1; j < a.length; j++) {
                if (a[j] < a[min]) {
                    min = j;
                }
            }
            int t = a[i];
            a[i] = a[min];
            a[min] = t;
        }
    }

    /** Fails loudly if {@code a} is not ascending. */
    static void checkSorted(int[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i - 1] > a[i]) {
                throw new IllegalStateException("not sorted at " + i);
            }
        }
    }
    // EVOLVE-BLOCK-END
}
