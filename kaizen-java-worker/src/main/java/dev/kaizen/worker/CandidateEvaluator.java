package dev.kaizen.worker;

import dev.kaizen.worker.wire.EvaluateRequest;
import dev.kaizen.worker.wire.EvaluateResponse;
import dev.kaizen.worker.wire.EvaluateResponse.Status;
import dev.kaizen.worker.wire.Setup;
import dev.kaizen.worker.wire.TestResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates candidates one after another, for the life of a worker: holds what is shared between
 * candidates (the compiler, the project's class bytes, the test launcher, the isolation checks, the
 * output capture) and, per candidate, starts a fresh runner thread for an {@link Evaluation} and
 * watches it. A test that runs past the request's per-test limit, or a candidate past its overall
 * limit, ends the watch with {@code TIMED_OUT}: the {@link Deadline} expires, so every loop in
 * candidate code throws at its next iteration, and the runner is interrupted. If it then finishes
 * within a second, the worker carries on; if not (stuck inside the JDK, where no check reaches),
 * the response says {@code recycle}, since a thread cannot be stopped on a modern JVM. The
 * isolation checks run once the runner is done, and the response is assembled.
 */
final class CandidateEvaluator {

    private static final long WATCH_INTERVAL_MILLIS = 10;
    /** How long a timed-out candidate gets to unwind once its loops throw, before the worker gives up on it. */
    private static final long STOP_GRACE_MILLIS = 1000;

    /** Freed on an {@link OutOfMemoryError}, so that the worker can still answer. */
    private static volatile byte[] reserve = new byte[1 << 20];

    private final Setup setup;
    private final InMemoryCompiler compiler;
    private final ProjectClasses project;
    private final TestRunner tests;
    private final IsolationChecks checks;
    private final OutputCapture output;
    private final CandidateGuard guard;
    private final ClassLoader parent = CandidateEvaluator.class.getClassLoader();
    private int served;

    CandidateEvaluator(Setup setup, InMemoryCompiler compiler, ProjectClasses project, TestRunner tests,
            IsolationChecks checks, OutputCapture output) {
        this.setup = setup;
        this.compiler = compiler;
        this.project = project;
        this.tests = tests;
        this.checks = checks;
        this.output = output;
        this.guard = new CandidateGuard(setup.guard());
    }

    /** An evaluator for the project {@code setup} describes, printing into {@code output}. */
    static CandidateEvaluator create(Setup setup, OutputCapture output) {
        return new CandidateEvaluator(setup, new InMemoryCompiler(setup.compileClasspath(), setup.release()),
                new ProjectClasses(setup.classDirs()), new TestRunner(), IsolationChecks.standard(), output);
    }

    /** An evaluator for another project that shares this one's launcher, checks and output. */
    CandidateEvaluator sibling(Setup other) {
        return new CandidateEvaluator(other, new InMemoryCompiler(other.compileClasspath(), other.release()),
                new ProjectClasses(other.classDirs()), tests, checks, output);
    }

    InMemoryCompiler compiler() {
        return compiler;
    }

    TestRunner tests() {
        return tests;
    }

    /** The bytecode guard for this project's candidates. */
    CandidateGuard guard() {
        return guard;
    }

    /** A fresh loader for {@code program} over the project's classes. */
    CandidateLoader loader(String role, CompiledProgram program, ClassTransform transform) {
        return new CandidateLoader(role, parent, project, program, transform);
    }

    static void releaseReserve() {
        reserve = null;
    }

    /** Evaluates one candidate; when the response says {@code recycle}, the caller must exit after sending it. */
    EvaluateResponse evaluate(EvaluateRequest request) throws InterruptedException {
        served++;
        Deadline.reset();
        output.begin(setup.outputLimit());
        IsolationChecks.Run isolation = checks.begin();
        Evaluation evaluation = new Evaluation(request, this);
        Thread runner = new Thread(null, evaluation, "kaizen-candidate-" + request.id(), 0, false);
        runner.setDaemon(true);
        long start = System.nanoTime();
        runner.start();
        Optional<Timeout> timeout = watch(runner, evaluation.progress(), request, start);
        if (timeout.isPresent() && !stopped(runner)) {
            return timedOut(request, evaluation, timeout.get(), start);
        }
        long runNanos = System.nanoTime() - start - evaluation.compileNanos;
        List<Violation> violations = isolation.end();
        String printed = output.end();
        MemoryStatus memory = MemoryStatus.now();

        Status status = evaluation.status;
        String detail = evaluation.detail;
        List<TestResult> results = evaluation.tests;
        if (timeout.isPresent()) {
            status = Status.TIMED_OUT;
            detail = timeout.get().detail() + "; stopped at a loop iteration, the worker carries on";
            results = timedOutTests(evaluation, timeout.get());
        } else if (status == Status.COMPLETED && !violations.isEmpty()) {
            status = Status.VIOLATION;
        }
        List<String> recycle = new ArrayList<>();
        if (!evaluation.recycleReason.isEmpty()) {
            recycle.add(evaluation.recycleReason);
        }
        violations.stream().filter(Violation::recycle).findFirst()
                .ifPresent(v -> recycle.add("the candidate changed what cannot be undone: " + v.message()));
        if (!memory.recycleReason().isEmpty()) {
            recycle.add(memory.recycleReason());
        }
        return new EvaluateResponse(request.id(), status, detail, results, evaluation.score,
                evaluation.candidateNanos, evaluation.referenceNanos, evaluation.cost, printed,
                violations.stream().map(Violation::message).toList(), !recycle.isEmpty(), String.join("; ", recycle),
                evaluation.compileNanos, Math.max(0, runNanos), memory.heapUsed(), memory.metaspaceUsed(), served);
    }

    /**
     * After a time-out: expires the {@link Deadline} so candidate loops throw, interrupts the
     * runner for candidates blocked in the JDK, and waits a moment for it to finish.
     */
    private static boolean stopped(Thread runner) throws InterruptedException {
        Deadline.expire();
        runner.interrupt();
        runner.join(STOP_GRACE_MILLIS);
        return !runner.isAlive();
    }

    /**
     * The tests that finished, with the one that ran too long (if a test did) as {@code TIMED_OUT}
     * in place of however it ended once the deadline stopped it.
     */
    private static List<TestResult> timedOutTests(Evaluation evaluation, Timeout timeout) {
        List<TestResult> results = new ArrayList<>(evaluation.progress().finished());
        if (timeout.test() != null) {
            results.removeIf(t -> t.name().equals(timeout.test()));
            results.add(new TestResult(timeout.test(), TestResult.Status.TIMED_OUT, timeout.detail(), timeout.testNanos()));
        }
        return results;
    }

    /** Why the watch ended early: the test that ran too long (or null) and what to say. */
    private record Timeout(String test, long testNanos, String detail) {}

    private Optional<Timeout> watch(Thread runner, Progress progress, EvaluateRequest request, long start)
            throws InterruptedException {
        long total = TimeUnit.MILLISECONDS.toNanos(request.timeoutMillis());
        long perTest = TimeUnit.MILLISECONDS.toNanos(request.testTimeoutMillis());
        while (true) {
            runner.join(WATCH_INTERVAL_MILLIS);
            if (!runner.isAlive()) {
                return Optional.empty();
            }
            long now = System.nanoTime();
            Optional<Progress.Running> test = progress.longestRunning();
            if (perTest > 0 && test.isPresent() && now - test.get().startNanos() > perTest) {
                return Optional.of(new Timeout(test.get().name(), now - test.get().startNanos(),
                        "test " + test.get().name() + " ran past its limit of " + request.testTimeoutMillis() + " ms"));
            }
            if (total > 0 && now - start > total) {
                String during = test.map(t -> "running test " + t.name()).orElse(progress.phase());
                return Optional.of(new Timeout(test.map(Progress.Running::name).orElse(null),
                        test.map(t -> now - t.startNanos()).orElse(0L),
                        "candidate ran past its limit of " + request.timeoutMillis() + " ms while " + during));
            }
        }
    }

    private EvaluateResponse timedOut(EvaluateRequest request, Evaluation evaluation, Timeout timeout, long start) {
        List<TestResult> results = timedOutTests(evaluation, timeout);
        String printed = output.end();
        MemoryStatus memory = MemoryStatus.now();
        long compileNanos = evaluation.compileNanos;
        return new EvaluateResponse(request.id(), Status.TIMED_OUT, timeout.detail(), results, Double.NaN,
                new long[0], new long[0], -1, printed, ExitTrap.drain(), true,
                "timed out: the candidate's thread cannot be stopped, so the worker exits",
                compileNanos, Math.max(0, System.nanoTime() - start - compileNanos),
                memory.heapUsed(), memory.metaspaceUsed(), served);
    }
}
