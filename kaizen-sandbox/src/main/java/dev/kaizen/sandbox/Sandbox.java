package dev.kaizen.sandbox;

/**
 * Contains candidate processes. One instance serves a whole run and is safe to use from many
 * threads.
 */
public interface Sandbox {

    /** What this sandbox gives. */
    Isolation isolation();

    /**
     * Prepares {@code command} to run confined by {@code spec}.
     *
     * @throws SandboxException when the confinement cannot be set up (a cgroup cannot be made)
     */
    Confined confine(java.util.List<String> command, SandboxSpec spec);

    /**
     * The strongest sandbox this machine supports: bubblewrap with cgroup v2, cgroup v1 or rlimit
     * limits, probed by running a real command.
     *
     * @throws SandboxException when bubblewrap is missing or cannot create namespaces; the message
     *                          names the cause and the fix ({@code scripts/setup-test-env.sh},
     *                          or {@code --unsafe-no-sandbox})
     */
    static Sandbox detect() {
        throw new UnsupportedOperationException("implemented by the sandbox module");
    }

    /** No namespaces, only rlimits: what {@code --unsafe-no-sandbox} runs with. */
    static Sandbox unsafeNone() {
        throw new UnsupportedOperationException("implemented by the sandbox module");
    }
}
