package dev.kaizen.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where one sandboxed command runs and what it sees besides the system directories.
 *
 * @param workDir   the only writable directory, bound at its own path; the command starts there
 * @param readOnly  further paths bound read-only at their own paths (the JDK, a class path, a
 *                  tool the evaluator calls); system directories ({@code /usr}, {@code /bin},
 *                  {@code /lib*}, {@code /etc}) are always bound read-only
 * @param protect   paths below {@code workDir} re-bound read-only inside it (tests, evaluators)
 * @param limits    the resource limits
 */
public record SandboxSpec(Path workDir, List<Path> readOnly, List<Path> protect, SandboxLimits limits) {

    public SandboxSpec {
        workDir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath().normalize();
        readOnly = readOnly.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        protect = protect.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        for (Path p : protect) {
            if (!p.startsWith(workDir)) {
                throw new IllegalArgumentException("protected path " + p + " is not inside the work directory " + workDir);
            }
        }
        Objects.requireNonNull(limits, "limits");
    }

    public static SandboxSpec of(Path workDir, SandboxLimits limits) {
        return new SandboxSpec(workDir, List.of(), List.of(), limits);
    }
}
