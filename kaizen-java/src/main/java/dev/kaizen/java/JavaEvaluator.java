package dev.kaizen.java;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Evaluator;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.eval.Reference;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Constraint;
import dev.kaizen.core.target.Objective;
import dev.kaizen.java.pool.PoolStats;
import dev.kaizen.java.pool.WorkerCommand;
import dev.kaizen.java.pool.WorkerPool;
import dev.kaizen.java.pool.WorkerResult;
import dev.kaizen.java.pool.WorkerSandbox;
import dev.kaizen.java.pool.WorkerStartException;
import dev.kaizen.java.timing.RuntimeVerdict;
import dev.kaizen.worker.wire.EvaluateRequest;
import dev.kaizen.worker.wire.EvaluateResponse;
import dev.kaizen.worker.wire.Setup;
import dev.kaizen.worker.wire.TestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The Java fast path: evaluates candidates of a Java project in warm worker JVMs. Each candidate's
 * evolvable files are rendered with the {@link Blueprint}, compiled in memory by a worker against
 * the project's compiled classes, and the configured JUnit 4/5 test classes run on a fresh class
 * loader; an optional score method gives the {@code score} metric and is timed.
 *
 * <h2>Outcomes</h2>
 * A compile error becomes {@link Outcome.CompileError} (the first diagnostic; all of them in the
 * feedback); a candidate whose own classes call what the bytecode guard forbids (see
 * {@link dev.kaizen.worker.wire.GuardPolicy}) {@link Outcome.Rejected}, with a reason starting
 * {@value #GUARD_PREFIX}, before any of its classes is loaded; a test or candidate past its limit
 * {@link Outcome.TimedOut}; a broken isolation (a thread left running, a JVM-global setting
 * changed, an allowed {@code System.exit}) {@link Outcome.Violation}; a worker JVM killed at a
 * limit of its sandbox (memory, processes) {@link Outcome.LimitExceeded}; a worker that died
 * otherwise or a score method that threw {@link Outcome.Crashed}. With {@link JavaSettings.FailingTests#REJECT} any failing test makes the
 * candidate {@link Outcome.Incorrect}; with {@link JavaSettings.FailingTests#SCORE} it passes and
 * the failures are listed in the feedback.
 *
 * <h2>Metrics</h2>
 * {@code tests_total}, {@code tests_passed}, {@code tests_failed}, {@code tests_pass_rate},
 * {@code compile_ms}, {@code run_ms}; {@code score} when the score method returned a finite
 * number; {@code cost} when counting; and with a score method the timing metrics of
 * {@link RuntimeVerdict}: {@code runtime_ns}, {@code runtime_raw_ns} and, when timed against the
 * parent, {@code runtime_ratio} and {@code runtime_p}. A candidate with a parent is timed
 * interleaved with the parent's code (same worker, same JIT state, same machine load), and
 * {@code runtime_ns} credits it with being faster only when the one-sided Mann-Whitney U test says
 * so at the configured confidence. The seed is timed alone. The worker skips timing when a test
 * failed.
 *
 * <p>Time limits start at the configured upper bounds and tighten after the seed (see
 * {@link AdaptiveLimits}). Safe to call from many threads at once: each call leases its own worker
 * from the {@link WorkerPool}. Throws only when it cannot work at all ({@link JavaEvaluatorException}).
 */
public final class JavaEvaluator implements Evaluator {

    public static final String TESTS_TOTAL = "tests_total";
    public static final String TESTS_PASSED = "tests_passed";
    public static final String TESTS_FAILED = "tests_failed";
    public static final String TESTS_PASS_RATE = "tests_pass_rate";
    public static final String SCORE = "score";
    public static final String COST = "cost";
    public static final String COMPILE_MS = "compile_ms";
    public static final String RUN_MS = "run_ms";

    /** How the reason of a candidate the bytecode guard refused starts. */
    public static final String GUARD_PREFIX = "guard: ";

    /** Bytes of the candidate's stdout and stderr kept (its first and last halves). */
    static final int OUTPUT_LIMIT = 4096;
    /** Failing tests listed in the feedback. */
    static final int FAILURES_SHOWN = 10;
    /** Characters of one failure's message kept. */
    static final int FAILURE_CHARS = 1500;
    /** Characters of compiler diagnostics kept. */
    static final int DIAGNOSTIC_CHARS = 8000;
    /** How long a worker may take to start and warm up. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** At least this much is added to a candidate's limit before the host kills its worker. */
    static final Duration HARD_MARGIN = Duration.ofSeconds(3);

    private static final List<String> ALWAYS = List.of(TESTS_TOTAL, TESTS_PASSED, TESTS_FAILED, TESTS_PASS_RATE, COMPILE_MS, RUN_MS);
    private static final Set<String> TIMING = Set.of(RuntimeVerdict.RUNTIME_NS, RuntimeVerdict.RUNTIME_RAW_NS,
            RuntimeVerdict.RUNTIME_RATIO, RuntimeVerdict.RUNTIME_P);

    private final Blueprint blueprint;
    private final JavaSettings settings;
    private final Objective objective;
    private final ProjectClasspath classpath;
    private final AdaptiveLimits limits;
    private final WorkerPool pool;
    private final AtomicLong requests = new AtomicLong();

    /**
     * An evaluator over an already resolved classpath; starts its workers in the background.
     *
     * @throws IllegalArgumentException when an evolvable file is not a {@code .java} file, or the
     *                                  objective uses a metric this evaluator does not report
     *                                  with these settings
     * @throws JavaEvaluatorException   when a class directory is missing or the worker's own
     *                                  classes cannot be found
     */
    public JavaEvaluator(Blueprint blueprint, JavaSettings settings, Objective objective, ProjectClasspath classpath) {
        this.blueprint = Objects.requireNonNull(blueprint, "blueprint");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.classpath = Objects.requireNonNull(classpath, "classpath");
        for (Blueprint.SourceFile f : blueprint.files()) {
            if (!f.path().endsWith(".java")) {
                throw new IllegalArgumentException("the java evaluator compiles Java sources only, but the evolvable file "
                        + f.path() + " is not a .java file; use a command evaluator for other files");
            }
        }
        checkObjective();
        for (Path dir : classpath.classDirs()) {
            if (!Files.isDirectory(dir)) {
                throw new JavaEvaluatorException("the class directory " + dir + " does not exist; compile the project first (mvn test-compile)");
            }
        }
        this.limits = new AdaptiveLimits(settings.testTimeout(), settings.candidateTimeout(), settings.adaptiveLimits());
        WorkerCommand command;
        try {
            command = WorkerCommand.of(settings.workerHeap(), settings.jvmArgs(), classpath.workerJars());
        } catch (IllegalStateException e) {
            throw new JavaEvaluatorException(e.getMessage(), e);
        }
        Setup setup = new Setup(strings(classpath.classDirs()), strings(classpath.compileClasspath()), settings.release(), OUTPUT_LIMIT,
                settings.guard());
        List<Path> readable = new ArrayList<>(command.classpath());
        readable.addAll(classpath.classDirs());
        readable.addAll(classpath.compileClasspath());
        readable.add(settings.projectDir());
        WorkerSandbox sandbox = WorkerSandbox.of(settings.sandbox(), settings.workerLimits(), readable);
        this.pool = new WorkerPool(command, sandbox, setup, settings.workers(), settings.recycleAfter(), START_TIMEOUT);
    }

    /**
     * An evaluator whose classpath is resolved from the settings: asked of Maven (cached by the
     * hash of {@code pom.xml}) or taken from the explicit entries.
     *
     * @throws JavaEvaluatorException when the classpath cannot be resolved
     */
    public static JavaEvaluator of(Blueprint blueprint, JavaSettings settings, Objective objective) {
        return new JavaEvaluator(blueprint, settings, objective, resolveClasspath(settings));
    }

    /**
     * The project's classpath as the settings describe it.
     *
     * @throws JavaEvaluatorException when Maven fails or an explicit entry does not exist
     */
    public static ProjectClasspath resolveClasspath(JavaSettings settings) {
        return switch (settings.classpath()) {
            case ClasspathSource.Maven m -> MavenClasspath.onPath().resolve(settings.projectDir(), settings.classDirPaths());
            case ClasspathSource.Entries e -> {
                List<Path> jars = new ArrayList<>();
                for (String entry : e.entries()) {
                    Path p = settings.projectDir().resolve(entry).toAbsolutePath().normalize();
                    if (!Files.exists(p)) {
                        throw new JavaEvaluatorException("the classpath entry " + entry + " does not exist (resolved to " + p + ")");
                    }
                    jars.add(p);
                }
                yield new ProjectClasspath(settings.classDirPaths(), jars);
            }
        };
    }

    private void checkObjective() {
        Set<String> reported = new LinkedHashSet<>(ALWAYS);
        if (settings.scoreMethod().isPresent()) {
            reported.add(SCORE);
            if (timed()) {
                reported.addAll(TIMING);
            }
        }
        if (settings.countCost()) {
            reported.add(COST);
        }
        for (String metric : objectiveMetrics()) {
            if (reported.contains(metric)) {
                continue;
            }
            String why = TIMING.contains(metric) && settings.scoreMethod().isPresent() ? " with timing turned off (rounds 0)"
                    : metric.equals(SCORE) || TIMING.contains(metric) ? " without a score method; configure one (com.acme.Bench#score)"
                    : metric.equals(COST) ? " unless cost counting is on"
                    : "; it reports " + String.join(", ", reported);
            throw new IllegalArgumentException("the objective uses the metric '" + metric + "', which the java evaluator does not report" + why);
        }
    }

    /** Whether the score method is timed: there is one, and rounds are not 0. */
    private boolean timed() {
        return settings.scoreMethod().isPresent() && settings.rounds() > 0;
    }

    private List<String> objectiveMetrics() {
        List<String> metrics = new ArrayList<>();
        metrics.add(objective.primary());
        objective.then().ifPresent(t -> metrics.add(t.metric()));
        objective.constraints().stream().map(Constraint::metric).forEach(metrics::add);
        return metrics;
    }

    @Override
    public Evaluation evaluate(Code code, String label) {
        return run(code, label, null);
    }

    /**
     * Evaluates {@code code}; with a score method, times it interleaved with {@code parent}'s code
     * and credits its {@code runtime_ns} relative to the parent's (see {@link RuntimeVerdict}).
     */
    @Override
    public Evaluation evaluate(Code code, String label, Reference parent) {
        return run(code, label, Objects.requireNonNull(parent, "parent"));
    }

    private Evaluation run(Code code, String label, Reference parent) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(label, "label");
        long t0 = System.nanoTime();
        Map<String, String> sources;
        try {
            sources = blueprint.render(code);
        } catch (IllegalArgumentException e) {
            return Evaluation.failed(new Outcome.Rejected("the code does not fit the target's evolvable files: " + e.getMessage()), "", "", since(t0));
        }
        Map<String, String> reference = Map.of();
        OptionalDouble parentRuntime = OptionalDouble.empty();
        if (parent != null && timed()) {
            try {
                reference = blueprint.render(parent.code());
                Double runtime = parent.metrics().get(RuntimeVerdict.RUNTIME_NS);
                parentRuntime = runtime == null ? OptionalDouble.empty() : OptionalDouble.of(runtime);
            } catch (IllegalArgumentException e) {
                reference = Map.of();
            }
        }
        AdaptiveLimits.Limits lim = limits.current();
        EvaluateRequest request = new EvaluateRequest(requests.incrementAndGet(), sources, settings.testClasses(),
                lim.test().toMillis(), lim.candidate().toMillis(), settings.scoreMethod().orElse(""), reference,
                timed() ? settings.warmup() : 0, timed() ? settings.rounds() : 0, settings.countCost(), seed(code));
        Duration quarter = lim.candidate().dividedBy(4);
        Duration hardLimit = lim.candidate().plus(quarter.compareTo(HARD_MARGIN) > 0 ? quarter : HARD_MARGIN);
        WorkerResult result;
        try (WorkerPool.Lease lease = pool.acquire()) {
            result = lease.worker().evaluate(request, hardLimit);
        } catch (WorkerStartException e) {
            return Evaluation.failed(new Outcome.Crashed(-1, firstLine(e.getMessage())), e.getMessage(), "start", since(t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JavaEvaluatorException("interrupted while evaluating " + label, e);
        }
        return switch (result) {
            case WorkerResult.Answered a -> judge(a.response(), lim, parentRuntime, t0);
            case WorkerResult.TimedOut t -> Evaluation.failed(new Outcome.TimedOut(lim.candidate()),
                    "the worker JVM did not answer within " + t.limit().toMillis() + " ms (the candidate's limit of "
                            + lim.candidate().toMillis() + " ms plus a margin) and was killed with its process tree"
                            + stderr(t.stderrTail()), "run", since(t0));
            case WorkerResult.Died d -> Evaluation.failed(new Outcome.Crashed(d.exitStatus(), d.reason()),
                    d.reason() + stderr(d.stderrTail()), "run", since(t0));
            case WorkerResult.Breached b -> Evaluation.failed(new Outcome.LimitExceeded("worker JVM killed: " + b.breach().describe()),
                    "the worker JVM running the candidate was killed at its sandbox's " + b.breach().describe()
                            + " (exit status " + b.exitStatus() + "); a fresh worker takes over" + stderr(b.stderrTail()),
                    "run", since(t0));
        };
    }

    private Evaluation judge(EvaluateResponse r, AdaptiveLimits.Limits lim, OptionalDouble parentRuntime, long t0) {
        String output = output(r.output());
        if (r.status() != EvaluateResponse.Status.COMPILE_ERROR && !r.violations().isEmpty()) {
            String all = r.violations().stream()
                    .collect(Collectors.groupingBy(v -> v, LinkedHashMap::new, Collectors.counting()))
                    .entrySet().stream()
                    .map(v -> "- " + v.getKey() + (v.getValue() > 1 ? " (" + v.getValue() + " times)" : ""))
                    .collect(Collectors.joining("\n"));
            return Evaluation.failed(new Outcome.Violation(firstLine(r.violations().getFirst())),
                    "the candidate broke the evaluation's isolation:\n" + all + detail(r) + output, "run", since(t0));
        }
        return switch (r.status()) {
            case COMPILE_ERROR -> {
                String diagnostics = cap(r.detail().strip(), DIAGNOSTIC_CHARS);
                yield Evaluation.failed(new Outcome.CompileError(firstLine(diagnostics)), "compile error:\n" + diagnostics,
                        "compile", since(t0));
            }
            case TIMED_OUT -> timedOut(r, lim, output, t0);
            case CRASHED -> Evaluation.failed(new Outcome.Crashed(-1, firstLine(r.detail())),
                    "the candidate crashed: " + r.detail().strip() + failures(r, failing(r)) + output, "run", since(t0));
            case VIOLATION -> Evaluation.failed(new Outcome.Violation(firstLine(r.detail())),
                    "the candidate broke the evaluation's isolation: " + r.detail().strip() + output, "run", since(t0));
            case REFUSED -> Evaluation.failed(new Outcome.Rejected(GUARD_PREFIX + firstLine(r.detail())),
                    "the bytecode guard refused the candidate before loading any of its classes:\n" + r.detail().strip()
                            + "\n(" + settings.guard().describe() + "; a target that needs a category allows it in the "
                            + "evaluator's guard settings)", "guard", since(t0));
            case COMPLETED -> completed(r, parentRuntime, output, t0);
        };
    }

    private Evaluation timedOut(EvaluateResponse r, AdaptiveLimits.Limits lim, String output, long t0) {
        List<TestResult> late = r.tests().stream().filter(t -> t.status() == TestResult.Status.TIMED_OUT).toList();
        String explain = limits.explain(lim);
        if (!late.isEmpty()) {
            String names = late.stream().map(TestResult::name).collect(Collectors.joining(", "));
            return Evaluation.failed(new Outcome.TimedOut(lim.test()),
                    "test " + names + " ran past the per-test limit of " + lim.test().toMillis() + " ms (" + explain + ")"
                            + (r.recycle() ? "; the worker could not stop it and was replaced" : "; stopped at a loop iteration, the worker carries on")
                            + output, "test", since(t0));
        }
        return Evaluation.failed(new Outcome.TimedOut(lim.candidate()),
                "the candidate ran past its limit of " + lim.candidate().toMillis() + " ms (" + explain + ")" + detail(r) + output,
                "test", since(t0));
    }

    private Evaluation completed(EvaluateResponse r, OptionalDouble parentRuntime, String output, long t0) {
        List<TestResult> failing = failing(r);
        long passed = r.count(TestResult.Status.PASSED);
        long total = passed + failing.size();
        long slowestPassing = r.tests().stream().filter(t -> t.status() == TestResult.Status.PASSED)
                .mapToLong(TestResult::nanos).max().orElse(-1);
        limits.observe(slowestPassing, r.compileNanos() + r.runNanos());
        if (total == 0) {
            return Evaluation.failed(new Outcome.Malformed("no test ran in " + String.join(", ", settings.testClasses())
                    + " (" + r.tests().size() + " skipped or aborted)"), output.strip(), "test", since(t0));
        }
        if (settings.failingTests() == JavaSettings.FailingTests.REJECT && !failing.isEmpty()) {
            TestResult first = failing.getFirst();
            String reason = failing.size() + " of " + total + " tests failed; first: " + first.name()
                    + (first.message().isBlank() ? "" : ": " + firstLine(first.message()));
            return Evaluation.failed(new Outcome.Incorrect(reason), failures(r, failing).strip() + output, "test", since(t0));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(TESTS_TOTAL, (double) total);
        metrics.put(TESTS_PASSED, (double) passed);
        metrics.put(TESTS_FAILED, (double) failing.size());
        metrics.put(TESTS_PASS_RATE, passed / (double) total);
        metrics.put(COMPILE_MS, r.compileNanos() / 1e6);
        metrics.put(RUN_MS, r.runNanos() / 1e6);
        if (Double.isFinite(r.score())) {
            metrics.put(SCORE, r.score());
        }
        if (settings.countCost() && r.cost() >= 0) {
            metrics.put(COST, (double) r.cost());
        }
        StringBuilder feedback = new StringBuilder();
        feedback.append(passed).append(" of ").append(total).append(" tests passed");
        feedback.append(failures(r, failing));
        if (Double.isFinite(r.score())) {
            feedback.append("\nscore: ").append(number(r.score()));
        } else if (settings.scoreMethod().isPresent()) {
            feedback.append("\nscore: ").append(settings.scoreMethod().get()).append(" returned no number");
        }
        if (settings.countCost() && r.cost() >= 0) {
            feedback.append("\ncost: ").append(r.cost()).append(" bytecode instructions");
        }
        if (r.candidateNanos().length > 0) {
            RuntimeVerdict verdict = r.referenceNanos().length > 0
                    ? RuntimeVerdict.compare(r.candidateNanos(), r.referenceNanos(), parentRuntime, settings.confidence())
                    : RuntimeVerdict.alone(r.candidateNanos());
            metrics.putAll(verdict.metrics());
            feedback.append("\nruntime: ").append(verdict.describe());
        }
        feedback.append(detail(r));
        if (!metrics.containsKey(objective.primary())) {
            return Evaluation.failed(new Outcome.Invalid("missing primary metric '" + objective.primary() + "' (reported: "
                    + String.join(", ", metrics.keySet()) + ")"), feedback + output, "score", since(t0));
        }
        return Evaluation.passed(metrics, feedback + output, r.candidateNanos().length > 0 ? "timing" : "test", since(t0));
    }

    private static List<TestResult> failing(EvaluateResponse r) {
        return r.tests().stream()
                .filter(t -> t.status() == TestResult.Status.FAILED || t.status() == TestResult.Status.TIMED_OUT)
                .toList();
    }

    /** The failing tests, one block each, capped; empty when none failed. */
    private static String failures(EvaluateResponse r, List<TestResult> failing) {
        if (failing.isEmpty()) {
            return "";
        }
        long total = r.count(TestResult.Status.PASSED) + failing.size();
        StringBuilder b = new StringBuilder("\n").append(failing.size()).append(" of ").append(total).append(" tests failed:");
        for (TestResult t : failing.subList(0, Math.min(FAILURES_SHOWN, failing.size()))) {
            b.append("\n- ").append(t.name());
            if (t.status() == TestResult.Status.TIMED_OUT) {
                b.append(" (timed out)");
            }
            String message = cap(t.message().strip(), FAILURE_CHARS);
            if (!message.isEmpty()) {
                b.append(": ").append(message.replace("\n", "\n    "));
            }
        }
        if (failing.size() > FAILURES_SHOWN) {
            b.append("\n(").append(failing.size() - FAILURES_SHOWN).append(" more failing tests not shown)");
        }
        return b.toString();
    }

    private static String detail(EvaluateResponse r) {
        return r.detail().isBlank() ? "" : "\n" + r.detail().strip();
    }

    private static String output(String output) {
        return output.isBlank() ? "" : "\noutput of the candidate (stdout and stderr):\n" + output.strip();
    }

    private static String stderr(String tail) {
        return tail.isBlank() ? "" : "\nthe worker's stderr ends with:\n" + tail;
    }

    private static String firstLine(String text) {
        return text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("(no detail)");
    }

    private static String cap(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "\n[... cut at " + max + " characters]";
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static long seed(Code code) {
        return Long.parseUnsignedLong(code.id().hex().substring(0, 16), 16);
    }

    private static List<String> strings(List<Path> paths) {
        return paths.stream().map(Path::toString).toList();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** For example {@code java: 2 warm workers, 3 test classes, score com.acme.Bench#score, timing 15 rounds at 99%}. */
    @Override
    public String describe() {
        int n = settings.workers();
        int tests = settings.testClasses().size();
        StringBuilder b = new StringBuilder("java: ").append(n).append(n == 1 ? " warm worker, " : " warm workers, ")
                .append(tests).append(tests == 1 ? " test class" : " test classes")
                .append(settings.failingTests() == JavaSettings.FailingTests.SCORE ? " (failing tests scored)" : "");
        settings.scoreMethod().ifPresent(m -> b.append(", score ").append(m));
        if (timed()) {
            b.append(", timing ").append(settings.rounds()).append(" rounds at ")
                    .append(String.format(Locale.ROOT, "%s%%", number(settings.confidence() * 100)));
        }
        if (settings.countCost()) {
            b.append(", counting cost");
        }
        return b.toString();
    }

    /** The settings this evaluator runs with. */
    public JavaSettings settings() {
        return settings;
    }

    /** The project's classpath. */
    public ProjectClasspath classpath() {
        return classpath;
    }

    /** What the worker pool has done so far. */
    public PoolStats stats() {
        return pool.stats();
    }

    /** Waits until the workers started at construction are ready (or failed), at most {@code timeout}. */
    public boolean awaitWorkers(Duration timeout) throws InterruptedException {
        return pool.awaitStarted(timeout);
    }

    /** Shuts the worker JVMs down. */
    @Override
    public void close() {
        pool.close();
    }
}
