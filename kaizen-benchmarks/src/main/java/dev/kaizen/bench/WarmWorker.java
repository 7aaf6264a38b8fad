package dev.kaizen.bench;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.java.JavaEvaluator;
import java.io.IOException;
import java.time.Duration;
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
 * One candidate through a warm worker: {@link JavaEvaluator} with one worker JVM renders a new
 * candidate, the worker compiles it in memory, loads it in a fresh class loader and runs the ten
 * tests. No score method and no timing. Read the median ({@code p0.50}). The warm-up iterations
 * (several hundred candidates) let the worker's JIT compile javac and JUnit, as in a long run;
 * a worker's first candidates are several times slower. {@code sandboxed=false} runs the worker
 * without a sandbox ({@code Sandbox.unsafeNone()}), the baseline for what the sandbox costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(1)
public class WarmWorker {

    @Param({"true", "false"})
    public boolean sandboxed;

    private IntervalSetProject project;
    private JavaEvaluator evaluator;

    @Setup(Level.Trial)
    public void start() throws IOException, InterruptedException {
        project = IntervalSetProject.create(sandboxed);
        evaluator = new JavaEvaluator(project.blueprint(), project.settings(1), IntervalSetProject.OBJECTIVE, project.classpath());
        evaluator.awaitWorkers(Duration.ofMinutes(2));
        IntervalSetProject.requirePassed(evaluator.evaluate(project.blueprint().seed(), "seed"));
    }

    @Benchmark
    public Evaluation candidate() {
        return IntervalSetProject.requirePassed(evaluator.evaluate(project.nextCandidate(), "candidate"));
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        evaluator.close();
        project.close();
    }
}
