package dev.kaizen.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code evaluator: { type: java, ... }} says: how to build the project's classpath, which
 * tests to run, what to score and measure, and how the warm worker JVMs behave. The CLI turns it
 * into the Java evaluator's settings; reference: docs/kaizen-yaml.md.
 *
 * @param classpath       empty for {@code classpath: maven} (resolved from the project's pom);
 *                        otherwise the entries, relative to the target directory or absolute
 * @param classDirs       the project's compiled class directories, loaded afresh per candidate
 * @param tests           test classes by binary name, JUnit 4 or 5
 * @param scoreMethod     {@code com.acme.Bench#score}, or empty
 * @param workers         warm worker JVMs; empty for one per evaluation in flight
 * @param heapMiB         maximum heap of each worker
 * @param jvmArgs         extra arguments for the worker JVMs
 * @param timeout         upper bound for one candidate
 * @param testTimeout     upper bound for one test
 * @param adaptiveTimeouts tighten both limits from the durations of passing candidates
 * @param timing          interleaved timing of the scoring method, or empty for none
 * @param cost            count executed bytecode instructions (a deterministic cost metric)
 * @param failingTests    {@code score}: failing tests are data (program repair); {@code reject}:
 *                        any failing test makes the candidate incorrect
 * @param recycleAfter    candidates a worker serves before it is replaced
 * @param release         javac {@code --release} for candidates
 */
public record JavaSpec(
        Optional<List<String>> classpath,
        List<String> classDirs,
        List<String> tests,
        String scoreMethod,
        Optional<Integer> workers,
        int heapMiB,
        List<String> jvmArgs,
        Duration timeout,
        Duration testTimeout,
        boolean adaptiveTimeouts,
        Optional<Timing> timing,
        boolean cost,
        FailingTests failingTests,
        int recycleAfter,
        String release) {

    /** Defaults, shown in docs/kaizen-yaml.md. */
    public static final List<String> DEFAULT_CLASS_DIRS = List.of("target/classes", "target/test-classes");
    public static final int DEFAULT_HEAP_MIB = 512;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_TEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_RECYCLE_AFTER = 1000;
    public static final String DEFAULT_RELEASE = "21";

    /** Metrics that make failing tests data rather than a rejection when they are the objective. */
    public static final List<String> TEST_METRICS = List.of("tests_passed", "tests_failed", "tests_pass_rate");

    /** Metrics that need the scoring method timed. */
    public static final List<String> TIMING_METRICS = List.of("runtime_ns", "runtime_raw_ns", "runtime_ratio", "runtime_p");

    /** What a failing test means. */
    public enum FailingTests { SCORE, REJECT }

    /**
     * How the scoring method is timed: {@code warmup} calls, then {@code rounds} measured calls
     * interleaved with the parent's, and an improvement counts only when a one-sided Mann-Whitney U
     * test finds the candidate faster at {@code confidence}.
     */
    public record Timing(int warmup, int rounds, double confidence) {
        public static final Timing DEFAULT = new Timing(5, 15, 0.99);

        public Timing {
            if (warmup < 0 || rounds < 3) {
                throw new IllegalArgumentException("timing needs warmup >= 0 and rounds >= 3");
            }
            if (!(confidence > 0.5 && confidence < 1)) {
                throw new IllegalArgumentException("timing.confidence must be between 0.5 and 1 (exclusive), got " + confidence);
            }
        }
    }

    public JavaSpec {
        classpath = classpath.map(List::copyOf);
        classDirs = List.copyOf(classDirs);
        tests = List.copyOf(tests);
        if (tests.isEmpty()) {
            throw new IllegalArgumentException("list at least one test class");
        }
        scoreMethod = Objects.requireNonNullElse(scoreMethod, "");
        if (!scoreMethod.isEmpty() && !scoreMethod.matches("[\\p{L}_$][\\p{L}\\p{N}_$.]*#[\\p{L}_$][\\p{L}\\p{N}_$]*")) {
            throw new IllegalArgumentException("expected Class#method such as com.acme.Bench#score, got \"" + scoreMethod + "\"");
        }
        Objects.requireNonNull(workers, "workers");
        jvmArgs = List.copyOf(jvmArgs);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(testTimeout, "testTimeout");
        Objects.requireNonNull(timing, "timing");
        if (timing.isPresent() && scoreMethod.isEmpty()) {
            throw new IllegalArgumentException("timing measures the scoring method: give score: { method: Class#method }");
        }
        Objects.requireNonNull(failingTests, "failingTests");
        Objects.requireNonNull(release, "release");
    }

    /** {@code classpath: maven}. */
    public boolean maven() {
        return classpath.isEmpty();
    }
}
