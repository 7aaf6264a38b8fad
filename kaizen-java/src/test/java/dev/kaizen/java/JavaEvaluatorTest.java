package dev.kaizen.java;

import static dev.kaizen.java.DemoProject.FAST;
import static dev.kaizen.java.DemoProject.WRONG;
import static dev.kaizen.java.DemoProject.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.java.pool.TestSandbox;
import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.core.eval.Reference;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Objective;
import dev.kaizen.java.pool.PoolStats;
import dev.kaizen.java.timing.RuntimeVerdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The java evaluator with real worker JVMs on a compiled demo project: two workers and a spare,
 * failing tests rejected, a score method timed against the parent. Every misbehaving candidate is
 * followed by a good one, which must pass: the pool keeps serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaEvaluatorTest {

    @TempDir
    static Path root;

    Sandbox sandbox;
    JavaEvaluator evaluator;
    Evaluation seed;
    Reference seedReference;

    @BeforeAll
    void startEvaluatorAndEvaluateTheSeed() throws Exception {
        sandbox = TestSandbox.detect();
        DemoProject.create(root);
        JavaSettings settings = JavaSettings.builder(root, DemoProject.TESTS)
                .classpath(ClasspathSource.entries(List.of()))
                .sandbox(sandbox)
                .scoreMethod(DemoProject.SCORE)
                .workers(2)
                .workerHeap(256L << 20)
                .testTimeout(Duration.ofSeconds(20))
                .candidateTimeout(Duration.ofSeconds(60))
                .recycleAfter(1000)
                .build();
        evaluator = new JavaEvaluator(DemoProject.blueprint(root), settings, Objective.minimize(RuntimeVerdict.RUNTIME_NS),
                DemoProject.classpath(root));
        Code seedCode = DemoProject.blueprint(root).seed();
        seed = evaluator.evaluate(seedCode, "seed");
        seedReference = new Reference(seedCode, seed.metrics());
    }

    @AfterAll
    void close() {
        if (evaluator != null) {
            evaluator.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** A good candidate, evaluated after a bad one: it must pass. */
    private void stillServes() {
        Evaluation e = evaluator.evaluate(code(FAST), "good");
        assertThat(e.outcome()).as(e.feedback()).isEqualTo(new Outcome.Passed());
        assertThat(e.metrics()).containsEntry(JavaEvaluator.TESTS_PASSED, 6.0);
    }

    @Test
    void the_seed_passes_with_test_score_and_timing_metrics() {
        assertThat(seed.outcome()).as(seed.feedback()).isEqualTo(new Outcome.Passed());
        assertThat(seed.metrics())
                .containsEntry(JavaEvaluator.TESTS_TOTAL, 6.0)
                .containsEntry(JavaEvaluator.TESTS_PASSED, 6.0)
                .containsEntry(JavaEvaluator.TESTS_FAILED, 0.0)
                .containsEntry(JavaEvaluator.TESTS_PASS_RATE, 1.0)
                .containsEntry(JavaEvaluator.SCORE, 1499.0)
                .containsKeys(JavaEvaluator.COMPILE_MS, JavaEvaluator.RUN_MS, RuntimeVerdict.RUNTIME_NS, RuntimeVerdict.RUNTIME_RAW_NS)
                .doesNotContainKeys(RuntimeVerdict.RUNTIME_P, JavaEvaluator.COST);
        assertThat(seed.metrics().get(RuntimeVerdict.RUNTIME_NS)).isEqualTo(seed.metrics().get(RuntimeVerdict.RUNTIME_RAW_NS)).isPositive();
        assertThat(seed.feedback()).contains("6 of 6 tests passed").contains("score: 1499").contains("no reference to compare with");
        assertThat(seed.stage()).isEqualTo("timing");
    }

    @Test
    void a_much_faster_candidate_is_significantly_faster_than_its_parent() {
        Evaluation e = evaluator.evaluate(code(FAST), "fast", seedReference);

        assertThat(e.outcome()).as(e.feedback()).isEqualTo(new Outcome.Passed());
        assertThat(e.metrics().get(RuntimeVerdict.RUNTIME_P)).isLessThan(0.01);
        assertThat(e.metrics().get(RuntimeVerdict.RUNTIME_RATIO)).isLessThan(0.7);
        double parent = seed.metrics().get(RuntimeVerdict.RUNTIME_NS);
        assertThat(e.metrics().get(RuntimeVerdict.RUNTIME_NS))
                .isCloseTo(parent * e.metrics().get(RuntimeVerdict.RUNTIME_RATIO), org.assertj.core.api.Assertions.within(1e-6 * parent));
        assertThat(e.feedback()).containsPattern("runtime: \\d+\\.\\d\\dx faster than parent, Mann-Whitney U one-sided p=\\S+ < 0\\.01");
    }

    @Test
    void a_deliberately_slow_candidate_never_looks_faster_than_its_parent() {
        Evaluation e = evaluator.evaluate(code(DemoProject.SLOW), "slow", seedReference);

        assertThat(e.outcome()).as(e.feedback()).isEqualTo(new Outcome.Passed());
        assertThat(e.metrics().get(RuntimeVerdict.RUNTIME_RATIO)).isGreaterThan(1.5);
        assertThat(e.metrics().get(RuntimeVerdict.RUNTIME_P)).isGreaterThan(0.5);
        assertThat(e.metrics().get(RuntimeVerdict.RUNTIME_NS)).isGreaterThanOrEqualTo(seed.metrics().get(RuntimeVerdict.RUNTIME_NS));
        assertThat(e.feedback()).contains("x slower than parent");
    }

    @Test
    void the_same_code_in_another_class_is_never_credited_as_faster() {
        // Each program's classes are JIT-compiled separately; measuring one before its hot loop is
        // compiled made an identical program look several times slower. The warm-up now waits
        // until neither gets faster, so an A/A comparison must not find a speed-up.
        for (int i = 0; i < 3; i++) {
            Evaluation e = evaluator.evaluate(code(DemoProject.BUBBLE + "        // the same program, text " + i + "\n"), "same " + i, seedReference);

            assertThat(e.outcome()).as(e.feedback()).isEqualTo(new Outcome.Passed());
            assertThat(e.metrics().get(RuntimeVerdict.RUNTIME_NS)).as(e.feedback())
                    .isGreaterThanOrEqualTo(seed.metrics().get(RuntimeVerdict.RUNTIME_NS));
        }
    }

    @Test
    void failing_tests_make_the_candidate_incorrect_under_the_reject_policy() {
        Evaluation e = evaluator.evaluate(code(DemoProject.WRONG), "wrong", seedReference);

        assertThat(e.outcome()).isInstanceOf(Outcome.Incorrect.class);
        assertThat(e.outcome().reason()).startsWith("3 of 6 tests failed; first: demo.")
                .contains("expected");
        assertThat(e.feedback()).contains("demo.SorterTest#sortsNumbers", "demo.SorterTest#alreadySorted", "demo.LegacySorterTest#sortsNegatives");
        assertThat(e.metrics()).isEmpty();
        stillServes();
    }

    @Test
    void a_compile_error_reports_the_first_diagnostic_and_all_of_them_as_feedback() {
        Evaluation e = evaluator.evaluate(code("        java.util.Arrays.sort(a)\n        int x = \"text\";\n"), "broken", seedReference);

        assertThat(e.outcome()).isInstanceOf(Outcome.CompileError.class);
        assertThat(e.outcome().reason()).startsWith(DemoProject.SORTER + ":").contains("';' expected");
        assertThat(e.stage()).isEqualTo("compile");
        assertThat(e.feedback()).startsWith("compile error:").contains("java.util.Arrays.sort(a)");
        stillServes();
    }

    @Test
    void an_endless_loop_in_a_test_times_out_at_the_adapted_per_test_limit_without_costing_a_worker() {
        long retired = evaluator.stats().retired(PoolStats.Retirement.REQUESTED) + evaluator.stats().retired(PoolStats.Retirement.TIMED_OUT);
        Evaluation e = evaluator.evaluate(code("        while (a.length >= 0) {\n            Thread.onSpinWait();\n        }\n"), "loop", seedReference);

        assertThat(e.outcome()).isInstanceOf(Outcome.TimedOut.class);
        assertThat(((Outcome.TimedOut) e.outcome()).limit()).as("tightened from the configured 20 s").isLessThan(Duration.ofSeconds(10));
        assertThat(e.feedback()).containsPattern("test demo\\.\\w+#\\w+ ran past the per-test limit of \\d+ ms \\(adaptive limits");
        assertThat(e.elapsed()).isLessThan(Duration.ofSeconds(15));
        assertThat(e.feedback()).contains("stopped at a loop iteration, the worker carries on");
        assertThat(evaluator.stats().retired(PoolStats.Retirement.REQUESTED) + evaluator.stats().retired(PoolStats.Retirement.TIMED_OUT))
                .as("the loop is stopped inside the worker, which is not replaced").isEqualTo(retired);
        stillServes();
    }

    @Test
    void system_exit_is_refused_by_the_guard_before_the_candidate_runs() {
        long died = evaluator.stats().retired(PoolStats.Retirement.DIED);

        Evaluation e = evaluator.evaluate(code("        if (a.length > 0) {\n            System.exit(3);\n        }\n"), "exit", seedReference);

        assertThat(e.outcome()).isEqualTo(new Outcome.Rejected(
                "guard: forbidden call java.lang.System.exit(int) in Sorter.sort (line 11): ending the JVM (guard category exit)"));
        assertThat(e.stage()).isEqualTo("guard");
        assertThat(e.feedback()).contains("refuses process, exit, reflection").contains("allows it in the evaluator's guard settings");
        assertThat(evaluator.stats().retired(PoolStats.Retirement.DIED)).isEqualTo(died);
        stillServes();
    }

    @Test
    void system_exit_through_reflection_is_refused_by_the_guard() {
        Evaluation e = evaluator.evaluate(code("""
                        try {
                            Class.forName("java.lang.System").getMethod("exit", int.class).invoke(null, 3);
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(e);
                        }
                """), "reflective-exit", seedReference);

        assertThat(e.outcome()).isEqualTo(new Outcome.Rejected(
                "guard: forbidden call java.lang.Class.forName(String) in Sorter.sort (line 11): class loading (guard category classloading)"));
        assertThat(e.feedback()).contains(
                "forbidden call java.lang.reflect.Method.invoke(Object, Object[]) in Sorter.sort (line 11): reflective access");
        stillServes();
    }

    @Test
    void a_thread_left_running_is_a_violation() {
        Evaluation e = evaluator.evaluate(code("""
                        Thread t = new Thread(() -> {
                            while (true) {
                                try {
                                    Thread.sleep(1000);
                                } catch (InterruptedException ignored) {
                                    // keeps running
                                }
                            }
                        });
                        t.setDaemon(true);
                        t.start();
                        java.util.Arrays.sort(a);
                """), "thread", seedReference);

        assertThat(e.outcome()).isInstanceOf(Outcome.Violation.class);
        assertThat(e.outcome().reason()).startsWith("thread left running");
        stillServes();
    }

    @Test
    void changing_a_system_property_or_the_default_locale_is_refused_by_the_guard() {
        Evaluation e = evaluator.evaluate(code("""
                        System.setProperty("demo.sorted", "yes");
                        java.util.Locale.setDefault(java.util.Locale.GERMANY);
                        java.util.Arrays.sort(a);
                """), "globals", seedReference);

        assertThat(e.outcome()).isEqualTo(new Outcome.Rejected("guard: forbidden call java.lang.System.setProperty(String, String) "
                + "in Sorter.sort (line 10): changing JVM-global state (guard category environment)"));
        assertThat(e.feedback()).contains("forbidden call java.util.Locale.setDefault(Locale) in Sorter.sort (line 11)");
        stillServes();
    }

    @Test
    void code_that_does_not_fit_the_blueprint_is_rejected_without_running() {
        Evaluation e = evaluator.evaluate(Code.single("Other.java", "x"), "misfit", seedReference);

        assertThat(e.outcome()).isInstanceOf(Outcome.Rejected.class);
        assertThat(e.outcome().reason()).contains("no region named");
    }

    @Test
    void refuses_evolvable_files_that_are_not_java() throws Exception {
        Files.writeString(root.resolve("notes.txt"), "text\n");
        Blueprint text = Blueprint.read(root, List.of(DemoProject.SORTER, "notes.txt"));

        assertThatThrownBy(() -> new JavaEvaluator(text, evaluator.settings(), Objective.maximize(JavaEvaluator.TESTS_PASSED),
                DemoProject.classpath(root)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notes.txt is not a .java file");
    }

    @Test
    void refuses_an_objective_on_metrics_it_cannot_report() {
        JavaSettings unscored = evaluator.settings().toBuilder().scoreMethod(null).build();

        assertThatThrownBy(() -> new JavaEvaluator(DemoProject.blueprint(root), unscored, Objective.minimize(RuntimeVerdict.RUNTIME_NS),
                DemoProject.classpath(root)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'runtime_ns'").hasMessageContaining("without a score method");
        assertThatThrownBy(() -> new JavaEvaluator(DemoProject.blueprint(root), unscored, Objective.maximize("accuracy"),
                DemoProject.classpath(root)))
                .hasMessageContaining("'accuracy'").hasMessageContaining("it reports tests_");
    }

    @Test
    void workers_that_cannot_start_make_evaluations_crash_naming_the_cause() {
        JavaSettings unstartable = evaluator.settings().toBuilder().jvmArgs(List.of("-XX:+KaizenNoSuchOption")).build();
        try (JavaEvaluator broken = new JavaEvaluator(DemoProject.blueprint(root), unstartable,
                Objective.minimize(RuntimeVerdict.RUNTIME_NS), DemoProject.classpath(root))) {
            Evaluation e = broken.evaluate(code(FAST), "c");

            assertThat(e.outcome()).isInstanceOf(Outcome.Crashed.class);
            assertThat(e.outcome().reason()).startsWith("no worker JVM could be started");
            assertThat(e.feedback()).contains("KaizenNoSuchOption");
            assertThat(broken.stats().startFailures()).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void threads_evaluating_at_once_each_get_their_own_result() throws Exception {
        int candidates = 6;
        List<Future<Evaluation>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < candidates; i++) {
                String body = (i % 2 == 0 ? FAST : WRONG) + "        // candidate " + i + "\n";
                futures.add(threads.submit(() -> evaluator.evaluate(code(body), "c", seedReference)));
            }
        }

        for (int i = 0; i < candidates; i++) {
            Evaluation e = futures.get(i).get();
            if (i % 2 == 0) {
                assertThat(e.outcome()).as(e.feedback()).isEqualTo(new Outcome.Passed());
                assertThat(e.metrics()).containsEntry(JavaEvaluator.TESTS_PASSED, 6.0).containsKey(RuntimeVerdict.RUNTIME_P);
            } else {
                assertThat(e.outcome()).as(e.feedback()).isInstanceOf(Outcome.Incorrect.class);
                assertThat(e.outcome().reason()).startsWith("3 of 6 tests failed");
            }
        }
        assertThat(evaluator.stats().startFailures()).isZero();
        assertThat(evaluator.stats().busy()).isZero();
    }

    @Test
    void describes_itself_in_one_line() {
        assertThat(evaluator.describe()).isEqualTo("java: 2 warm workers, 2 test classes, score demo.Bench#score, timing 15 rounds at 99%");
    }
}
