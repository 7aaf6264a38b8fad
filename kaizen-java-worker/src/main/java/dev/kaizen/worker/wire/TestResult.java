package dev.kaizen.worker.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * How one test ended.
 *
 * @param name    {@code com.acme.SorterTest#sorts} (binary class name), followed by the display
 *                name when it says more than the method's name (parameterized, repeated and
 *                dynamic tests, {@code @DisplayName}); a test class that failed or was skipped
 *                as a whole is reported under its class name
 * @param status  its result
 * @param message for a failure, the exception's class and message and the top frames of the
 *                candidate's code; empty otherwise
 * @param nanos   how long it ran
 */
public record TestResult(String name, Status status, String message, long nanos) {

    /** The result of one test. */
    public enum Status { PASSED, FAILED, ABORTED, SKIPPED, TIMED_OUT }

    public TestResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        message = Objects.requireNonNullElse(message, "");
    }

    public void writeTo(DataOutputStream out) throws IOException {
        Wire.writeString(out, name);
        out.writeByte(status.ordinal());
        Wire.writeString(out, message);
        out.writeLong(nanos);
    }

    /** Reads one result, as {@link #writeTo} wrote it. */
    public static TestResult readFrom(DataInputStream in) throws IOException {
        String name = Wire.readString(in);
        int s = in.readUnsignedByte();
        if (s >= Status.values().length) {
            throw new IOException("corrupt stream: test status " + s);
        }
        return new TestResult(name, Status.values()[s], Wire.readString(in), in.readLong());
    }
}
