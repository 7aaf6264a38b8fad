package dev.kaizen.eval;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one shell command in its own process group with a time limit and bounded output, and
 * leaves nothing of it running afterwards.
 *
 * <p>With {@code setsid} on the {@code PATH} the command runs as {@code setsid /bin/sh -c command}.
 * A child of the JVM is never a process-group leader, so {@code setsid} calls {@code setsid(2)} and
 * execs in place: the pid Java sees is the new session's and group's id. When the stage ends (or
 * is killed at its limit) the whole group is killed with {@code kill -9 -- -pgid}, which also
 * reaches background grandchildren that were reparented away. As a belt, at the limit every
 * descendant still parented below the shell is killed too. Without {@code setsid} only that belt
 * works: a grandchild that detached itself (a {@code (cmd &)} subshell) survives.
 *
 * @param shell  the shell that runs the command ({@code /bin/sh})
 * @param setsid the {@code setsid} executable, when there is one
 * @param kill   the {@code kill} executable, when there is one (else the shell's builtin is used)
 */
record ShellRunner(Path shell, Optional<Path> setsid, Optional<Path> kill) {

    /** How long to wait for a killed process and for its output to close. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    ShellRunner {
        Objects.requireNonNull(shell, "shell");
        Objects.requireNonNull(setsid, "setsid");
        Objects.requireNonNull(kill, "kill");
    }

    /** {@code /bin/sh}, with {@code setsid} and {@code kill} found on the {@code PATH}. */
    static ShellRunner detect() {
        return new ShellRunner(Path.of("/bin/sh"), onPath("setsid"), onPath("kill"));
    }

    /** The first executable file called {@code name} on the {@code PATH}. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * How one run ended.
     *
     * @param exitCode the exit status (128 + signal when a signal ended it); meaningless when timed out
     * @param timedOut whether it was killed at its limit
     * @param stdout   what it printed, bounded
     * @param stderr   what it printed on stderr, bounded
     */
    record Run(int exitCode, boolean timedOut, BoundedOutput stdout, BoundedOutput stderr) {}

    /**
     * Runs {@code command} in {@code dir}. The environment is this process's plus {@code env}.
     *
     * @throws EvaluatorException   when the shell cannot be started
     * @throws InterruptedException when the calling thread is interrupted; the process tree is
     *                              killed first
     */
    Run run(String command, Path dir, Map<String, String> env, Duration timeout, int outputLimit, String name)
            throws InterruptedException {
        if (!Files.isExecutable(shell)) {
            throw new EvaluatorException("cannot run stages: the shell " + shell + " does not exist or is not executable");
        }
        ProcessBuilder builder = new ProcessBuilder(setsid.isPresent()
                        ? List.of(setsid.get().toString(), shell.toString(), "-c", command)
                        : List.of(shell.toString(), "-c", command))
                .directory(dir.toFile());
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new EvaluatorException("cannot start " + shell + " in " + dir + ": " + e.getMessage(), e);
        }
        BoundedOutput stdout = new BoundedOutput(outputLimit);
        BoundedOutput stderr = new BoundedOutput(outputLimit);
        Thread outDrain = drain(process.getInputStream(), stdout, name + "-stdout");
        Thread errDrain = drain(process.getErrorStream(), stderr, name + "-stderr");
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // The command may already have exited; it gets end-of-file on stdin either way.
        }
        boolean finished;
        try {
            finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        if (finished) {
            killGroup(process.pid());
        } else {
            killTree(process);
        }
        boolean ended = waitQuietly(process);
        outDrain.join(GRACE.toMillis());
        errDrain.join(GRACE.toMillis());
        int exit = finished || ended ? process.exitValue() : -1;
        return new Run(exit, !finished, stdout, stderr);
    }

    private static boolean waitQuietly(Process process) throws InterruptedException {
        return process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills the process, its group and every descendant found while it still lives. */
    private void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        killGroup(process.pid());
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Kills the process group the command leads, whose id is the command's pid. Harmless when the
     * group is empty already (the kill finds no process), and it can never hit the JVM's own group,
     * whose id is not the pid of one of its children.
     */
    private void killGroup(long pgid) {
        if (setsid.isEmpty()) {
            return;
        }
        List<String> command = kill.isPresent()
                ? List.of(kill.get().toString(), "-9", "--", "-" + pgid)
                : List.of(shell.toString(), "-c", "kill -9 -" + pgid);
        try {
            Process killer = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!killer.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                killer.destroyForcibly();
            }
        } catch (IOException e) {
            // Nothing more to do here: the caller's belt destroys the descendants it can see.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread drain(InputStream in, BoundedOutput sink, String name) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (in) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    sink.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // The stream was closed under us; what was read is kept.
            }
        });
    }
}
