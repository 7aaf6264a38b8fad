package dev.kaizen.sandbox;

import java.util.Objects;

/**
 * What containment this machine gives, as recorded in the ledger at the start of every run.
 *
 * @param namespaces how processes are separated: {@code bubblewrap} or {@code none}
 * @param limits     how resource limits are enforced: {@code cgroup2}, {@code cgroup1} or {@code rlimits}
 * @param detail     one line a person can read: versions, controllers, why something is missing
 */
public record Isolation(String namespaces, String limits, String detail) {

    public Isolation {
        Objects.requireNonNull(namespaces, "namespaces");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(detail, "detail");
    }

    /** Whether candidates run inside namespaces (false only for {@code --unsafe-no-sandbox}). */
    public boolean sandboxed() {
        return !namespaces.equals("none");
    }

    /** E.g. {@code bubblewrap + cgroup1 (bubblewrap 0.8.0; memory, pids)}. */
    public String describe() {
        return namespaces + " + " + limits + " (" + detail + ")";
    }
}
