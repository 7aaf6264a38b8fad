package dev.kaizen.eval;

import dev.kaizen.sandbox.Breach;
import dev.kaizen.sandbox.Confined;
import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.sandbox.SandboxEnvironment;
import dev.kaizen.sandbox.SandboxException;
import dev.kaizen.sandbox.SandboxSpec;
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
 * Runs one shell command confined by a {@link Sandbox}, with a time limit, a limit on how much the
 * work directory may grow, and bounded output, and leaves nothing of it running afterwards: when
 * the command ends, times out or overfills the directory, the sandbox kills its whole tree.
 *
 * @param shell the shell that runs the command ({@code /bin/sh})
 */
record ShellRunner(Path shell) {

    /** How long to wait for a killed process and for its output to close. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    /** How often the work directory's growth is checked while a stage runs. */
    private static final long POLL_MILLIS = 100;

    ShellRunner {
        Objects.requireNonNull(shell, "shell");
    }

    /** {@code /bin/sh}. */
    static ShellRunner detect() {
        return new ShellRunner(Path.of("/bin/sh"));
    }

    /**
     * How one run ended.
     *
     * @param exitCode    the exit status (128 + signal when a signal ended it); meaningless when timed out
     * @param timedOut    whether it was killed at its time limit
     * @param diskExceeded whether it was killed because the work directory grew past its limit
     * @param breach      the sandbox limit it ran into, judged when it ended by itself
     * @param stdout      what it printed, bounded
     * @param stderr      what it printed on stderr, bounded
     */
    record Run(int exitCode, boolean timedOut, boolean diskExceeded, Optional<Breach> breach, BoundedOutput stdout,
               BoundedOutput stderr) {}

    /**
     * Runs {@code command} confined by {@code spec}. The environment is this process's plus {@code env}.
     *
     * @throws EvaluatorException   when the shell cannot be started or the sandbox cannot be set up
     * @throws InterruptedException when the calling thread is interrupted; the process tree is
     *                              killed first
     */
    Run run(Sandbox sandbox, String command, SandboxSpec spec, Map<String, String> env, Duration timeout,
            int outputLimit, String name, DiskWatch disk) throws InterruptedException {
        if (!Files.isExecutable(shell)) {
            throw new EvaluatorException("cannot run stages: the shell " + shell + " does not exist or is not executable");
        }
        Confined confined;
        try {
            confined = sandbox.confine(List.of(shell.toString(), "-c", command), spec);
        } catch (SandboxException e) {
            throw new EvaluatorException("cannot confine the stage in " + spec.workDir() + ": " + e.getMessage(), e);
        }
        try (confined) {
            ProcessBuilder builder = new ProcessBuilder(confined.command()).directory(spec.workDir().toFile());
            SandboxEnvironment.scrub(builder.environment(), List.of());
            builder.environment().putAll(env);
            Process process;
            try {
                disk.arm();
                process = builder.start();
            } catch (IOException e) {
                throw new EvaluatorException("cannot start " + shell + " in " + spec.workDir() + ": " + e.getMessage(), e);
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
            boolean finished = false;
            boolean diskExceeded = false;
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    if (process.waitFor(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS)) {
                        finished = true;
                        break;
                    }
                    if (disk.exceeded()) {
                        diskExceeded = true;
                        break;
                    }
                }
            } catch (InterruptedException e) {
                confined.kill();
                process.destroyForcibly();
                throw e;
            } catch (IOException e) {
                confined.kill();
                process.destroyForcibly();
                throw new EvaluatorException("cannot watch the size of " + spec.workDir() + ": " + e.getMessage(), e);
            }
            confined.kill();
            if (!finished) {
                process.destroyForcibly();
            }
            boolean ended = process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            outDrain.join(GRACE.toMillis());
            errDrain.join(GRACE.toMillis());
            int exit = finished || ended ? process.exitValue() : -1;
            Optional<Breach> breach = finished ? confined.breach(exit) : Optional.empty();
            return new Run(exit, !finished && !diskExceeded, diskExceeded, breach, stdout, stderr);
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
