package dev.kaizen.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Contains candidate processes. One instance serves a whole run and is safe to use from many
 * threads; {@link #close()} it at the end of the run to release what it set up (cgroups, a
 * private state directory).
 */
public interface Sandbox extends AutoCloseable {

    /** What this sandbox gives. */
    Isolation isolation();

    /**
     * Prepares {@code command} to run confined by {@code spec}.
     *
     * @throws SandboxException      when the confinement cannot be set up (a cgroup cannot be made,
     *                               a protected path does not exist)
     * @throws IllegalStateException when the sandbox was closed
     */
    Confined confine(List<String> command, SandboxSpec spec);

    /**
     * This sandbox, with {@code paths} also bound read-only into every command it confines: tools a
     * target needs that live outside the system directories (an interpreter under a home
     * directory or {@code /opt}). Closing the result closes this sandbox.
     */
    default Sandbox readingAlso(List<Path> paths) {
        if (paths.isEmpty()) {
            return this;
        }
        Sandbox inner = this;
        List<Path> extra = List.copyOf(paths);
        return new Sandbox() {
            @Override
            public Isolation isolation() {
                Isolation i = inner.isolation();
                return new Isolation(i.namespaces(), i.limits(), i.detail() + "; also read-only: " + extra.size() + " path(s)");
            }

            @Override
            public Confined confine(List<String> command, SandboxSpec spec) {
                List<Path> readOnly = new ArrayList<>(spec.readOnly());
                readOnly.addAll(extra);
                return inner.confine(command, new SandboxSpec(spec.workDir(), readOnly, spec.protect(), spec.limits()));
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    /** Kills what is still confined and releases the sandbox's resources. Idempotent. */
    @Override
    void close();

    /**
     * The strongest sandbox this machine supports: bubblewrap with cgroup v2, cgroup v1 or rlimit
     * limits, probed by running a real command.
     *
     * @throws SandboxException when bubblewrap is missing or cannot create namespaces; the message
     *                          names the cause and the fix ({@code scripts/setup-test-env.sh},
     *                          or {@code --unsafe-no-sandbox})
     */
    static Sandbox detect() {
        return Confiner.detect(Confiner.ALL_LIMITERS);
    }

    /** No namespaces, only rlimits: what {@code --unsafe-no-sandbox} runs with. */
    static Sandbox unsafeNone() {
        return Confiner.unsafe();
    }
}
