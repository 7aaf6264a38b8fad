package dev.kaizen.java.pool;

import dev.kaizen.sandbox.Breach;
import dev.kaizen.sandbox.SandboxEnvironment;
import dev.kaizen.worker.wire.EvaluateRequest;
import dev.kaizen.worker.wire.EvaluateResponse;
import dev.kaizen.worker.wire.Ready;
import dev.kaizen.worker.wire.Setup;
import dev.kaizen.worker.wire.Wire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One worker JVM seen from the host: started with {@link #start}, which sends the {@link Setup}
 * and waits for {@link Ready}; then {@link #evaluate} one candidate at a time, each under a hard
 * limit after which the worker is killed with its process tree. A worker that died, was killed,
 * broke the protocol or asked to be recycled is never used again ({@link #usable()} is false).
 *
 * <p>The JVM runs confined by a {@link WorkerSandbox}, in a private work directory; when it dies
 * at one of the sandbox's limits the result says which ({@link WorkerResult.Breached}). The
 * confinement is released and the directory deleted once the worker is {@link #shutdown}.
 *
 * <p>Not for concurrent use: one thread at a time evaluates on a worker (the pool leases it).
 * The worker's stderr is drained continuously into a bounded buffer, so a chatty JVM never blocks
 * and a crash report can quote its end.
 */
public final class WorkerProcess {

    /** How long to wait for the rest of a dead worker's stderr. */
    private static final long STDERR_WAIT_MILLIS = 2000;
    /** How much of the end of stderr is kept. */
    static final int STDERR_KEPT = 16 * 1024;
    /** How much of it a crash reason quotes. */
    static final int STDERR_QUOTED = 2000;
    /** How long to wait for a dead or killed worker's exit status. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

    private final int number;
    private final Process process;
    private final WorkerSandbox.Cell cell;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final TailBuffer stderr;
    /** Drains {@link #stderr}; joined before quoting a dead worker's last words. */
    private final Thread stderrReader;
    private final ScheduledExecutorService watchdog;
    private Ready ready;
    private final long spawnedAt = System.nanoTime();
    private Duration startTime = Duration.ZERO;
    private int served;
    private volatile boolean killed;
    private volatile boolean broken;
    private volatile String recycleReason;

    private WorkerProcess(int number, Process process, WorkerSandbox.Cell cell, TailBuffer stderr, Thread stderrReader,
            ScheduledExecutorService watchdog) {
        this.stderrReader = stderrReader;
        this.number = number;
        this.process = process;
        this.cell = cell;
        this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 64 * 1024));
        this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 64 * 1024));
        this.stderr = stderr;
        this.watchdog = watchdog;
    }

    /**
     * Starts a worker JVM and waits until it is ready. The worker dies with the calling thread
     * (the sandbox follows its parent thread): call this from a thread that outlives the worker.
     *
     * @param number       names the worker in thread names and messages
     * @param sandbox      what the JVM runs in
     * @param startTimeout how long starting and warming up may take
     * @param watchdog     schedules the kills at time limits
     * @throws WorkerStartException with the exit status and the end of stderr when the JVM does
     *                              not start, exits, or is not ready in time
     */
    public static WorkerProcess start(int number, WorkerCommand command, WorkerSandbox sandbox, Setup setup,
            Duration startTimeout, ScheduledExecutorService watchdog) {
        WorkerProcess w = spawn(number, command, sandbox, watchdog);
        try {
            w.handshake(setup, startTimeout);
        } catch (WorkerStartException e) {
            w.release();
            throw e;
        }
        return w;
    }

    /**
     * Starts a worker JVM without waiting for it: {@link #handshake} makes it ready. The worker
     * dies with the calling thread.
     *
     * @throws WorkerStartException when the process cannot be started at all
     */
    static WorkerProcess spawn(int number, WorkerCommand command, WorkerSandbox sandbox, ScheduledExecutorService watchdog) {
        WorkerSandbox.Cell cell = sandbox.open(number, command.commandLine());
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(cell.confined().command()).directory(cell.workDir().toFile());
            SandboxEnvironment.scrub(builder.environment(), List.of());
            process = builder.start();
        } catch (IOException e) {
            cell.close();
            throw new WorkerStartException("cannot start the worker JVM " + command.java() + ": " + e.getMessage(), e);
        }
        TailBuffer stderr = new TailBuffer(STDERR_KEPT);
        Thread reader = drain(process.getErrorStream(), stderr, "kaizen-worker-" + number + "-stderr");
        return new WorkerProcess(number, process, cell, stderr, reader, watchdog);
    }

    /**
     * Sends the {@link Setup} and waits for {@link Ready}, at most {@code startTimeout}; on failure
     * the JVM is killed.
     *
     * @throws WorkerStartException with the exit status and the end of stderr when the JVM exits,
     *                              answers something else, or is not ready in time
     */
    void handshake(Setup setup, Duration startTimeout) {
        Objects.requireNonNull(setup, "setup");
        ScheduledFuture<?> timer = watchdog.schedule(this::expire, startTimeout.toNanos(), TimeUnit.NANOSECONDS);
        Ready answer;
        try {
            setup.writeTo(out);
            out.flush();
            int tag = Wire.readTag(in);
            if (tag == Wire.READY) {
                answer = Ready.readFrom(in);
            } else if (tag == Wire.PROTOCOL_ERROR) {
                String message = Wire.readString(in);
                kill();
                throw new WorkerStartException("the worker JVM rejected its setup: " + message + stderrQuote());
            } else if (tag == -1) {
                throw startFailure(startTimeout, null);
            } else {
                kill();
                throw new WorkerStartException("the worker JVM answered its setup with unknown message tag " + tag
                        + " instead of READY" + stderrQuote());
            }
        } catch (IOException e) {
            throw startFailure(startTimeout, e);
        } finally {
            timer.cancel(false);
        }
        if (killed) {
            throw startFailure(startTimeout, null);
        }
        ready = answer;
        startTime = Duration.ofNanos(System.nanoTime() - spawnedAt);
    }

    private WorkerStartException startFailure(Duration startTimeout, IOException cause) {
        if (killed) {
            return new WorkerStartException("the worker JVM was not ready within " + startTimeout.toMillis()
                    + " ms and was killed" + stderrQuote(), cause);
        }
        int status = exitStatus();
        Optional<Breach> breach = status == -1 ? Optional.empty() : cell.confined().breach(status);
        kill();
        if (breach.isPresent()) {
            return new WorkerStartException("the worker JVM was killed at its sandbox's " + breach.get().describe()
                    + " before it was ready" + stderrQuote(), cause);
        }
        return new WorkerStartException("the worker JVM exited with status " + status + " before it was ready"
                + (cause == null ? "" : " (" + cause.getMessage() + ")") + stderrQuote(), cause);
    }

    /**
     * Sends one candidate and waits for its result, at most {@code hardLimit}; past it the worker
     * is killed with its process tree.
     *
     * @throws IllegalStateException when the worker is no longer usable
     */
    public WorkerResult evaluate(EvaluateRequest request, Duration hardLimit) {
        if (!usable()) {
            throw new IllegalStateException("worker " + number + " is retired and cannot evaluate");
        }
        served++;
        ScheduledFuture<?> timer = watchdog.schedule(this::expire, hardLimit.toNanos(), TimeUnit.NANOSECONDS);
        try {
            request.writeTo(out);
            out.flush();
            int tag = Wire.readTag(in);
            if (tag == Wire.RESULT) {
                EvaluateResponse response = EvaluateResponse.readFrom(in);
                timer.cancel(false);
                if (response.id() != request.id()) {
                    broken = true;
                    kill();
                    return new WorkerResult.Died(-1, "the worker answered request " + response.id() + " to request "
                            + request.id() + " (a protocol error)", stderrTail());
                }
                if (response.recycle()) {
                    recycleReason = response.recycleReason().isBlank() ? "asked by the worker" : response.recycleReason();
                }
                if (killed) {
                    broken = true;
                }
                return new WorkerResult.Answered(response);
            }
            if (tag == Wire.PROTOCOL_ERROR) {
                String message = Wire.readString(in);
                broken = true;
                kill();
                return new WorkerResult.Died(-1, "the worker could not read the request: " + message, stderrTail());
            }
            if (tag == -1) {
                return ended(hardLimit, null);
            }
            broken = true;
            kill();
            return new WorkerResult.Died(-1, "the worker's output is corrupted (message tag " + tag
                    + "); did the candidate write to the process's stdout directly?", stderrTail());
        } catch (IOException e) {
            return ended(hardLimit, e);
        } finally {
            timer.cancel(false);
        }
    }

    private WorkerResult ended(Duration hardLimit, IOException cause) {
        broken = true;
        if (killed) {
            exitStatus(); // the kill is under way: wait for it, so that the worker is gone and its stderr complete
            return new WorkerResult.TimedOut(hardLimit, stderrTail());
        }
        int status = exitStatus();
        Optional<Breach> breach = status == -1 ? Optional.empty() : cell.confined().breach(status);
        if (breach.isPresent()) {
            return new WorkerResult.Breached(breach.get(), status, stderrTail());
        }
        if (status == -1) {
            kill();
            return new WorkerResult.Died(-1, "the worker's output broke off while it ran the candidate"
                    + (cause == null ? "" : " (" + cause.getMessage() + ")") + "; it was killed", stderrTail());
        }
        return new WorkerResult.Died(status, "the worker JVM exited with status " + status
                + " while running the candidate (System.exit or Runtime.halt through reflection, or a JVM crash)", stderrTail());
    }

    /** The exit status, waiting a little for the process to end; -1 when it is still running. */
    private int exitStatus() {
        try {
            if (process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    /** Called by the watchdog when a limit runs out. */
    private void expire() {
        killed = true;
        broken = true;
        kill();
    }

    /** Kills the JVM and every process it started, at once. */
    void kill() {
        List<ProcessHandle> children = process.descendants().toList();
        cell.confined().kill();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Kills what is left, waits a little for the JVM to end, releases its confinement and deletes
     * its work directory. Idempotent.
     */
    void release() {
        if (process.isAlive()) {
            kill();
            try {
                process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        cell.close();
    }

    /**
     * Stops the worker: asks it to shut down when it is still usable, waits up to {@code grace}
     * for it to exit, then kills it with its process tree and releases its confinement.
     */
    public void shutdown(Duration grace) {
        if (process.isAlive() && !broken) {
            try {
                out.writeByte(Wire.SHUTDOWN);
                out.flush();
                out.close();
            } catch (IOException e) {
                // It is already going away; the kill below makes sure.
            }
        }
        broken = true;
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
        release();
    }

    /** The worker's private work directory, its only writable place besides a private {@code /tmp}. */
    public Path workDir() {
        return cell.workDir();
    }

    /** Whether it may evaluate another candidate: alive, not killed, and it did not ask to be recycled. */
    public boolean usable() {
        return !broken && recycleReason == null && process.isAlive();
    }

    /** Whether it was killed because a time limit ran out. */
    public boolean timedOut() {
        return killed;
    }

    /** Why the worker asked to be recycled, or null when it did not. */
    public String recycleReason() {
        return recycleReason;
    }

    /** Candidates sent to this worker. */
    public int served() {
        return served;
    }

    /** The worker's number in its pool. */
    public int number() {
        return number;
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    /** What the worker reported when it became ready. */
    public Ready ready() {
        return ready;
    }

    /** How long starting it took, from launching the JVM until it was ready. */
    public Duration startTime() {
        return startTime;
    }

    /** Whether the JVM is still running. */
    public boolean alive() {
        return process.isAlive();
    }

    /** The end of what the worker wrote to stderr. */
    public String stderrTail() {
        if (!process.isAlive()) {
            try {
                stderrReader.join(STDERR_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String text = stderr.text().strip();
        return text.length() <= STDERR_QUOTED ? text : "[...]" + text.substring(text.length() - STDERR_QUOTED);
    }

    private String stderrQuote() {
        String text = stderrTail();
        if (text.isEmpty()) {
            return " (nothing on stderr)";
        }
        return "; its stderr ends with:\n" + text.lines().map(l -> "  " + l).collect(Collectors.joining("\n"));
    }

    private static Thread drain(InputStream stream, TailBuffer sink, String name) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            byte[] buffer = new byte[8192];
            try (stream) {
                int n;
                while ((n = stream.read(buffer)) != -1) {
                    sink.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // The process is gone; what was read is kept.
            }
        });
    }

    @Override
    public String toString() {
        return "worker " + number + " (pid " + process.pid() + ")";
    }
}
