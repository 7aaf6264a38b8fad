package dev.kaizen.worker.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The worker's answer to {@link Setup}, sent once it has warmed up its compiler and test launcher.
 *
 * @param pid          the worker's process id
 * @param javaVersion  {@code java.version} of the worker JVM
 * @param warmupNanos  how long the warm-up took
 */
public record Ready(long pid, String javaVersion, long warmupNanos) {

    public void writeTo(DataOutputStream out) throws IOException {
        out.writeByte(Wire.READY);
        out.writeLong(pid);
        Wire.writeString(out, javaVersion);
        out.writeLong(warmupNanos);
    }

    /** Reads the fields after the {@link Wire#READY} tag. */
    public static Ready readFrom(DataInputStream in) throws IOException {
        return new Ready(in.readLong(), Wire.readString(in), in.readLong());
    }
}
