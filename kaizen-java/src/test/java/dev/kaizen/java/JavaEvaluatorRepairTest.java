package dev.kaizen.java;

import static dev.kaizen.java.DemoProject.FAST;
import static dev.kaizen.java.DemoProject.WRONG;
import static dev.kaizen.java.DemoProject.code;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.java.pool.TestSandbox;
import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.core.target.Objective;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Failing tests as data (program repair), and a candidate that exhausts a small worker heap. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaEvaluatorRepairTest {

    @TempDir
    static Path root;

    Sandbox sandbox;
    JavaEvaluator evaluator;

    @BeforeAll
    void start() throws Exception {
        sandbox = TestSandbox.detect();
        DemoProject.create(root);
        JavaSettings settings = JavaSettings.builder(root, DemoProject.TESTS)
                .classpath(ClasspathSource.entries(List.of()))
                .sandbox(sandbox)
                .failingTests(JavaSettings.FailingTests.SCORE)
                .workers(1)
                .workerHeap(96L << 20)
                .adaptiveLimits(false)
                .testTimeout(Duration.ofSeconds(20))
                .candidateTimeout(Duration.ofSeconds(40))
                .build();
        evaluator = new JavaEvaluator(DemoProject.blueprint(root), settings, Objective.maximize(JavaEvaluator.TESTS_PASSED),
                DemoProject.classpath(root));
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

    @Test
    void failing_tests_are_data_under_the_score_policy() {
        Evaluation e = evaluator.evaluate(code(WRONG), "wrong");

        assertThat(e.outcome()).as(e.feedback()).isEqualTo(new Outcome.Passed());
        assertThat(e.metrics())
                .containsEntry(JavaEvaluator.TESTS_TOTAL, 6.0)
                .containsEntry(JavaEvaluator.TESTS_PASSED, 3.0)
                .containsEntry(JavaEvaluator.TESTS_FAILED, 3.0)
                .containsEntry(JavaEvaluator.TESTS_PASS_RATE, 0.5)
                .doesNotContainKey(JavaEvaluator.SCORE);
        assertThat(e.feedback()).startsWith("3 of 6 tests passed\n3 of 6 tests failed:\n- demo.")
                .contains("- demo.SorterTest#sortsNumbers: ").contains("expected: <1> but was: <8>");
    }

    @Test
    void a_candidate_that_exhausts_the_heap_crashes_and_the_pool_goes_on() {
        Evaluation e = evaluator.evaluate(code("""
                        java.util.List<long[]> hog = new java.util.ArrayList<>();
                        while (hog.size() >= 0) {
                            hog.add(new long[1 << 20]);
                        }
                """), "hog");

        assertThat(e.outcome()).as(e.feedback()).isInstanceOf(Outcome.Crashed.class);
        assertThat(e.outcome().reason()).contains("OutOfMemoryError");
        Evaluation next = evaluator.evaluate(code(FAST), "good");
        assertThat(next.outcome()).as(next.feedback()).isEqualTo(new Outcome.Passed());
        assertThat(next.metrics()).containsEntry(JavaEvaluator.TESTS_PASSED, 6.0);
    }
}
