package dev.kaizen.bench;

import dev.kaizen.java.JavaSettings;
import dev.kaizen.java.pool.WorkerCommand;
import dev.kaizen.java.pool.WorkerProcess;
import dev.kaizen.worker.wire.EvaluateResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline for {@link WarmWorker}: a fresh worker JVM per candidate, as a tool that starts
 * {@code java} for every candidate would run it. Each invocation starts a worker with the same
 * command line the pool uses, sends the setup, evaluates one new candidate (compile, load, the ten
 * tests) and shuts the worker down, waiting for it to exit.
 *
 * <p>{@code workerWarmup=false} is the fair baseline: the worker skips its warm-up
 * ({@code -Dkaizen.worker.warmup=false}), which a cold JVM per candidate would not run.
 * {@code workerWarmup=true} is what starting one of Kaizen's own workers costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 8)
@Fork(1)
public class ColdJvm {

    private static final Duration LIMIT = Duration.ofMinutes(2);

    @Param({"false", "true"})
    public boolean workerWarmup;

    private IntervalSetProject project;
    private WorkerCommand command;
    private ScheduledExecutorService watchdog;
    private long requests;

    @Setup(Level.Trial)
    public void prepare() throws IOException {
        project = IntervalSetProject.create();
        List<String> jvmArgs = workerWarmup ? List.of() : List.of("-Dkaizen.worker.warmup=false");
        command = WorkerCommand.of(JavaSettings.DEFAULT_WORKER_HEAP, jvmArgs, project.classpath().workerJars());
        watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    }

    @Benchmark
    public EvaluateResponse candidate() {
        WorkerProcess worker = WorkerProcess.start(0, command, project.workerSandbox(command), project.setup(), LIMIT, watchdog);
        try {
            return IntervalSetProject.requirePassed(worker.evaluate(project.request(++requests, project.nextCandidate()), LIMIT));
        } finally {
            worker.shutdown(Duration.ofSeconds(5));
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        watchdog.shutdownNow();
        project.close();
    }
}
