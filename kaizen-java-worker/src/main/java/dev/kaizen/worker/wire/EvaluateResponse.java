package dev.kaizen.worker.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the worker found for one candidate. The host turns this into an outcome and metrics.
 *
 * @param id              the request's id
 * @param status          how far the candidate got
 * @param detail          for {@code COMPILE_ERROR} the compiler's diagnostics; for {@code CRASHED},
 *                        {@code TIMED_OUT}, {@code VIOLATION} and {@code REFUSED} what happened, in one or a few lines
 * @param tests           every test that ran, in the order they finished
 * @param score           the scoring method's number; NaN when there is none or it returned none
 * @param candidateNanos  nanoseconds per call of the candidate's scoring method, one per sample;
 *                        empty when not timed
 * @param referenceNanos  the same for the reference, interleaved with the candidate's; empty
 *                        without a reference
 * @param cost            bytecode instructions counted in the project's classes (calls into the
 *                        JDK and libraries count as one instruction), or -1
 * @param output          what the candidate printed to stdout and stderr, capped
 * @param violations      JVM-global changes and isolation breaches the worker detected (a thread
 *                        left running, a system property changed, {@code System.exit} called);
 *                        non-empty makes a {@code COMPLETED} candidate a {@code VIOLATION}
 * @param recycle         true when this worker must not serve another candidate; the worker exits
 *                        right after sending this response
 * @param recycleReason   why, when {@code recycle}
 * @param compileNanos    time spent compiling the candidate (and the reference, if not cached)
 * @param runNanos        time spent loading and running tests, scoring and timing
 * @param heapUsed        heap bytes in use after the candidate, after its loader was released
 *                        (no collection is forced, so this includes its garbage)
 * @param metaspaceUsed   metaspace bytes in use after the candidate
 * @param served          candidates this worker has evaluated, this one included
 */
public record EvaluateResponse(
        long id,
        Status status,
        String detail,
        List<TestResult> tests,
        double score,
        long[] candidateNanos,
        long[] referenceNanos,
        long cost,
        String output,
        List<String> violations,
        boolean recycle,
        String recycleReason,
        long compileNanos,
        long runNanos,
        long heapUsed,
        long metaspaceUsed,
        int served) {

    /** How far a candidate got. */
    public enum Status {
        /** Compiled and ran; the tests' own results say whether it is correct. */
        COMPLETED,
        /** Did not compile; {@code detail} has the diagnostics. */
        COMPILE_ERROR,
        /** A test or the whole candidate ran past its limit. */
        TIMED_OUT,
        /** Loading or running failed outside the tests (out of memory, a linkage error, the scoring method threw). */
        CRASHED,
        /** The candidate broke the worker's isolation; {@code violations} says how. */
        VIOLATION,
        /**
         * The bytecode guard refused the candidate before any of its classes was loaded;
         * {@code detail} names the forbidden call, where it is, and its category.
         */
        REFUSED
    }

    public EvaluateResponse {
        Objects.requireNonNull(status, "status");
        detail = Objects.requireNonNullElse(detail, "");
        tests = List.copyOf(tests);
        candidateNanos = candidateNanos.clone();
        referenceNanos = referenceNanos.clone();
        output = Objects.requireNonNullElse(output, "");
        violations = List.copyOf(violations);
        recycleReason = Objects.requireNonNullElse(recycleReason, "");
    }

    public void writeTo(DataOutputStream out) throws IOException {
        out.writeByte(Wire.RESULT);
        out.writeLong(id);
        out.writeByte(status.ordinal());
        Wire.writeString(out, detail);
        out.writeInt(tests.size());
        for (TestResult t : tests) {
            t.writeTo(out);
        }
        out.writeDouble(score);
        Wire.writeLongs(out, candidateNanos);
        Wire.writeLongs(out, referenceNanos);
        out.writeLong(cost);
        Wire.writeString(out, output);
        Wire.writeStrings(out, violations);
        out.writeBoolean(recycle);
        Wire.writeString(out, recycleReason);
        out.writeLong(compileNanos);
        out.writeLong(runNanos);
        out.writeLong(heapUsed);
        out.writeLong(metaspaceUsed);
        out.writeInt(served);
    }

    /** Reads the fields after the {@link Wire#RESULT} tag. */
    public static EvaluateResponse readFrom(DataInputStream in) throws IOException {
        long id = in.readLong();
        int s = in.readUnsignedByte();
        if (s >= Status.values().length) {
            throw new IOException("corrupt stream: status " + s);
        }
        String detail = Wire.readString(in);
        int n = Wire.count(in);
        List<TestResult> tests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tests.add(TestResult.readFrom(in));
        }
        return new EvaluateResponse(id, Status.values()[s], detail, tests, in.readDouble(), Wire.readLongs(in), Wire.readLongs(in),
                in.readLong(), Wire.readString(in), Wire.readStrings(in), in.readBoolean(), Wire.readString(in),
                in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt());
    }

    /** The tests with the given status. */
    public long count(TestResult.Status wanted) {
        return tests.stream().filter(t -> t.status() == wanted).count();
    }
}
