package dev.kaizen.worker;

import java.util.SplittableRandom;

/**
 * Measures the scoring method of a candidate and, optionally, of a reference in the same JVM,
 * interleaved so that both see the same machine state. Each program is first warmed up (calls
 * alternating between the two), then gets a batch size such that one sample lasts at least
 * {@link #MIN_SAMPLE_NANOS}, then {@code rounds} samples each, the order within each round drawn
 * from the seed. Samples are reported as nanoseconds per call.
 */
final class Timing {

    /** The shortest sample, long enough for {@code System.nanoTime} to resolve well. */
    static final long MIN_SAMPLE_NANOS = 200_000;
    private static final int MAX_BATCH = 1 << 24;

    /** What one measurement found; {@code reference} is empty without a reference. */
    record Samples(long[] candidate, long[] reference) {}

    private static volatile Object sink;

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
