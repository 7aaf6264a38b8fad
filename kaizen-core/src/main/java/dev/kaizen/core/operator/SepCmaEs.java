package dev.kaizen.core.operator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Separable CMA-ES (Ros and Hansen, 2008): CMA-ES with a diagonal covariance, linear in the number
 * of dimensions, maximising. Used in ask/tell form where results may arrive out of order and late;
 * a result for an older generation is ignored.
 */
public final class SepCmaEs {

    /** One point to evaluate: its generation, its standard-normal draw and its coordinates. */
    public record Sample(int generation, double[] z, double[] x) {}

    private final int n;
    private final int lambda;
    private final int mu;
    private final double[] weights;
    private final double muEff;
    private final double cSigma;
    private final double dSigma;
    private final double cc;
    private final double c1;
    private final double cMu;
    private final double chiN;

    private final double[] mean;
    private final double[] diag;
    private final double[] pSigma;
    private final double[] pc;
    private double sigma;
    private int generation;
    private final List<double[]> told = new ArrayList<>();
    private final List<Double> toldFitness = new ArrayList<>();
    private double bestFitness = Double.NEGATIVE_INFINITY;

    public SepCmaEs(double[] start, double initialSigma) {
        if (start.length == 0) {
            throw new IllegalArgumentException("CMA-ES needs at least one dimension");
        }
        if (!(initialSigma > 0)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + initialSigma);
        }
        n = start.length;
        lambda = 4 + (int) Math.floor(3 * Math.log(n));
        mu = lambda / 2;
        weights = new double[mu];
        double sum = 0;
        for (int i = 0; i < mu; i++) {
            weights[i] = Math.log(mu + 0.5) - Math.log(i + 1);
            sum += weights[i];
        }
        double sumSq = 0;
        for (int i = 0; i < mu; i++) {
            weights[i] /= sum;
            sumSq += weights[i] * weights[i];
        }
        muEff = 1 / sumSq;
        cSigma = (muEff + 2) / (n + muEff + 5);
        dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
        cc = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
        double c1Full = 2 / ((n + 1.3) * (n + 1.3) + muEff);
        double cMuFull = Math.min(1 - c1Full, 2 * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + muEff));
        double sep = (n + 2) / 3.0;
        double c1s = Math.min(1, c1Full * sep);
        double cMus = Math.min(1 - c1s, cMuFull * sep);
        c1 = c1s;
        cMu = cMus;
        chiN = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
        mean = start.clone();
        diag = new double[n];
        Arrays.fill(diag, 1.0);
        pSigma = new double[n];
        pc = new double[n];
        sigma = initialSigma;
    }

    public int dimensions() {
        return n;
    }

    public int populationSize() {
        return lambda;
    }

    public int generation() {
        return generation;
    }

    public double sigma() {
        return sigma;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double bestFitness() {
        return bestFitness;
    }

    /** Draws a new point from the current distribution. */
    public Sample ask(RandomGenerator random) {
        double[] z = new double[n];
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = random.nextGaussian();
            x[i] = mean[i] + sigma * Math.sqrt(diag[i]) * z[i];
        }
        return new Sample(generation, z, x);
    }

    /**
     * Reports a sample's fitness (larger is better; NaN for a failed candidate, ranked last). Once
     * a generation's worth of results is in, the distribution moves. Returns true when it moved.
     */
    public boolean tell(Sample sample, double fitness) {
        if (sample.generation() != generation) {
            return false;
        }
        told.add(sample.z());
        toldFitness.add(Double.isNaN(fitness) ? Double.NEGATIVE_INFINITY : fitness);
        if (!Double.isNaN(fitness)) {
            bestFitness = Math.max(bestFitness, fitness);
        }
        if (told.size() < lambda) {
            return false;
        }
        update();
        return true;
    }

    private void update() {
        Integer[] order = new Integer[told.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> toldFitness.get(i)).reversed());
        double[] zw = new double[n];
        for (int k = 0; k < mu; k++) {
            double[] z = told.get(order[k]);
            for (int i = 0; i < n; i++) {
                zw[i] += weights[k] * z[i];
            }
        }
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double d = Math.sqrt(diag[i]);
            mean[i] += sigma * d * zw[i];
            pSigma[i] = (1 - cSigma) * pSigma[i] + Math.sqrt(cSigma * (2 - cSigma) * muEff) * zw[i];
            norm += pSigma[i] * pSigma[i];
        }
        norm = Math.sqrt(norm);
        double hs = norm / Math.sqrt(1 - Math.pow(1 - cSigma, 2.0 * (generation + 1))) < (1.4 + 2.0 / (n + 1)) * chiN ? 1 : 0;
        for (int i = 0; i < n; i++) {
            double d = Math.sqrt(diag[i]);
            double yw = d * zw[i];
            pc[i] = (1 - cc) * pc[i] + hs * Math.sqrt(cc * (2 - cc) * muEff) * yw;
            double rankMu = 0;
            for (int k = 0; k < mu; k++) {
                double y = d * told.get(order[k])[i];
                rankMu += weights[k] * y * y;
            }
            diag[i] = (1 - c1 - cMu) * diag[i] + c1 * (pc[i] * pc[i] + (1 - hs) * cc * (2 - cc) * diag[i]) + cMu * rankMu;
            diag[i] = Math.max(diag[i], 1e-20);
        }
        sigma *= Math.exp((cSigma / dSigma) * (norm / chiN - 1));
        sigma = Math.min(Math.max(sigma, 1e-12), 1e6);
        told.clear();
        toldFitness.clear();
        generation++;
    }
}
