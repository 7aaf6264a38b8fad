package dev.kaizen.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * No tree-wide limits: rlimits per process stand in for them. The tree is found through the pid
 * the wrapper shell writes to a pid file: under bubblewrap killing that process (bubblewrap
 * itself) takes its pid namespace down with it; without namespaces ({@code group}) the wrapper
 * made itself a session leader, so its process group and its descendants are killed.
 *
 * @param stateDir where pid files are kept
 * @param group    whether the wrapper leads a process group to kill
 * @param reason   why no cgroup limiter is used
 */
record NoLimiter(Path stateDir, boolean group, String reason, AtomicLong cells) implements Limiter {

    NoLimiter(Path stateDir, boolean group, String reason) {
        this(stateDir, group, reason, new AtomicLong());
    }

    @Override
    public String name() {
        return "rlimits";
    }

    @Override
    public String detail() {
        return reason;
    }

    @Override
    public boolean limitsMemory() {
        return false;
    }

    @Override
    public boolean limitsProcesses() {
        return false;
    }

    @Override
    public Cell open(SandboxLimits limits) {
        return new PidCell(stateDir.resolve("run-" + cells.incrementAndGet() + ".pid"), group);
    }

    @Override
    public void close() {
        // Pid files live in the sandbox's state directory, which the sandbox removes.
    }

    /** A command found through its pid file. */
    private record PidCell(Path pidFile, boolean group) implements Cell {

        @Override
        public List<Path> joinFiles() {
            return List.of(pidFile);
        }

        @Override
        public Optional<Breach> breach(int exitCode) {
            return Optional.empty();
        }

        private Optional<Long> pid() {
            try {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                return pid == ProcessHandle.current().pid() || pid <= 1 ? Optional.empty() : Optional.of(pid);
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        /**
         * The wrapper's process while it lives; not a later process that got its pid (one started
         * well after the wrapper wrote its pid file).
         */
        private Optional<ProcessHandle> process(long pid) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            try {
                java.time.Instant written = Files.getLastModifiedTime(pidFile).toInstant();
                return handle.filter(h -> h.info().startInstant()
                        .map(started -> !started.isAfter(written.plusMillis(500))).orElse(true));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        @Override
        public void kill() {
            Optional<Long> pid = pid();
            if (pid.isEmpty()) {
                return;
            }
            Optional<ProcessHandle> process = process(pid.get());
            List<ProcessHandle> descendants = process.map(p -> p.descendants().toList()).orElse(List.of());
            if (group) {
                // A process group outlives its leader while members remain, and its id is not
                // reused meanwhile: this reaches what the command left in the background.
                killGroup(pid.get());
            }
            process.ifPresent(ProcessHandle::destroyForcibly);
            descendants.forEach(ProcessHandle::destroyForcibly);
        }

        /** Kills the process group the wrapper leads (its id is the wrapper's pid, never the JVM's group). */
        private static void killGroup(long pgid) {
            Optional<Path> kill = Host.executable("kill", "/bin/kill", "/usr/bin/kill");
            List<String> command = kill.isPresent()
                    ? List.of(kill.get().toString(), "-9", "--", "-" + pgid)
                    : List.of("/bin/sh", "-c", "kill -9 -" + pgid);
            try {
                Host.run(command, Path.of("/"), 2);
            } catch (IOException e) {
                // The descendants found are still killed one by one.
            }
        }

        @Override
        public void close() {
            kill();
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // Removed with the state directory.
            }
        }
    }
}
