package dev.kaizen.sandbox;

import java.util.List;
import java.util.Optional;

/**
 * One command prepared to run inside the sandbox. Start {@link #command()} with a
 * {@link ProcessBuilder} (in any directory; the sandbox changes to the work directory), then
 * {@link #close()} it when the process has ended or must end. Not thread-safe except
 * {@link #kill()}.
 */
public interface Confined extends AutoCloseable {

    /** The argument vector to start. */
    List<String> command();

    /** Kills every process of the tree, wherever it was reparented. Idempotent. */
    void kill();

    /**
     * The limit the tree ran into, judged from the limiter's counters and the exit status of
     * {@link #command()}; empty when none was hit.
     */
    Optional<Breach> breach(int exitCode);

    /** Kills what is left and releases the limiter's resources (a cgroup). Idempotent. */
    @Override
    void close();
}
