package dev.kaizen.examples.repair;

/**
 * Small statistics over int arrays. Several methods have the kind of bugs that slip through
 * review (an off-by-one start, a flipped comparison, a loop bound, a stray increment); the tests
 * in src/test expose them.
 */
public final class ArrayStats {

    private ArrayStats() {}

    // EVOLVE-BLOCK-START
    /** The sum of all values; 0 for an empty array. */
    public static long sum(int[] values) {
        long total = 0;
        for (int i = 1; i < values.length; i++) {
            total += values[i];
        }
        return total;
    }

    /** The arithmetic mean; NaN for an empty array. */
    public static double mean(int[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        return (double) sum(values) / (values.length - 1);
    }

    /** The largest value; an empty array has none. */
    public static int max(int[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int best = values[0];
        for (int v : values) {
            if (v < best) {
                best = v;
            }
        }
        return best;
    }

    /** The index of {@code key} in an ascending array, or -1 when it is absent. */
    public static int indexOf(int[] sorted, int key) {
        int lo = 0;
        int hi = sorted.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else if (sorted[mid] > key) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The number of maximal runs of equal adjacent values: {@code [1, 1, 2, 1]} has 3. */
    public static int runs(int[] values) {
        if (values.length == 0) {
            return 0;
        }
        int runs = 1;
        for (int i = 1; i < values.length; i++) {
            if (values[i] != values[i - 1]) {
                runs++;
            }
        }
        runs++;
        return runs;
    }
    // EVOLVE-BLOCK-END
}
