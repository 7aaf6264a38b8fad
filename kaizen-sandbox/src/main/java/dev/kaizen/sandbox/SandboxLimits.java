package dev.kaizen.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * What one sandboxed process tree may use. Wall time is the caller's: it kills the tree at its
 * own limit with {@link Confined#kill()}.
 *
 * @param cpuTime     CPU seconds per process (RLIMIT_CPU)
 * @param memoryBytes memory of the whole tree (cgroup), or address space per process (rlimit fallback)
 * @param processes   processes and threads alive at once in the tree (cgroup pids), ignored by the rlimit fallback when running as root
 * @param fileBytes   bytes written: the largest file (RLIMIT_FSIZE) and the most the writable directory may grow by
 * @param tmpBytes    size of the private /tmp
 */
public record SandboxLimits(Duration cpuTime, long memoryBytes, int processes, long fileBytes, long tmpBytes) {

    public SandboxLimits {
        Objects.requireNonNull(cpuTime, "cpuTime");
        if (cpuTime.isNegative() || cpuTime.isZero()) {
            throw new IllegalArgumentException("cpu time limit must be positive, got " + cpuTime);
        }
        if (memoryBytes < 16L << 20) {
            throw new IllegalArgumentException("memory limit must be at least 16 MiB, got " + memoryBytes + " bytes");
        }
        if (processes < 1) {
            throw new IllegalArgumentException("process limit must be at least 1, got " + processes);
        }
        if (fileBytes < 1L << 20) {
            throw new IllegalArgumentException("bytes-written limit must be at least 1 MiB, got " + fileBytes);
        }
        if (tmpBytes < 1L << 20) {
            throw new IllegalArgumentException("/tmp size must be at least 1 MiB, got " + tmpBytes);
        }
    }

    /** 10 CPU minutes, 2 GiB, 256 processes, 256 MiB written, 64 MiB of /tmp. */
    public static SandboxLimits defaults() {
        return new SandboxLimits(Duration.ofMinutes(10), 2L << 30, 256, 256L << 20, 64L << 20);
    }

    public SandboxLimits withMemory(long bytes) {
        return new SandboxLimits(cpuTime, bytes, processes, fileBytes, tmpBytes);
    }

    public SandboxLimits withProcesses(int n) {
        return new SandboxLimits(cpuTime, memoryBytes, n, fileBytes, tmpBytes);
    }

    public SandboxLimits withCpuTime(Duration d) {
        return new SandboxLimits(d, memoryBytes, processes, fileBytes, tmpBytes);
    }

    public SandboxLimits withFileBytes(long bytes) {
        return new SandboxLimits(cpuTime, memoryBytes, processes, bytes, tmpBytes);
    }
}
