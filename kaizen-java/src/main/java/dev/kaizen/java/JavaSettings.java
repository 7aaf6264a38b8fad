package dev.kaizen.java;

import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.sandbox.SandboxLimits;
import dev.kaizen.worker.wire.GuardPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a user configures for the java evaluator. Build one with {@link #builder}; every setting
 * but the project directory and the test classes has a default.
 *
 * @param projectDir        the project's root directory (holding {@code pom.xml} for a Maven classpath)
 * @param classpath         where the dependency classpath comes from; default {@link ClasspathSource.Maven}
 * @param classDirs         the project's compiled classes, relative to {@code projectDir} or
 *                          absolute; loaded afresh for every candidate; default
 *                          {@code target/classes} and {@code target/test-classes}
 * @param testClasses       the test classes to run for each candidate, by binary name; JUnit 4
 *                          and 5 alike; at least one
 * @param scoreMethod       {@code com.acme.Bench#score}: a public static no-argument method whose
 *                          returned number becomes the {@code score} metric and whose running
 *                          time is measured; empty for none
 * @param workers           how many candidates are evaluated at once, each in its own warm
 *                          worker JVM (one more is kept ready as a spare); default the number of
 *                          available processors
 * @param workerHeap        each worker's maximum heap ({@code -Xmx}) in bytes; default 512 MiB
 * @param jvmArgs           extra arguments for the worker JVMs, after Kaizen's own
 * @param candidateTimeout  the upper bound for one candidate (compiling, tests, scoring, timing);
 *                          default 60 s
 * @param testTimeout       the upper bound for one test; default 10 s
 * @param adaptiveLimits    whether the limits are tightened from what the seed and later passing
 *                          candidates took (see {@code AdaptiveLimits}); default true
 * @param warmup            calls of the score method per program before measuring; default 5
 * @param rounds            measured calls per program, candidate and parent interleaved; default 15;
 *                          0 turns timing off (the score method still runs once for its value)
 * @param confidence        how sure the significance test must be before a candidate counts as
 *                          faster than its parent, in (0, 1); default 0.99
 * @param countCost         whether to count executed bytecode instructions of the project's
 *                          classes as the {@code cost} metric; default false
 * @param failingTests      what a failing test means; default {@link FailingTests#REJECT}
 * @param recycleAfter      how many candidates one worker evaluates before it is replaced by a
 *                          fresh one; default {@value #DEFAULT_RECYCLE_AFTER}
 * @param release           the {@code --release} candidates are compiled for; default {@code "21"}
 * @param guard             what the bytecode guard refuses in candidates' own classes before
 *                          they are loaded; default every category but {@code threads}
 *                          ({@link GuardPolicy#defaults()})
 * @param sandbox           what every worker JVM runs inside (required; {@link Sandbox#detect()},
 *                          or {@link Sandbox#unsafeNone()} for {@code --unsafe-no-sandbox})
 * @param workerMemory      the memory limit of one worker JVM's sandbox in bytes, or 0 for
 *                          {@link #workerHeap} + {@value #METASPACE_MIB} MiB of metaspace +
 *                          {@value #MEMORY_MARGIN_MIB} MiB for the JIT, thread stacks and
 *                          direct buffers (see {@link #workerLimits()})
 * @param workerProcesses   processes and threads one worker JVM's sandbox may have at once;
 *                          default {@value #DEFAULT_WORKER_PROCESSES}
 */
public record JavaSettings(
        Path projectDir,
        ClasspathSource classpath,
        List<String> classDirs,
        List<String> testClasses,
        Optional<String> scoreMethod,
        int workers,
        long workerHeap,
        List<String> jvmArgs,
        Duration candidateTimeout,
        Duration testTimeout,
        boolean adaptiveLimits,
        int warmup,
        int rounds,
        double confidence,
        boolean countCost,
        FailingTests failingTests,
        int recycleAfter,
        String release,
        GuardPolicy guard,
        Sandbox sandbox,
        long workerMemory,
        int workerProcesses) {

    /** The default {@link #workerHeap}: 512 MiB. */
    public static final long DEFAULT_WORKER_HEAP = 512L << 20;
    /** The smallest heap a worker can run javac and JUnit in. */
    public static final long MIN_WORKER_HEAP = 32L << 20;
    /**
     * The default {@link #recycleAfter}. Each candidate's classes live in a class loader that is
     * dropped after it, and measured over 825 candidates of a small project (one class rewritten,
     * six JUnit 4/5 tests, a timed score method) a worker's metaspace settled at about 20 MiB after
     * its first 100 candidates and then grew by about 1.5 KiB per candidate, its heap returning to
     * about 60 MiB after collections. The worker recycles itself when its memory runs high, so this
     * limit is only a backstop against what it does not watch (native memory, code cache, caches in
     * libraries on the project's classpath). It is high because a fresh worker is expensive: its
     * start takes 5 to 12 s of CPU on a busy two-core machine, and its first few dozen candidates
     * run two to four times slower while javac and JUnit are compiled by the JIT; at 1000 these
     * costs stay a few percent of the worker's life.
     */
    public static final int DEFAULT_RECYCLE_AFTER = 1000;

    /** A worker's metaspace limit ({@code -XX:MaxMetaspaceSize}), counted in its derived memory limit. */
    public static final long METASPACE_MIB = dev.kaizen.java.pool.WorkerCommand.METASPACE_MIB;
    /** What a worker's derived memory limit allows beyond heap and metaspace. */
    public static final long MEMORY_MARGIN_MIB = 256;
    /**
     * The default {@link #workerProcesses}. Threads count as processes in a pids cgroup; a worker
     * JVM runs about 20 on two cores and about 40 on sixteen (JIT compiler threads grow with the
     * cores), the sandbox adds three processes, and candidates may start threads of their own.
     */
    public static final int DEFAULT_WORKER_PROCESSES = 256;
    /**
     * The CPU time a worker may use (RLIMIT_CPU): workers live for hundreds of candidates, so
     * this only stops a runaway; candidates are held to their wall-time limits.
     */
    public static final Duration WORKER_CPU_TIME = Duration.ofDays(7);
    /** Bytes a worker may write, to its private work directory or {@code /tmp}: it writes none itself. */
    static final long WORKER_FILE_BYTES = 64L << 20;
    /**
     * Address-space headroom under rlimits-only sandboxes (no cgroup), where the memory limit is
     * RLIMIT_AS per process: a JVM reserves far more address space (class space, code cache,
     * thread stacks, malloc arenas) than it uses, so there the heap limit is what bounds it.
     */
    static final long RLIMIT_HEADROOM = 16L << 30;

    private static final Pattern BINARY_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    /** What a failing test means for a candidate. */
    public enum FailingTests {
        /**
         * Failing tests are data: the candidate passes, with {@code tests_passed} and
         * {@code tests_pass_rate} to maximise (program repair).
         */
        SCORE,
        /** Any failing test makes the candidate {@code incorrect}: tests guard behaviour while something else is optimised. */
        REJECT
    }

    public JavaSettings {
        Objects.requireNonNull(projectDir, "projectDir");
        Objects.requireNonNull(classpath, "classpath");
        classDirs = List.copyOf(classDirs);
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException("at least one class directory is needed (default target/classes, target/test-classes)");
        }
        testClasses = List.copyOf(testClasses);
        if (testClasses.isEmpty()) {
            throw new IllegalArgumentException("at least one test class is needed");
        }
        for (String t : testClasses) {
            if (!BINARY_NAME.matcher(t).matches()) {
                throw new IllegalArgumentException("test class '" + t + "' is not a class name such as com.acme.SorterTest");
            }
        }
        Objects.requireNonNull(scoreMethod, "scoreMethod");
        scoreMethod.ifPresent(JavaSettings::checkScoreMethod);
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        if (workerHeap < MIN_WORKER_HEAP) {
            throw new IllegalArgumentException("the worker heap must be at least " + (MIN_WORKER_HEAP >> 20) + " MiB, got " + workerHeap + " bytes");
        }
        jvmArgs = List.copyOf(jvmArgs);
        positive(candidateTimeout, "candidateTimeout");
        positive(testTimeout, "testTimeout");
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
        }
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds must be >= 0, got " + rounds);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1 (exclusive), got " + confidence);
        }
        Objects.requireNonNull(failingTests, "failingTests");
        if (recycleAfter < 1) {
            throw new IllegalArgumentException("recycleAfter must be at least 1, got " + recycleAfter);
        }
        Objects.requireNonNull(release, "release");
        if (!release.matches("\\d+")) {
            throw new IllegalArgumentException("release must be a Java version number such as 21, got '" + release + "'");
        }
        Objects.requireNonNull(guard, "guard");
        if (sandbox == null) {
            throw new IllegalArgumentException("a sandbox is required for the worker JVMs: pass Sandbox.detect(), "
                    + "or Sandbox.unsafeNone() when the run is explicitly unsandboxed (--unsafe-no-sandbox)");
        }
        if (workerMemory != 0 && workerMemory < MIN_WORKER_HEAP) {
            throw new IllegalArgumentException("the worker memory limit must be 0 (derived from the heap) or at least "
                    + (MIN_WORKER_HEAP >> 20) + " MiB, got " + workerMemory + " bytes");
        }
        if (workerProcesses < 32) {
            throw new IllegalArgumentException("a worker JVM needs at least 32 processes (threads count), got " + workerProcesses);
        }
    }

    /**
     * The limits of one worker JVM's sandbox: {@link #workerMemory} (or heap + metaspace + margin),
     * {@link #workerProcesses}, {@link #WORKER_CPU_TIME}, 64 MiB written, 64 MiB of {@code /tmp}.
     * Where the sandbox has no cgroup and memory is limited per process as address space, the
     * limit gets {@value #RLIMIT_HEADROOM} bytes of headroom, since a JVM reserves much more than it uses.
     */
    public SandboxLimits workerLimits() {
        long memory = workerMemory != 0 ? workerMemory : workerHeap + ((METASPACE_MIB + MEMORY_MARGIN_MIB) << 20);
        if (sandbox.isolation().limits().equals("rlimits")) {
            memory += RLIMIT_HEADROOM;
        }
        return new SandboxLimits(WORKER_CPU_TIME, memory, workerProcesses, WORKER_FILE_BYTES, 64L << 20);
    }

    private static void checkScoreMethod(String method) {
        int hash = method.indexOf('#');
        if (hash < 0 || !BINARY_NAME.matcher(method.substring(0, hash)).matches()
                || !method.substring(hash + 1).matches("[\\p{L}_$][\\p{L}\\p{N}_$]*")) {
            throw new IllegalArgumentException("score method '" + method + "' is not of the form com.acme.Bench#score");
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** Settings with every default, for the project in {@code projectDir} tested by {@code testClasses}. */
    public static Builder builder(Path projectDir, List<String> testClasses) {
        return new Builder(projectDir, testClasses);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder(projectDir, testClasses);
        b.classpath = classpath;
        b.classDirs = classDirs;
        b.scoreMethod = scoreMethod;
        b.workers = workers;
        b.workerHeap = workerHeap;
        b.jvmArgs = jvmArgs;
        b.candidateTimeout = candidateTimeout;
        b.testTimeout = testTimeout;
        b.adaptiveLimits = adaptiveLimits;
        b.warmup = warmup;
        b.rounds = rounds;
        b.confidence = confidence;
        b.countCost = countCost;
        b.failingTests = failingTests;
        b.recycleAfter = recycleAfter;
        b.release = release;
        b.allow = guard.allow();
        b.forbid = guard.forbid();
        b.sandbox = sandbox;
        b.workerMemory = workerMemory;
        b.workerProcesses = workerProcesses;
        return b;
    }

    /** The class directories as absolute paths. */
    public List<Path> classDirPaths() {
        return classDirs.stream().map(d -> projectDir.resolve(d).toAbsolutePath().normalize()).toList();
    }

    /** Collects settings; {@link #build} validates them. */
    public static final class Builder {
        private final Path projectDir;
        private final List<String> testClasses;
        private ClasspathSource classpath = ClasspathSource.maven();
        private List<String> classDirs = List.of("target/classes", "target/test-classes");
        private Optional<String> scoreMethod = Optional.empty();
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private long workerHeap = DEFAULT_WORKER_HEAP;
        private List<String> jvmArgs = List.of();
        private Duration candidateTimeout = Duration.ofSeconds(60);
        private Duration testTimeout = Duration.ofSeconds(10);
        private boolean adaptiveLimits = true;
        private int warmup = 5;
        private int rounds = 15;
        private double confidence = 0.99;
        private boolean countCost;
        private FailingTests failingTests = FailingTests.REJECT;
        private int recycleAfter = DEFAULT_RECYCLE_AFTER;
        private String release = "21";
        private Collection<String> allow = List.of();
        private List<String> forbid = List.of();
        private Sandbox sandbox;
        private long workerMemory;
        private int workerProcesses = DEFAULT_WORKER_PROCESSES;

        private Builder(Path projectDir, List<String> testClasses) {
            this.projectDir = projectDir;
            this.testClasses = testClasses;
        }

        public Builder classpath(ClasspathSource value) {
            this.classpath = value;
            return this;
        }

        public Builder classDirs(List<String> value) {
            this.classDirs = value;
            return this;
        }

        /** {@code com.acme.Bench#score}, or null for none. */
        public Builder scoreMethod(String value) {
            this.scoreMethod = Optional.ofNullable(value);
            return this;
        }

        public Builder workers(int value) {
            this.workers = value;
            return this;
        }

        /** In bytes. */
        public Builder workerHeap(long value) {
            this.workerHeap = value;
            return this;
        }

        public Builder jvmArgs(List<String> value) {
            this.jvmArgs = value;
            return this;
        }

        public Builder candidateTimeout(Duration value) {
            this.candidateTimeout = value;
            return this;
        }

        public Builder testTimeout(Duration value) {
            this.testTimeout = value;
            return this;
        }

        public Builder adaptiveLimits(boolean value) {
            this.adaptiveLimits = value;
            return this;
        }

        public Builder warmup(int value) {
            this.warmup = value;
            return this;
        }

        public Builder rounds(int value) {
            this.rounds = value;
            return this;
        }

        public Builder confidence(double value) {
            this.confidence = value;
            return this;
        }

        public Builder countCost(boolean value) {
            this.countCost = value;
            return this;
        }

        public Builder failingTests(FailingTests value) {
            this.failingTests = value;
            return this;
        }

        public Builder recycleAfter(int value) {
            this.recycleAfter = value;
            return this;
        }

        public Builder release(String value) {
            this.release = value;
            return this;
        }

        /**
         * Guard categories the candidates may use after all ({@code process}, {@code exit},
         * {@code reflection}, {@code classloading}, {@code network}, {@code files}, {@code native},
         * {@code unsafe}, {@code environment}); see {@link GuardPolicy}. Replaces earlier calls.
         */
        public Builder allow(Collection<String> categories) {
            this.allow = List.copyOf(categories);
            return this;
        }

        /**
         * What the guard refuses besides its defaults: {@code threads}, or patterns such as
         * {@code com.acme.Db.connect}, {@code com.acme.Db} or {@code java.sql.*}; see
         * {@link GuardPolicy}. Replaces earlier calls.
         */
        public Builder forbid(List<String> entries) {
            this.forbid = List.copyOf(entries);
            return this;
        }

        /** The sandbox every worker JVM runs in; required. */
        public Builder sandbox(Sandbox value) {
            this.sandbox = value;
            return this;
        }

        /** The memory limit of one worker's sandbox in bytes; 0 (the default) derives it from the heap. */
        public Builder workerMemory(long value) {
            this.workerMemory = value;
            return this;
        }

        /** Processes and threads one worker's sandbox may have at once. */
        public Builder workerProcesses(int value) {
            this.workerProcesses = value;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException naming the first setting out of range, or when no
         *                                  sandbox was given
         */
        public JavaSettings build() {
            return new JavaSettings(projectDir, classpath, classDirs, testClasses, scoreMethod, workers, workerHeap, jvmArgs,
                    candidateTimeout, testTimeout, adaptiveLimits, warmup, rounds, confidence, countCost, failingTests,
                    recycleAfter, release, new GuardPolicy(Set.copyOf(allow), forbid), sandbox, workerMemory, workerProcesses);
        }
    }
}
