package dev.kaizen.worker;

import static dev.kaizen.worker.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kaizen.worker.wire.EvaluateResponse;
import dev.kaizen.worker.wire.EvaluateResponse.Status;
import dev.kaizen.worker.wire.TestResult;
import dev.kaizen.worker.wire.Wire;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Candidates after which the worker must not serve again, and input that ends it, each with a
 * worker process of its own.
 */
class WorkerRecycleTest {

    @TempDir
    static Path dir;
    private static final Map<String, CompletableFuture<WorkerProcess>> workers = new ConcurrentHashMap<>();

    /**
     * Starts every test's worker at once, since starting is most of their time. They stop at the
     * first tier of the JIT, which starts faster; none of these tests measures speed.
     */
    @BeforeAll
    static void startWorkers() {
        FixtureProject project = FixtureProject.create(dir);
        for (String name : List.of("loop", "slow", "stuck", "oom", "leak")) {
            String[] options = name.equals("oom") ? new String[] {"-XX:TieredStopAtLevel=1", "-Xmx64m"} : new String[] {"-XX:TieredStopAtLevel=1"};
            workers.put(name, CompletableFuture.supplyAsync(() -> WorkerProcess.start(project.setup(1024), options)));
        }
    }

    @AfterAll
    static void stopWorkers() {
        workers.values().forEach(w -> w.join().close());
    }

    private static WorkerProcess worker(String name) {
        return workers.get(name).join();
    }

    @Test
    void a_test_that_loops_times_out_by_name_and_the_worker_carries_on() throws Exception {
        String loop = """
                package com.acme;
                import org.junit.jupiter.api.*;
                @TestMethodOrder(MethodOrderer.MethodName.class)
                class LoopTest {
                    @Test void a_passes() { }
                    @Test void b_spins() { long i = 0; while (i >= 0) { i = (i + 1) % 1000; } }
                    @Test void c_swallows() { while (true) { try { Thread.sleep(5); } catch (Throwable t) { } } }
                }
                """;
        WorkerProcess worker = worker("loop");
        EvaluateResponse r = worker.evaluate(request().source("src/test/java/com/acme/LoopTest.java", loop)
                .tests("com.acme.LoopTest").testTimeout(500).build());

        assertThat(r.status()).isEqualTo(Status.TIMED_OUT);
        assertThat(r.detail()).isEqualTo("test com.acme.LoopTest#b_spins ran past its limit of 500 ms; stopped at a loop iteration, the worker carries on");
        assertThat(r.tests()).extracting(TestResult::name, TestResult::status).contains(
                tuple("com.acme.LoopTest#a_passes", TestResult.Status.PASSED),
                tuple("com.acme.LoopTest#b_spins", TestResult.Status.TIMED_OUT));
        assertThat(r.recycle()).as("loops in candidate code stop at their next iteration").isFalse();

        EvaluateResponse next = worker.evaluate(request().tests("com.acme.SorterJUnit4Test").build());
        assertThat(next.status()).isEqualTo(Status.COMPLETED);
        assertThat(next.tests()).isNotEmpty().allMatch(t -> t.status() == TestResult.Status.PASSED);
    }

    @Test
    void a_candidate_past_its_overall_limit_times_out_naming_the_phase() throws Exception {
        String slow = "package com.acme; public class Slow { public static int score() { while (true) { Thread.onSpinWait(); } } }";
        WorkerProcess worker = worker("slow");
        EvaluateResponse r = worker.evaluate(request().source("src/test/java/com/acme/Slow.java", slow)
                .tests("com.acme.SorterJUnit4Test").score("com.acme.Slow#score").timeout(1500).build());

        assertThat(r.status()).isEqualTo(Status.TIMED_OUT);
        assertThat(r.detail()).startsWith("candidate ran past its limit of 1500 ms while calling the score method");
        assertThat(r.tests()).singleElement().extracting(TestResult::status).isEqualTo(TestResult.Status.PASSED);
        assertThat(r.recycle()).isFalse();
    }

    @Test
    void a_candidate_stuck_inside_the_jdk_recycles_the_worker() throws Exception {
        String blocked = """
                package com.acme;
                import org.junit.jupiter.api.Test;
                class BlockedTest {
                    @Test void blocks() throws Exception {
                        Object lock = new Object();
                        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
                        Thread holder = new Thread(() -> { synchronized (lock) { held.countDown(); java.util.concurrent.locks.LockSupport.park(); } });
                        holder.start();
                        held.await();
                        synchronized (lock) { }
                    }
                }
                """;
        WorkerProcess worker = worker("stuck");
        EvaluateResponse r = worker.evaluate(request().source("src/test/java/com/acme/BlockedTest.java", blocked)
                .tests("com.acme.BlockedTest").testTimeout(500).build());

        assertThat(r.status()).isEqualTo(Status.TIMED_OUT);
        assertThat(r.detail()).isEqualTo("test com.acme.BlockedTest#blocks ran past its limit of 500 ms");
        assertThat(r.recycle()).as("a thread blocked on a monitor cannot be stopped").isTrue();
        assertThat(worker.awaitExit(10)).isZero();
    }

    @Test
    void running_out_of_heap_crashes_the_candidate_and_recycles_the_worker() throws Exception {
        String hog = """
                package com.acme;
                import org.junit.jupiter.api.Test;
                class HogTest {
                    @Test void hogs() {
                        java.util.List<long[]> hoard = new java.util.ArrayList<>();
                        while (true) { hoard.add(new long[1 << 16]); }
                    }
                }
                """;
        WorkerProcess worker = worker("oom");
        EvaluateResponse r = worker.evaluate(request().source("src/test/java/com/acme/HogTest.java", hog)
                .tests("com.acme.HogTest").build());

        assertThat(r.status()).isEqualTo(Status.CRASHED);
        assertThat(r.detail()).matches("OutOfMemoryError: Java heap space \\(max heap \\d+ MiB\\)");
        assertThat(r.recycle()).isTrue();
        assertThat(r.recycleReason()).contains("out of memory");
        assertThat(worker.awaitExit(10)).isZero();
    }

    @Test
    void a_thread_or_task_left_running_is_a_violation_that_recycles_the_worker() throws Exception {
        String leak = """
                package com.acme;
                import org.junit.jupiter.api.Test;
                class LeakTest {
                    @Test void leaks() {
                        Thread t = new Thread(() -> { while (true) { try { Thread.sleep(50); } catch (InterruptedException e) { } } }, "leaky-worker");
                        t.start();
                        java.util.concurrent.ForkJoinPool.commonPool().execute(() -> { while (true) { Thread.onSpinWait(); } });
                    }
                }
                """;
        WorkerProcess worker = worker("leak");
        EvaluateResponse r = worker.evaluate(request().source("src/test/java/com/acme/LeakTest.java", leak)
                .tests("com.acme.LeakTest").build());

        assertThat(r.status()).isEqualTo(Status.VIOLATION);
        assertThat(r.violations()).hasSize(2);
        assertThat(r.violations().get(0)).startsWith("thread left running: \"leaky-worker\" (");
        assertThat(r.violations().get(1)).startsWith("common-pool tasks still running (1 active threads");
        assertThat(r.recycle()).isTrue();
        assertThat(r.recycleReason()).contains("leaky-worker");
        assertThat(worker.awaitExit(10)).isZero();
    }

    @Test
    void garbage_instead_of_setup_is_a_protocol_error_and_exit_status_2() throws Exception {
        try (WorkerProcess worker = WorkerProcess.launch()) {
            worker.sendRaw(new byte[] {99});

            assertThat(Wire.readTag(worker.input())).isEqualTo(Wire.PROTOCOL_ERROR);
            assertThat(Wire.readString(worker.input())).isEqualTo("expected SETUP (1) first, got tag 99");
            assertThat(worker.awaitExit(10)).isEqualTo(2);
        }
    }

    @Test
    void a_corrupt_setup_is_a_protocol_error_and_exit_status_2() throws Exception {
        try (WorkerProcess worker = WorkerProcess.launch()) {
            worker.sendRaw(new byte[] {Wire.SETUP, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});

            assertThat(Wire.readTag(worker.input())).isEqualTo(Wire.PROTOCOL_ERROR);
            assertThat(Wire.readString(worker.input())).isEqualTo("cannot start: java.io.IOException: corrupt stream: count of -1");
            assertThat(worker.awaitExit(10)).isEqualTo(2);
        }
    }

    @Test
    void the_end_of_input_ends_the_worker_with_status_0() throws Exception {
        try (WorkerProcess worker = WorkerProcess.launch()) {
            worker.closeInput();

            assertThat(worker.awaitExit(10)).isZero();
        }
    }
}
