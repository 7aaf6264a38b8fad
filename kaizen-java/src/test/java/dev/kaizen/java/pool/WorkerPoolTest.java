package dev.kaizen.java.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.worker.wire.EvaluateRequest;
import dev.kaizen.worker.wire.Setup;
import dev.kaizen.worker.wire.Wire;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool's mechanics with real processes in the sandbox: JVMs that refuse to start, and
 * {@link StubWorker}s (which start in a fraction of a second) that answer, ask to be recycled, die
 * or hang.
 */
class WorkerPoolTest {

    private static final Setup SETUP = new Setup(List.of("/nonexistent/classes"), List.of("/nonexistent/classes"), "21", 1024);
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private static Sandbox sandbox;

    @BeforeAll
    static void detectSandbox() {
        sandbox = TestSandbox.detect();
    }

    @AfterAll
    static void closeSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static WorkerSandbox confined(WorkerCommand command) {
        return TestSandbox.workers(sandbox, command.classpath());
    }

    private static WorkerCommand stub() {
        return new WorkerCommand(Path.of(System.getProperty("java.home"), "bin", "java"), 32L << 20,
                List.of("-XX:TieredStopAtLevel=1"), List.of(location(StubWorker.class), location(Wire.class)), StubWorker.class.getName());
    }

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final AtomicLong IDS = new AtomicLong();

    private static EvaluateRequest request(String behaviour) {
        return new EvaluateRequest(IDS.incrementAndGet(), Map.of(), List.of(behaviour), 0, 0, "", Map.of(), 0, 0, false, 1);
    }

    private static WorkerResult evaluate(WorkerPool pool, String behaviour) throws InterruptedException {
        try (WorkerPool.Lease lease = pool.acquire()) {
            return lease.worker().evaluate(request(behaviour), LIMIT);
        }
    }

    @Test
    void a_worker_that_served_its_limit_is_replaced_and_the_spare_serves_at_once() throws Exception {
        try (WorkerPool pool = new WorkerPool(stub(), confined(stub()), SETUP, 1, 2, START)) {
            assertThat(pool.awaitStarted(START)).isTrue();
            int first;
            try (WorkerPool.Lease lease = pool.acquire()) {
                first = lease.worker().number();
                assertThat(lease.worker().evaluate(request("pass"), LIMIT)).isInstanceOf(WorkerResult.Answered.class);
            }
            try (WorkerPool.Lease lease = pool.acquire()) {
                assertThat(lease.worker().number()).as("the most recently used worker is leased again").isEqualTo(first);
                lease.worker().evaluate(request("pass"), LIMIT);
            }

            try (WorkerPool.Lease lease = pool.acquire()) {
                assertThat(lease.worker().number()).as("the spare started with the pool, not a fresh start").isNotEqualTo(first).isLessThanOrEqualTo(2);
            }
            PoolStats stats = pool.stats();
            assertThat(stats.retired(PoolStats.Retirement.SERVED_LIMIT)).isEqualTo(1);
            assertThat(stats.servedByRetired()).containsExactly(2);
            assertThat(pool.awaitStarted(START)).isTrue();
            assertThat(pool.stats().started()).isEqualTo(3);
        }
    }

    @Test
    void a_worker_that_asks_to_be_recycled_is_retired_with_its_reason() throws Exception {
        try (WorkerPool pool = new WorkerPool(stub(), confined(stub()), SETUP, 1, 100, START)) {
            WorkerResult r = evaluate(pool, "recycle");

            assertThat(r).isInstanceOf(WorkerResult.Answered.class);
            assertThat(((WorkerResult.Answered) r).response().recycle()).isTrue();
            assertThat(pool.stats().retired(PoolStats.Retirement.REQUESTED)).isEqualTo(1);
            assertThat(pool.stats().workerReasons()).containsExactly("the stub was asked to recycle");
            assertThat(evaluate(pool, "pass")).isInstanceOf(WorkerResult.Answered.class);
        }
    }

    @Test
    void a_worker_that_dies_mid_candidate_is_reported_with_its_exit_status_and_stderr() throws Exception {
        try (WorkerPool pool = new WorkerPool(stub(), confined(stub()), SETUP, 1, 100, START)) {
            WorkerResult r = evaluate(pool, "die");

            assertThat(r).isInstanceOf(WorkerResult.Died.class);
            WorkerResult.Died died = (WorkerResult.Died) r;
            assertThat(died.exitStatus()).isEqualTo(7);
            assertThat(died.reason()).startsWith("the worker JVM exited with status 7 while running the candidate");
            assertThat(died.stderrTail()).contains("stub worker: halting as asked");
            assertThat(pool.stats().retired(PoolStats.Retirement.DIED)).isEqualTo(1);
            assertThat(evaluate(pool, "pass")).isInstanceOf(WorkerResult.Answered.class);
        }
    }

    @Test
    void a_worker_that_does_not_answer_is_killed_at_the_hard_limit() throws Exception {
        try (WorkerPool pool = new WorkerPool(stub(), confined(stub()), SETUP, 1, 100, START)) {
            WorkerProcess hung;
            WorkerResult r;
            long t0 = System.nanoTime();
            try (WorkerPool.Lease lease = pool.acquire()) {
                hung = lease.worker();
                t0 = System.nanoTime();
                r = hung.evaluate(request("hang"), Duration.ofMillis(300));
            }

            assertThat(r).isEqualTo(new WorkerResult.TimedOut(Duration.ofMillis(300), ""));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            assertThat(hung.alive()).isFalse();
            assertThat(hung.usable()).isFalse();
            assertThat(pool.stats().retired(PoolStats.Retirement.TIMED_OUT)).isEqualTo(1);
            assertThat(evaluate(pool, "pass")).isInstanceOf(WorkerResult.Answered.class);
        }
    }

    @Test
    void concurrent_callers_never_share_a_worker_and_never_exceed_the_size() throws Exception {
        int size = 3;
        Set<Integer> inUse = ConcurrentHashMap.newKeySet();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        try (WorkerPool pool = new WorkerPool(stub(), confined(stub()), SETUP, size, 7, START)) {
            try (ExecutorService threads = Executors.newFixedThreadPool(6)) {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    futures.add(threads.submit(() -> {
                        for (int i = 0; i < 10; i++) {
                            try (WorkerPool.Lease lease = pool.acquire()) {
                                assertThat(inUse.add(lease.worker().number())).as("leased twice").isTrue();
                                most.accumulateAndGet(inUse.size(), Math::max);
                                if (lease.worker().evaluate(request("pass"), LIMIT) instanceof WorkerResult.Answered) {
                                    answered.incrementAndGet();
                                }
                                inUse.remove(lease.worker().number());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            }
            assertThat(answered).hasValue(60);
            assertThat(most.get()).isBetween(1, size);
            PoolStats stats = pool.stats();
            assertThat(stats.busy()).isZero();
            assertThat(stats.retired(PoolStats.Retirement.SERVED_LIMIT)).isPositive();
            assertThat(stats.servedByRetired()).allMatch(n -> n == 7);
        }
    }

    @Test
    void close_leaves_no_worker_process_behind() throws Exception {
        WorkerPool pool = new WorkerPool(stub(), confined(stub()), SETUP, 2, 100, START);
        evaluate(pool, "pass");

        pool.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (stubProcesses() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(stubProcesses()).isZero();
        assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static long stubProcesses() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains(StubWorker.class.getName()))
                .count();
    }

    @Test
    void a_worker_that_cannot_start_is_retried_a_bounded_number_of_times_then_reported_with_its_stderr() throws Exception {
        WorkerCommand command = WorkerCommand.of(64L << 20, List.of("-XX:+KaizenNoSuchOption"), List.of());
        try (WorkerPool pool = new WorkerPool(command, confined(command), SETUP, 2, 10, Duration.ofSeconds(30))) {
            assertThatThrownBy(pool::acquire)
                    .isInstanceOf(WorkerStartException.class)
                    .hasMessageStartingWith("no worker JVM could be started")
                    .hasMessageContaining("exited with status 1 before it was ready")
                    .hasMessageContaining("KaizenNoSuchOption");
            assertThat(pool.awaitStarted(Duration.ofSeconds(30))).isTrue();
            PoolStats stats = pool.stats();
            assertThat(stats.started()).isZero();
            // Three initial starts fail at once; none is retried after the third failure in a row.
            assertThat(stats.startFailures()).isBetween((long) WorkerPool.MAX_CONSECUTIVE_START_FAILURES, 3L + 2);
            Thread.sleep(300);
            assertThat(pool.stats().startFailures()).as("no more starts").isEqualTo(stats.startFailures());
            assertThatThrownBy(pool::acquire).isInstanceOf(WorkerStartException.class);
        }
    }

    @Test
    void a_missing_main_class_is_reported() throws Exception {
        WorkerCommand command = new WorkerCommand(Path.of(System.getProperty("java.home"), "bin", "java"), 64L << 20, List.of(),
                List.of(), "dev.kaizen.worker.NoSuchWorker");
        try (WorkerPool pool = new WorkerPool(command, confined(command), SETUP, 1, 10, Duration.ofSeconds(30))) {
            assertThatThrownBy(pool::acquire)
                    .isInstanceOf(WorkerStartException.class)
                    .hasMessageContaining("Could not find or load main class dev.kaizen.worker.NoSuchWorker");
        }
    }

    @Test
    void the_command_line_puts_kaizen_flags_first_and_the_worker_classes_before_the_project_jars() {
        WorkerCommand command = WorkerCommand.of(512L << 20, List.of("-Dx=y"), List.of(Path.of("/p/guava.jar")));
        List<String> line = command.commandLine();

        assertThat(line).contains("-XX:+UseSerialGC", "-Xmx524288k", "-XX:MaxMetaspaceSize=256m", "--add-opens");
        assertThat(line.indexOf("-Dx=y")).isGreaterThan(line.indexOf("-XX:+UseSerialGC"));
        assertThat(line.getLast()).isEqualTo("dev.kaizen.worker.Worker");
        String cp = line.get(line.size() - 2);
        assertThat(cp).endsWith("/p/guava.jar").contains("junit-platform-launcher");
        assertThat(line).noneMatch(a -> a.startsWith("-XX:TieredStopAtLevel"));
    }
}
