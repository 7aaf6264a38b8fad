package dev.kaizen.examples.speedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What {@link Percentiles#of} computes, checked against a plain reference on many samples. */
class PercentilesTest {

    @Test
    void decilesOfOneToTen() {
        int[] values = {7, 3, 10, 1, 9, 2, 8, 4, 6, 5};
        assertArrayEquals(new int[] {1, 5, 10}, Percentiles.of(values, new double[] {10, 50, 100}));
    }

    @Test
    void zeroPercentIsTheMinimum() {
        assertArrayEquals(new int[] {-3}, Percentiles.of(new int[] {4, -3, 9}, new double[] {0}));
    }

    @Test
    void duplicatesCount() {
        assertArrayEquals(new int[] {2, 2, 5}, Percentiles.of(new int[] {2, 5, 2, 2}, new double[] {25, 75, 100}));
    }

    @Test
    void noPercentilesAskedGivesNone() {
        assertArrayEquals(new int[0], Percentiles.of(new int[] {1, 2}, new double[0]));
    }

    @Test
    void anEmptySampleIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new int[0], new double[] {50}));
    }

    @Test
    void theInputIsNotModified() {
        int[] values = {5, 1, 4};
        Percentiles.of(values, new double[] {50});
        assertArrayEquals(new int[] {5, 1, 4}, values);
    }

    @Test
    void sortSortsEveryPermutationOfAFewValues() {
        SplittableRandom random = new SplittableRandom(1);
        for (int n = 0; n < 40; n++) {
            int[] a = random.ints(n, -5, 5).toArray();
            int[] expected = a.clone();
            Arrays.sort(expected);
            Percentiles.sort(a);
            assertArrayEquals(expected, a, "n=" + n);
        }
    }

    @Test
    void agreesWithAReferenceOnRandomSamples() {
        SplittableRandom random = new SplittableRandom(7);
        double[] ps = {0, 1, 12.5, 25, 33.3, 50, 66.7, 75, 90, 99, 100};
        for (int trial = 0; trial < 200; trial++) {
            int[] values = random.ints(1 + random.nextInt(60), -50, 50).toArray();
            int[] sorted = values.clone();
            Arrays.sort(sorted);
            int[] expected = new int[ps.length];
            for (int k = 0; k < ps.length; k++) {
                expected[k] = sorted[Math.max(0, (int) Math.ceil(ps[k] / 100.0 * sorted.length) - 1)];
            }
            assertArrayEquals(expected, Percentiles.of(values, ps), "trial " + trial);
        }
    }
}
