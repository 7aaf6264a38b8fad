package dev.kaizen.bench;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.java.JavaEvaluator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Candidates per second with {@code workers} warm workers: each invocation evaluates a batch of
 * {@value #BATCH} new candidates from as many threads as there are workers, so the score is
 * candidates per second. With more workers than cores they only share the cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(Throughput.BATCH)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 4, time = 10)
@Fork(1)
public class Throughput {

    static final int BATCH = 20;

    @Param({"1", "2"})
    public int workers;

    private IntervalSetProject project;
    private JavaEvaluator evaluator;
    private ExecutorService threads;

    @Setup(Level.Trial)
    public void start() throws IOException, InterruptedException {
        project = IntervalSetProject.create();
        evaluator = new JavaEvaluator(project.blueprint(), project.settings(workers), IntervalSetProject.OBJECTIVE, project.classpath());
        evaluator.awaitWorkers(Duration.ofMinutes(2));
        IntervalSetProject.requirePassed(evaluator.evaluate(project.blueprint().seed(), "seed"));
        threads = Executors.newFixedThreadPool(workers);
    }

    @Benchmark
    public List<Evaluation> candidates() throws InterruptedException, ExecutionException {
        List<Future<Evaluation>> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(threads.submit(() -> evaluator.evaluate(project.nextCandidate(), "candidate")));
        }
        List<Evaluation> done = new ArrayList<>(BATCH);
        for (Future<Evaluation> f : batch) {
            done.add(IntervalSetProject.requirePassed(f.get()));
        }
        return done;
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        threads.shutdownNow();
        evaluator.close();
        project.close();
    }
}
