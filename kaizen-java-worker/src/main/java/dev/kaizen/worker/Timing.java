package dev.kaizen.worker;

import java.util.SplittableRandom;

/**
 * Measures the scoring method of a candidate and, optionally, of a reference in the same JVM,
 * interleaved so that both see the same machine state. Each program is first warmed up (calls
 * alternating between the two), then gets a batch size such that one sample lasts at least
 * {@link #MIN_SAMPLE_NANOS}, then is warmed further until its samples stop getting faster (the JIT
 * has compiled it), then gets {@code rounds} samples each, the order within each round drawn from
 * the seed. Samples are reported as nanoseconds per call.
 */
final class Timing {

    /** The shortest sample, long enough for {@code System.nanoTime} to resolve well. */
    static final long MIN_SAMPLE_NANOS = 200_000;
    private static final int MAX_BATCH = 1 << 24;
    /** Samples per program that must set no new minimum before measuring starts. */
    static final int STEADY_WINDOW = 3;
    /** The longest the warm-up waits for both programs to stop getting faster. */
    static final long SETTLE_LIMIT_NANOS = 3_000_000_000L;

    /** What one measurement found; {@code reference} is empty without a reference. */
    record Samples(long[] candidate, long[] reference) {}

    private static volatile Object sink;

    /** The candidate's median over the reference's; 1 without a reference. */
    static double ratio(Samples s) {
        if (s.reference().length == 0) {
            return 1.0;
        }
        return (double) median(s.candidate()) / Math.max(1, median(s.reference()));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private Timing() {}

    static Samples measure(ScoreMethod candidate, ScoreMethod reference, int warmup, int rounds, long seed)
            throws ScoreMethod.Threw {
        for (int i = 0; i < warmup; i++) {
            candidate.call();
            if (reference != null) {
                reference.call();
            }
        }
        int candidateBatch = batchSize(candidate);
        int referenceBatch = reference == null ? 0 : batchSize(reference);
        if (settle(candidate, candidateBatch, reference, referenceBatch)) {
            candidateBatch = batchSize(candidate);
            referenceBatch = reference == null ? 0 : batchSize(reference);
        }
        long[] c = new long[rounds];
        long[] r = new long[reference == null ? 0 : rounds];
        SplittableRandom order = new SplittableRandom(seed);
        for (int round = 0; round < rounds; round++) {
            boolean candidateFirst = reference == null || order.nextBoolean();
            if (candidateFirst) {
                c[round] = sample(candidate, candidateBatch);
            }
            if (reference != null) {
                r[round] = sample(reference, referenceBatch);
            }
            if (!candidateFirst) {
                c[round] = sample(candidate, candidateBatch);
            }
        }
        return new Samples(c, r);
    }

    /**
     * Warms both programs, interleaved, until neither is still getting faster: the JIT compiles
     * each program's classes separately (they are different classes in different loaders), and a
     * program measured before its hot loop is compiled looks many times slower than one measured
     * after. Stops when the last {@link #STEADY_WINDOW} samples of each program set no new minimum
     * more than 5% below the earlier ones, or after {@link #SETTLE_LIMIT_NANOS}. Returns whether
     * anything got faster, so that the batch sizes are worth choosing again.
     */
    private static boolean settle(ScoreMethod candidate, int candidateBatch, ScoreMethod reference, int referenceBatch)
            throws ScoreMethod.Threw {
        Series c = new Series();
        Series r = new Series();
        long start = System.nanoTime();
        while (System.nanoTime() - start < SETTLE_LIMIT_NANOS) {
            c.add(sample(candidate, candidateBatch));
            if (reference != null) {
                r.add(sample(reference, referenceBatch));
            }
            if (c.steady() && (reference == null || r.steady())) {
                break;
            }
        }
        return c.improved() || r.improved();
    }

    /** Samples seen while settling. */
    private static final class Series {
        private final java.util.List<Long> samples = new java.util.ArrayList<>();

        void add(long nanos) {
            samples.add(nanos);
        }

        boolean steady() {
            int n = samples.size();
            if (n < 2 * STEADY_WINDOW) {
                return false;
            }
            long earlier = samples.subList(0, n - STEADY_WINDOW).stream().mapToLong(Long::longValue).min().orElseThrow();
            long recent = samples.subList(n - STEADY_WINDOW, n).stream().mapToLong(Long::longValue).min().orElseThrow();
            return recent >= 0.95 * earlier;
        }

        boolean improved() {
            return samples.size() > 1 && samples.get(samples.size() - 1) < 0.8 * samples.get(0);
        }
    }

    /** Doubles the batch (or jumps towards the target) until one batch lasts {@link #MIN_SAMPLE_NANOS}. */
    private static int batchSize(ScoreMethod method) throws ScoreMethod.Threw {
        int batch = 1;
        while (true) {
            long nanos = sample(method, batch) * batch;
            if (nanos >= MIN_SAMPLE_NANOS || batch >= MAX_BATCH) {
                return batch;
            }
            long wanted = nanos <= 0 ? batch * 16L : (long) Math.ceil(batch * 1.25 * MIN_SAMPLE_NANOS / nanos);
            batch = (int) Math.min(MAX_BATCH, Math.max(batch * 2L, Math.min(wanted, batch * 16L)));
        }
    }

    /** Runs the method {@code batch} times and returns the time per call. */
    private static long sample(ScoreMethod method, int batch) throws ScoreMethod.Threw {
        Object last = null;
        long start = System.nanoTime();
        for (int i = 0; i < batch; i++) {
            last = method.call();
        }
        long nanos = System.nanoTime() - start;
        sink = last;
        return Math.round((double) nanos / batch);
    }
}
