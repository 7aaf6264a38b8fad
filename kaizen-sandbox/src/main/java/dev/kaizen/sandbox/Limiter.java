package dev.kaizen.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** How a sandbox enforces memory and process limits on whole trees: cgroup v2, cgroup v1 or not at all. */
sealed interface Limiter permits CgroupLimiter, NoLimiter {

    /** {@code cgroup2}, {@code cgroup1} or {@code rlimits}. */
    String name();

    /** What it controls, for {@link Isolation#detail()}. */
    String detail();

    /** Whether the memory of a whole tree is limited (else RLIMIT_AS stands in). */
    boolean limitsMemory();

    /** Whether the number of processes of a whole tree is limited (else RLIMIT_NPROC stands in). */
    boolean limitsProcesses();

    /** A fresh cell for one command. Thread-safe. */
    Cell open(SandboxLimits limits);

    /** Removes what it made. */
    void close();

    /** The limiter's share of one confined command. */
    interface Cell {

        /**
         * Files the wrapper shell writes its pid into before it execs the command: the cgroups'
         * {@code cgroup.procs}, or a pid file.
         */
        List<Path> joinFiles();

        /** The memory or process limit the tree hit, from the cgroup's counters. */
        Optional<Breach> breach(int exitCode);

        /** Kills every process of the tree. */
        void kill();

        /** Kills what is left and removes the cell. */
        void close();
    }
}
