package dev.kaizen.java.pool;

import dev.kaizen.sandbox.Confined;
import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.sandbox.SandboxLimits;
import dev.kaizen.sandbox.SandboxSpec;
import dev.kaizen.sandbox.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How worker JVMs are confined: each runs inside {@code sandbox} under {@code limits}, in a
 * fresh private empty work directory below {@code scratch} (deleted when the worker is retired),
 * seeing the system directories and {@code readOnly} (the JDK, every class path entry, the
 * project) and nothing else of the file system; no network. The sandbox wraps the long-lived
 * worker only, so it costs once per worker start, never per candidate.
 *
 * @param sandbox  the run's sandbox
 * @param limits   the limits of one worker's process tree
 * @param readOnly what a worker may read besides the system directories
 * @param scratch  where the workers' work directories are made
 */
public record WorkerSandbox(Sandbox sandbox, SandboxLimits limits, List<Path> readOnly, Path scratch) {

    public WorkerSandbox {
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(limits, "limits");
        readOnly = readOnly.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
        scratch = Objects.requireNonNull(scratch, "scratch").toAbsolutePath().normalize();
    }

    /** Work directories in the system's temporary directory; the JDK running this JVM is added to {@code readOnly}. */
    public static WorkerSandbox of(Sandbox sandbox, SandboxLimits limits, List<Path> readOnly) {
        List<Path> all = new java.util.ArrayList<>();
        all.add(Path.of(System.getProperty("java.home")));
        all.addAll(readOnly);
        return new WorkerSandbox(sandbox, limits, all, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Prepares {@code command} for worker {@code number}: a fresh work directory and the confined
     * command line.
     *
     * @throws WorkerStartException when the directory or the confinement cannot be made
     */
    Cell open(int number, List<String> command) {
        Path dir;
        try {
            dir = Files.createTempDirectory(scratch, "kaizen-worker-" + number + "-");
        } catch (IOException e) {
            throw new WorkerStartException("cannot create a work directory for worker " + number + " in " + scratch + ": "
                    + e.getMessage(), e);
        }
        try {
            return new Cell(sandbox.confine(command, new SandboxSpec(dir, readOnly, List.of(), limits)), dir);
        } catch (RuntimeException e) {
            Trees.delete(dir);
            throw new WorkerStartException("cannot confine worker " + number + ": " + e.getMessage(), e);
        }
    }

    /** One worker's confinement and work directory. */
    record Cell(Confined confined, Path workDir) {

        /** Releases the confinement (killing what is left) and deletes the work directory. Idempotent. */
        void close() {
            confined.close();
            Trees.delete(workDir);
        }
    }
}
