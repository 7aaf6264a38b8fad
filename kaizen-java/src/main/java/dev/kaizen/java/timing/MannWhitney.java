package dev.kaizen.java.timing;

import java.util.Arrays;

/**
 * The one-sided Mann–Whitney U test (Wilcoxon rank-sum test) that values of {@code x} tend to be
 * smaller than values of {@code y}: for timings, that the candidate is faster than its reference.
 * It assumes nothing about the shape of the distributions, which suits running times with their
 * long right tails (a GC pause, a JIT deoptimisation) far better than a t-test.
 *
 * <p>{@code U} counts the pairs {@code (x_i, y_j)} with {@code x_i < y_j}, a tie counting one half.
 * Without ties and with both samples of at most {@value #EXACT_LIMIT} values the p-value comes
 * from the exact distribution of {@code U} under the null hypothesis; otherwise from the normal
 * approximation with the tie-corrected variance and a continuity correction of one half. Both
 * agree with {@code scipy.stats.mannwhitneyu(x, y, alternative="less")} in its {@code exact} and
 * {@code asymptotic} methods.
 */
public final class MannWhitney {

    /** The largest sample size for which the exact distribution is used. */
    static final int EXACT_LIMIT = 50;

    private MannWhitney() {}

    /**
     * The result of one test.
     *
     * @param u     the number of pairs in which the {@code x} value is smaller (ties count one half)
     * @param p     the one-sided p-value: the chance of a {@code u} at least this large when both
     *              samples come from the same distribution
     * @param exact whether {@code p} is exact rather than from the normal approximation
     */
    public record Result(double u, double p, boolean exact) {}

    /** Tests whether {@code x} is stochastically smaller than {@code y}; both need at least one value. */
    public static Result less(long[] x, long[] y) {
        double[] a = new double[x.length];
        double[] b = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            a[i] = x[i];
        }
        for (int i = 0; i < y.length; i++) {
            b[i] = y[i];
        }
        return less(a, b);
    }

    /** Tests whether {@code x} is stochastically smaller than {@code y}; both need at least one value. */
    public static Result less(double[] x, double[] y) {
        int m = x.length;
        int n = y.length;
        if (m == 0 || n == 0) {
            throw new IllegalArgumentException("both samples need at least one value, got " + m + " and " + n);
        }
        int total = m + n;
        double[] all = new double[total];
        System.arraycopy(x, 0, all, 0, m);
        System.arraycopy(y, 0, all, m, n);
        for (double v : all) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("samples may not contain NaN");
            }
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(all[i], all[j]));
        double[] rank = new double[total];
        double tieTerm = 0;
        for (int i = 0; i < total; ) {
            int j = i;
            while (j + 1 < total && all[order[j + 1]] == all[order[i]]) {
                j++;
            }
            double mid = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                rank[order[k]] = mid;
            }
            double t = j - i + 1;
            tieTerm += t * t * t - t;
            i = j + 1;
        }
        double rankSumX = 0;
        for (int i = 0; i < m; i++) {
            rankSumX += rank[i];
        }
        // U_x counts pairs with x > y; the pairs with x < y are the rest.
        double uGreater = rankSumX - m * (m + 1) / 2.0;
        double u = (double) m * n - uGreater;
        if (tieTerm == 0 && m <= EXACT_LIMIT && n <= EXACT_LIMIT) {
            return new Result(u, exactUpperTail((int) Math.round(u), m, n), true);
        }
        double mean = m * (double) n / 2;
        double variance = m * (double) n / 12 * ((total + 1) - tieTerm / ((double) total * (total - 1)));
        if (variance <= 0) {
            // Every value is equal: no evidence either way.
            return new Result(u, 1.0, false);
        }
        double z = (u - mean - 0.5) / Math.sqrt(variance);
        return new Result(u, Math.min(1.0, upperNormalTail(z)), false);
    }

    /**
     * P(U >= u) for sample sizes m and n without ties: the number of arrangements of m x's and
     * n y's with at least u (x, y) pairs in which the x comes first, over all C(m+n, m)
     * arrangements. Counted with the recurrence f(u; m, n) = f(u - n; m - 1, n) + f(u; m, n - 1)
     * (the largest value is a y, or an x that precedes all n y's).
     */
    static double exactUpperTail(int u, int m, int n) {
        int max = m * n;
        if (u <= 0) {
            return 1.0;
        }
        if (u > max) {
            return 0.0;
        }
        // counts[j][k]: the number of arrangements of i x's and j y's with U = k, for the current i.
        double[][] counts = new double[n + 1][];
        for (int j = 0; j <= n; j++) {
            counts[j] = new double[] {1.0};
        }
        for (int i = 1; i <= m; i++) {
            double[][] next = new double[n + 1][];
            next[0] = new double[] {1.0};
            for (int j = 1; j <= n; j++) {
                double[] withY = next[j - 1];
                double[] withX = counts[j];
                double[] row = new double[i * j + 1];
                for (int k = 0; k < withY.length; k++) {
                    row[k] += withY[k];
                }
                for (int k = 0; k < withX.length; k++) {
                    row[k + j] += withX[k];
                }
                next[j] = row;
            }
            counts = next;
        }
        double[] dist = counts[n];
        double all = 0;
        double tail = 0;
        for (int k = 0; k < dist.length; k++) {
            all += dist[k];
            if (k >= u) {
                tail += dist[k];
            }
        }
        return tail / all;
    }

    /** P(Z > z) for a standard normal Z. */
    static double upperNormalTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /**
     * The complementary error function, from the Chebyshev fit in Numerical Recipes ({@code erfcc}),
     * with a fractional error below 1.2e-7 everywhere.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
