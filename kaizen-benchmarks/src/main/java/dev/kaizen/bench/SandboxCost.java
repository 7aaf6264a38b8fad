package dev.kaizen.bench;

import dev.kaizen.java.JavaEvaluator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * What running the worker JVMs in the sandbox costs: for the sandbox {@code Sandbox.detect()}
 * finds and for none ({@code Sandbox.unsafeNone()}), one evaluator with one worker (and its spare)
 * is started, and the mean worker start (launch to ready, warm-up included) and the median time
 * of candidates 101 to {@code 100 + n} are printed. The sandbox wraps only the long-lived worker,
 * so only the start should differ; each kind is measured twice, alternating. Run with
 * {@code java -cp 'kaizen-benchmarks/target/kaizen-benchmarks.jar:kaizen-benchmarks/target/lib/*' dev.kaizen.bench.SandboxCost [n]}.
 */
public final class SandboxCost {

    private SandboxCost() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        for (boolean sandboxed : new boolean[] {true, false, true, false}) {
            try (IntervalSetProject project = IntervalSetProject.create(sandboxed);
                    JavaEvaluator evaluator = new JavaEvaluator(project.blueprint(), project.settings(1),
                            IntervalSetProject.OBJECTIVE, project.classpath())) {
                evaluator.awaitWorkers(Duration.ofMinutes(2));
                Duration start = evaluator.stats().meanStart();
                for (int i = 0; i < 100; i++) {
                    IntervalSetProject.requirePassed(evaluator.evaluate(project.nextCandidate(), "warm-up"));
                }
                long[] nanos = new long[n];
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    IntervalSetProject.requirePassed(evaluator.evaluate(project.nextCandidate(), "measured"));
                    nanos[i] = System.nanoTime() - t0;
                }
                Arrays.sort(nanos);
                System.out.printf(Locale.ROOT, "%-9s worker start %6d ms, candidate median %6.2f ms, p90 %6.2f ms%n",
                        sandboxed ? "sandboxed" : "none", start.toMillis(), nanos[n / 2] / 1e6, nanos[n * 9 / 10] / 1e6);
            }
        }
    }
}
