package dev.kaizen.worker.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One candidate to evaluate.
 *
 * @param id                 echoed in the response
 * @param sources            the candidate's Java sources that differ from the compiled project,
 *                           path relative to the project (for messages) to full text; compiled in
 *                           memory, their classes shadow the project's
 * @param tests              test classes to run, by binary name; JUnit 4 and 5 alike; one that
 *                           cannot be loaded makes the candidate {@code CRASHED}
 * @param testTimeoutMillis  limit for any single test; 0 for none
 * @param timeoutMillis      limit for the whole candidate (compile, tests, scoring); 0 for none
 * @param scoreMethod        {@code com.acme.Bench#score}: a public static no-argument method whose
 *                           number, if it returns one, is the {@code score} metric and whose
 *                           running time is measured; empty for none
 * @param referenceSources   when timing, the reference program's sources (usually the parent's),
 *                           measured interleaved with the candidate in this same JVM; empty to
 *                           time the candidate alone
 * @param warmup             calls of the scoring method (per program) before measuring
 * @param rounds             samples per program, interleaved candidate/reference in an order
 *                           shuffled with {@code seed}; each sample is a batch of calls lasting at
 *                           least 0.2 ms. Timing is skipped when a test failed
 * @param countCost          also run the scoring method (or, without one, the tests) once with
 *                           bytecode counting and report the count
 * @param seed               for the measurement order
 */
public record EvaluateRequest(
        long id,
        Map<String, String> sources,
        List<String> tests,
        long testTimeoutMillis,
        long timeoutMillis,
        String scoreMethod,
        Map<String, String> referenceSources,
        int warmup,
        int rounds,
        boolean countCost,
        long seed) {

    public EvaluateRequest {
        sources = Map.copyOf(sources);
        tests = List.copyOf(tests);
        scoreMethod = Objects.requireNonNullElse(scoreMethod, "");
        referenceSources = Map.copyOf(referenceSources);
        if (testTimeoutMillis < 0 || timeoutMillis < 0 || warmup < 0 || rounds < 0) {
            throw new IllegalArgumentException("time limits, warmup and rounds must be >= 0");
        }
    }

    public void writeTo(DataOutputStream out) throws IOException {
        out.writeByte(Wire.EVALUATE);
        out.writeLong(id);
        Wire.writeMap(out, new java.util.TreeMap<>(sources));
        Wire.writeStrings(out, tests);
        out.writeLong(testTimeoutMillis);
        out.writeLong(timeoutMillis);
        Wire.writeString(out, scoreMethod);
        Wire.writeMap(out, new java.util.TreeMap<>(referenceSources));
        out.writeInt(warmup);
        out.writeInt(rounds);
        out.writeBoolean(countCost);
        out.writeLong(seed);
    }

    /** Reads the fields after the {@link Wire#EVALUATE} tag. */
    public static EvaluateRequest readFrom(DataInputStream in) throws IOException {
        return new EvaluateRequest(in.readLong(), Wire.readMap(in), Wire.readStrings(in), in.readLong(), in.readLong(),
                Wire.readString(in), Wire.readMap(in), in.readInt(), in.readInt(), in.readBoolean(), in.readLong());
    }
}
