package dev.kaizen.worker.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The first message a worker receives: where the project's compiled classes are and what to
 * compile candidates against.
 *
 * @param classDirs        the project's own output directories (main and test classes), loaded
 *                         afresh for every candidate so that tests see the candidate's classes
 * @param compileClasspath everything candidates compile against: {@code classDirs} and the jars
 * @param release          the {@code --release} for javac, for example {@code "21"}
 * @param outputLimit      bytes of stdout/stderr kept per candidate (head and tail)
 * @param guard            what the bytecode guard refuses in candidates' own classes
 */
public record Setup(List<String> classDirs, List<String> compileClasspath, String release, int outputLimit, GuardPolicy guard) {

    public Setup {
        classDirs = List.copyOf(classDirs);
        compileClasspath = List.copyOf(compileClasspath);
        Objects.requireNonNull(release, "release");
        if (outputLimit < 0) {
            throw new IllegalArgumentException("outputLimit must be >= 0");
        }
        Objects.requireNonNull(guard, "guard");
    }

    /** A setup with the default guard ({@link GuardPolicy#defaults()}). */
    public Setup(List<String> classDirs, List<String> compileClasspath, String release, int outputLimit) {
        this(classDirs, compileClasspath, release, outputLimit, GuardPolicy.defaults());
    }

    /** A copy with another guard. */
    public Setup withGuard(GuardPolicy other) {
        return new Setup(classDirs, compileClasspath, release, outputLimit, other);
    }

    public void writeTo(DataOutputStream out) throws IOException {
        out.writeByte(Wire.SETUP);
        Wire.writeStrings(out, classDirs);
        Wire.writeStrings(out, compileClasspath);
        Wire.writeString(out, release);
        out.writeInt(outputLimit);
        guard.writeTo(out);
    }

    /** Reads the fields after the {@link Wire#SETUP} tag. */
    public static Setup readFrom(DataInputStream in) throws IOException {
        return new Setup(Wire.readStrings(in), Wire.readStrings(in), Wire.readString(in), in.readInt(), GuardPolicy.readFrom(in));
    }
}
