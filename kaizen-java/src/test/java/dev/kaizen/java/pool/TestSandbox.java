package dev.kaizen.java.pool;

import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.sandbox.SandboxException;
import dev.kaizen.sandbox.SandboxLimits;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** The sandbox tests run worker JVMs in: the strongest this machine has; tests needing one are skipped where it has none. */
public final class TestSandbox {

    private TestSandbox() {}

    /** {@link Sandbox#detect()}, or an aborted assumption (a skipped test) where bubblewrap is unavailable. */
    public static Sandbox detect() {
        try {
            return Sandbox.detect();
        } catch (SandboxException e) {
            Assumptions.abort("no sandbox on this machine: " + e.getMessage());
            throw e;
        }
    }

    /** Workers in {@code sandbox} with generous limits, reading {@code readOnly}. */
    static WorkerSandbox workers(Sandbox sandbox, List<Path> readOnly) {
        return WorkerSandbox.of(sandbox, SandboxLimits.defaults().withMemory(1L << 30), readOnly);
    }
}
