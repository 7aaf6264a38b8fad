package dev.kaizen.bench;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Objective;
import dev.kaizen.java.ClasspathSource;
import dev.kaizen.java.JavaEvaluator;
import dev.kaizen.java.JavaSettings;
import dev.kaizen.java.ProjectClasspath;
import dev.kaizen.java.pool.WorkerCommand;
import dev.kaizen.java.pool.WorkerResult;
import dev.kaizen.java.pool.WorkerSandbox;
import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.worker.wire.EvaluateRequest;
import dev.kaizen.worker.wire.EvaluateResponse;
import dev.kaizen.worker.wire.Setup;
import dev.kaizen.worker.wire.TestResult;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The project every benchmark evaluates: an interval set of about 120 lines whose main methods
 * lie in one evolve block, tested by ten tests (six JUnit 5, four JUnit 4, one of them 3,000
 * random edits checked against a {@code BitSet}). Its sources are copied from this module's
 * resources into a temporary directory and compiled there with {@code javax.tools} against this
 * JVM's class path, which has JUnit.
 *
 * <p>Each {@linkplain #nextCandidate() candidate} differs from the seed in one int literal (the
 * slack added when the arrays grow), so every one is new to the worker's compile cache and pays
 * the full compile, while all ten tests keep passing.
 */
final class IntervalSetProject implements AutoCloseable {

    static final String SOURCE = "src/main/java/com/example/intervals/IntervalSet.java";
    static final String REGION = SOURCE + "#1";
    static final List<String> TESTS = List.of("com.example.intervals.IntervalSetTest",
            "com.example.intervals.IntervalSetLegacyTest");
    static final int TEST_COUNT = 10;
    /** What every benchmark asks of the evaluator: passing tests, no score method, no timing. */
    static final Objective OBJECTIVE = Objective.maximize(JavaEvaluator.TESTS_PASSED);
    /** As {@code JavaEvaluator} sends it. */
    static final int OUTPUT_LIMIT = 4096;

    private static final List<String> FILES = List.of(SOURCE,
            "src/test/java/com/example/intervals/IntervalSetTest.java",
            "src/test/java/com/example/intervals/IntervalSetLegacyTest.java");
    private static final String RESOURCES = "fixture/";
    private static final String SLACK = "int slack = 4;";
    /** Distinct literals before they repeat; far more than the worker's compile cache holds. */
    private static final int VARIANTS = 4096;

    private final Path root;
    private final Sandbox sandbox;
    private final Blueprint blueprint;
    private final AtomicInteger next = new AtomicInteger();

    private IntervalSetProject(Path root, Sandbox sandbox) {
        this.root = root;
        this.sandbox = sandbox;
        this.blueprint = Blueprint.read(root, List.of(SOURCE));
    }

    /** Writes the project into a new temporary directory and compiles its main and test classes. */
    static IntervalSetProject create() throws IOException {
        return create(true);
    }

    /**
     * Writes and compiles the project; its workers run in {@link Sandbox#detect()} when
     * {@code sandboxed}, else in {@link Sandbox#unsafeNone()} (the unsandboxed baseline).
     */
    static IntervalSetProject create(boolean sandboxed) throws IOException {
        Path root = Files.createTempDirectory("kaizen-bench-");
        for (String file : FILES) {
            Path target = root.resolve(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = IntervalSetProject.class.getResourceAsStream(RESOURCES + file)) {
                if (in == null) {
                    throw new IllegalStateException("the fixture " + RESOURCES + file + " is missing from the benchmark jar");
                }
                Files.copy(in, target);
            }
        }
        String cp = System.getProperty("java.class.path");
        Path classes = root.resolve("target/classes");
        compile(root.resolve("src/main/java"), classes, cp);
        compile(root.resolve("src/test/java"), root.resolve("target/test-classes"), classes + File.pathSeparator + cp);
        return new IntervalSetProject(root, sandboxed ? Sandbox.detect() : Sandbox.unsafeNone());
    }

    Blueprint blueprint() {
        return blueprint;
    }

    /**
     * The class directories, and JUnit's jars from this JVM's class path as a project testing with
     * JUnit 4 and 5 would list them (the worker brings its own and leaves these off).
     */
    ProjectClasspath classpath() {
        List<Path> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path name = Path.of(entry).getFileName();
            if (name != null && name.toString().endsWith(".jar")
                    && name.toString().matches("(junit|hamcrest|opentest4j|apiguardian).*")) {
                jars.add(Path.of(entry));
            }
        }
        return new ProjectClasspath(List.of(root.resolve("target/classes"), root.resolve("target/test-classes")), jars);
    }

    /**
     * Settings for an evaluator of this project with the given workers: the defaults, except that
     * the time limits stay at their upper bounds, so that a hiccup of a loaded machine does not
     * time out a candidate.
     */
    JavaSettings settings(int workers) {
        return JavaSettings.builder(root, TESTS)
                .classpath(ClasspathSource.entries(List.of()))
                .sandbox(sandbox)
                .workers(workers)
                .adaptiveLimits(false)
                .build();
    }

    /** The sandbox for workers started with {@code command}, with the limits and binds {@code JavaEvaluator} gives them. */
    WorkerSandbox workerSandbox(WorkerCommand command) {
        List<Path> readable = new ArrayList<>(command.classpath());
        readable.addAll(classpath().compileClasspath());
        readable.add(root);
        return WorkerSandbox.of(sandbox, settings(1).workerLimits(), readable);
    }

    /** What a worker gets before its first candidate, as {@code JavaEvaluator} sends it. */
    Setup setup() {
        ProjectClasspath cp = classpath();
        return new Setup(strings(cp.classDirs()), strings(cp.compileClasspath()), "21", OUTPUT_LIMIT);
    }

    /** The {@code n}th candidate: the seed with the growth slack set to {@code 5 + n % 4096}. */
    Code candidate(int n) {
        String seed = blueprint.seed().region(REGION);
        if (!seed.contains(SLACK)) {
            throw new IllegalStateException("the fixture's evolve block lost the line '" + SLACK + "'");
        }
        return Code.single(REGION, seed.replace(SLACK, "int slack = " + (5 + Math.floorMod(n, VARIANTS)) + ";"));
    }

    /** A candidate not asked for before (until the literals repeat). */
    Code nextCandidate() {
        return candidate(next.getAndIncrement());
    }

    /** The request {@code JavaEvaluator} would send for {@code code}: ten tests, limits at their defaults, no score method. */
    EvaluateRequest request(long id, Code code) {
        JavaSettings defaults = settings(1);
        Map<String, String> sources = blueprint.render(code);
        return new EvaluateRequest(id, sources, TESTS, defaults.testTimeout().toMillis(), defaults.candidateTimeout().toMillis(),
                "", Map.of(), 0, 0, false, id);
    }

    /** {@code e}, when it passed all ten tests. */
    static Evaluation requirePassed(Evaluation e) {
        Double passed = e.metrics().get(JavaEvaluator.TESTS_PASSED);
        if (!(e.outcome() instanceof Outcome.Passed) || passed == null || passed != TEST_COUNT) {
            throw new IllegalStateException("a candidate did not pass its " + TEST_COUNT + " tests: " + e.outcome() + "\n" + e.feedback());
        }
        return e;
    }

    /** The worker's response, when it answered that all ten tests passed. */
    static EvaluateResponse requirePassed(WorkerResult result) {
        if (!(result instanceof WorkerResult.Answered(EvaluateResponse r))) {
            throw new IllegalStateException("the worker did not answer: " + result);
        }
        if (r.status() != EvaluateResponse.Status.COMPLETED || r.count(TestResult.Status.PASSED) != TEST_COUNT) {
            throw new IllegalStateException("a candidate did not pass its " + TEST_COUNT + " tests: " + r.status() + " "
                    + r.detail() + " " + r.tests());
        }
        return r;
    }

    /** Deletes the project's directory and closes its sandbox. */
    @Override
    public void close() throws IOException {
        sandbox.close();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void compile(Path sources, Path out, String classpath) throws IOException {
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of("--release", "21", "-proc:none", "-g", "-d", out.toString(), "-cp", classpath));
        try (Stream<Path> walk = Files.walk(sources)) {
            walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).forEach(args::add);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("the benchmarks need a JDK (javac), not a JRE");
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);
        if (javac.run(null, err, err, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("the fixture project does not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }
    }

    private static List<String> strings(List<Path> paths) {
        return paths.stream().map(Path::toString).toList();
    }
}
