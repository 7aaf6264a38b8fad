package dev.kaizen.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@code sandbox:} says: the resource limits of one evaluation, over its whole process tree.
 * Plain values; the evaluators turn them into their sandbox's settings. Reference:
 * docs/kaizen-yaml.md.
 *
 * @param memoryBytes memory of the whole process tree
 * @param processes   processes (and threads) at once
 * @param cpuTime     CPU time over all processes
 * @param diskBytes   bytes one evaluation may write
 * @param tmpBytes    size of the private temporary directory
 * @param readOnly    absolute paths the evaluation may read besides the system directories (an
 *                    interpreter installed under a home directory or {@code /opt})
 */
public record SandboxConfig(long memoryBytes, int processes, Duration cpuTime, long diskBytes, long tmpBytes, List<Path> readOnly) {

    public static final long DEFAULT_MEMORY = 2L << 30;
    public static final int DEFAULT_PROCESSES = 256;
    public static final Duration DEFAULT_CPU_TIME = Duration.ofMinutes(10);
    public static final long DEFAULT_DISK = 256L << 20;
    public static final long DEFAULT_TMP = 64L << 20;

    public SandboxConfig {
        positive(memoryBytes, "memory");
        positive(processes, "processes");
        Objects.requireNonNull(cpuTime, "cpuTime");
        if (cpuTime.isZero() || cpuTime.isNegative()) {
            throw new IllegalArgumentException("sandbox cpu_time must be positive, got " + cpuTime);
        }
        positive(diskBytes, "disk");
        positive(tmpBytes, "tmp");
        readOnly = List.copyOf(readOnly);
    }

    /** Limits without extra read-only paths. */
    public SandboxConfig(long memoryBytes, int processes, Duration cpuTime, long diskBytes, long tmpBytes) {
        this(memoryBytes, processes, cpuTime, diskBytes, tmpBytes, List.of());
    }

    /** 2 GiB, 256 processes, 10 minutes of CPU, 256 MiB written, 64 MiB of temporary space. */
    public static SandboxConfig defaults() {
        return new SandboxConfig(DEFAULT_MEMORY, DEFAULT_PROCESSES, DEFAULT_CPU_TIME, DEFAULT_DISK, DEFAULT_TMP);
    }

    private static void positive(long value, String key) {
        if (value < 1) {
            throw new IllegalArgumentException("sandbox " + key + " must be positive, got " + value);
        }
    }
}
