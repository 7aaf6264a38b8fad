package dev.kaizen.eval;

import static dev.kaizen.eval.Fixture.code;
import static dev.kaizen.eval.Fixture.evaluator;
import static dev.kaizen.eval.Fixture.stage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.target.Objective;
import dev.kaizen.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Time limits, process trees, output floods, cascades and concurrency, with real processes. */
@ExtendWith(SharedSandbox.class)
class CommandEvaluatorProcessTest {

    private static final Duration LIMIT = Duration.ofMillis(300);

    @TempDir
    Path root;

    Path target;
    Path work;
    Path pidFile;

    @BeforeEach
    void setUp() throws IOException {
        target = Fixture.target(root);
        work = root.resolve("work");
        pidFile = root.resolve("grandchild.pid");
    }

    private CommandStage limited(String command) {
        return CommandStage.of("evaluate", command, LIMIT).withEnv(Map.of("PIDFILE", pidFile.toString()));
    }

    /** Evaluates in the background and returns once {@code n} sleeps of {@code token} run, then the evaluation. */
    private Evaluation whileSleeping(CommandEvaluator evaluator, String token, int n) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Evaluation> e = pool.submit(() -> evaluator.evaluate(code(target, 1), "c1"));
            assertThat(Fixture.awaitSleeping(token, n)).as("the stage's processes started").isEqualTo(n);
            return e.get();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void kills_a_stage_at_its_limit_together_with_a_detached_grandchild() throws Exception {
        String token = Fixture.token();
        CommandStage stage = CommandStage.of("evaluate", "( setsid " + Fixture.sleep(token) + " & ); " + Fixture.sleep(token),
                Duration.ofSeconds(1));
        CommandEvaluator evaluator = evaluator(target, work, stage);

        Evaluation e = whileSleeping(evaluator, token, 2);

        assertThat(e.outcome()).isEqualTo(new Outcome.TimedOut(Duration.ofSeconds(1)));
        assertThat(e.outcome().reason()).isEqualTo("killed after the time limit of 1000 ms");
        assertThat(Fixture.awaitSleeping(token, 0)).as("the detached grandchild is gone").isZero();
        assertThat(Fixture.entries(work)).isZero();
    }

    @Test
    void kills_a_stage_at_its_limit_together_with_a_background_child() throws Exception {
        String token = Fixture.token();
        CommandEvaluator evaluator = evaluator(target, work,
                CommandStage.of("evaluate", Fixture.sleep(token) + " & wait", Duration.ofSeconds(1)));

        Evaluation e = whileSleeping(evaluator, token, 1);

        assertThat(e.outcome()).isInstanceOf(Outcome.TimedOut.class);
        assertThat(Fixture.awaitSleeping(token, 0)).isZero();
    }

    @Test
    void runs_unsandboxed_with_the_unsafe_sandbox_and_still_kills_background_children() throws Exception {
        try (Sandbox unsafe = Sandbox.unsafeNone()) {
            CommandEvaluator evaluator = Fixture.unsandboxed(target, work, unsafe,
                    limited("sleep 30 & echo $! > \"$PIDFILE\"; wait"));

            Evaluation e = evaluator.evaluate(code(target, 1), "c1");

            assertThat(e.outcome()).isInstanceOf(Outcome.TimedOut.class);
            assertThat(pidFile).as("the stage could write outside its directory").exists();
            assertThat(Fixture.gone(Fixture.pid(pidFile))).isTrue();
        }
    }

    @Test
    void kills_what_a_passing_stage_left_running() throws Exception {
        String token = Fixture.token();
        CommandStage stage = stage("( setsid " + Fixture.sleep(token) + " & ); sleep 1; echo '{\"score\": 1}'");

        Evaluation e = whileSleeping(evaluator(target, work, stage), token, 1);

        assertThat(e.passed()).isTrue();
        assertThat(e.elapsed()).as("not held up by the leftover holding stdout").isLessThan(Duration.ofSeconds(10));
        assertThat(Fixture.awaitSleeping(token, 0)).isZero();
    }

    @Test
    void runs_each_stage_in_a_session_of_its_own_pid_namespace() {
        Evaluation e = evaluator(target, work, stage(
                "echo \"{\\\"score\\\": 1, \\\"metrics\\\": {\\\"pid\\\": $$, \\\"processes\\\": $(ls -d /proc/[0-9]* | wc -l), "
                        + "\\\"pgid\\\": $(cut -d' ' -f5 /proc/$$/stat), \\\"sid\\\": $(cut -d' ' -f6 /proc/$$/stat)}}\""))
                .evaluate(code(target, 1), "c1");

        assertThat(e.passed()).as(e.outcome().reason()).isTrue();
        assertThat(e.metrics().get("sid")).as("a new session inside the namespace").isEqualTo(e.metrics().get("pgid")).isEqualTo(1.0);
        assertThat(e.metrics().get("pid")).isEqualTo(2.0);
        assertThat(e.metrics().get("processes")).as("only the namespace's own processes are visible").isLessThan(8.0);
    }

    @Test
    void drains_a_flood_of_stdout_quickly_and_keeps_the_final_result() {
        Evaluation e = evaluator(target, work, stage("head -c 50000000 /dev/zero | tr '\\0' x; echo; echo '{\"score\": 1}'"))
                .evaluate(code(target, 1), "c1");

        assertThat(e.outcome()).isEqualTo(new Outcome.Passed());
        assertThat(e.elapsed()).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void caps_a_flood_of_stderr_in_the_feedback() {
        CommandStage flood = stage("head -c 50000000 /dev/zero | tr '\\0' x >&2; echo >&2; echo 'the end' >&2; exit 1")
                .withOutputLimit(1024);

        Evaluation e = evaluator(target, work, flood).evaluate(code(target, 1), "c1");

        assertThat(e.outcome()).isInstanceOf(Outcome.Crashed.class);
        assertThat(e.outcome().reason()).endsWith("the end").hasSizeLessThan(400);
        assertThat(e.feedback()).contains("[... 49998985 bytes dropped]").endsWith("the end").hasSizeLessThan(1200);
    }

    @Test
    void reports_a_stdout_result_lost_to_the_output_limit_as_malformed() {
        CommandStage flood = stage("head -c 100000 /dev/zero | tr '\\0' x; echo; echo '{\"score\": 1}'; head -c 100000 /dev/zero | tr '\\0' x").withOutputLimit(1024);

        Evaluation e = evaluator(target, work, flood).evaluate(code(target, 1), "c1");

        assertThat(e.outcome()).isInstanceOf(Outcome.Malformed.class);
        assertThat(e.outcome().reason()).contains("bytes of stdout were dropped at the output limit");
    }

    @Test
    void removes_the_work_directory_after_a_timeout() throws IOException {
        CommandEvaluator evaluator = evaluator(target, work, limited("touch made-here; sleep 30"));

        assertThat(evaluator.evaluate(code(target, 1), "c1").outcome()).isInstanceOf(Outcome.TimedOut.class);
        assertThat(Fixture.entries(work)).isZero();
    }

    @Test
    void stops_the_cascade_at_the_first_stage_that_fails() {
        Path marker = root.resolve("full-ran");
        Evaluation e;
        try (Sandbox unsafe = Sandbox.unsafeNone()) {
            CommandEvaluator evaluator = Fixture.unsandboxed(target, work, unsafe,
                    stage("compile", "echo 'syntax error' >&2; exit 1"),
                    stage("full", "touch \"$MARKER\"; echo '{\"score\": 1}'").withEnv(Map.of("MARKER", marker.toString())));

            e = evaluator.evaluate(code(target, 1), "c1");
        }

        assertThat(e.outcome()).isEqualTo(new Outcome.Crashed(1, "stage compile: exited with code 1: syntax error"));
        assertThat(e.stage()).isEqualTo("compile");
        assertThat(marker).doesNotExist();
    }

    @Test
    void merges_the_metrics_of_all_stages_with_later_stages_winning() {
        CommandEvaluator evaluator = evaluator(target, work,
                stage("build", "echo compiling"),
                stage("quick", "echo '{\"score\": 0.5, \"metrics\": {\"a\": 1, \"b\": 1}, \"feedback\": \"quick ok\"}'"),
                stage("full", "echo '{\"score\": 0.9, \"metrics\": {\"b\": 2}, \"feedback\": \"full ok\"}'"));

        Evaluation e = evaluator.evaluate(code(target, 1), "c1");

        assertThat(e.outcome()).isEqualTo(new Outcome.Passed());
        assertThat(e.metrics()).isEqualTo(Map.of("score", 0.9, "a", 1.0, "b", 2.0));
        assertThat(e.stage()).isEqualTo("full");
        assertThat(e.feedback()).isEqualTo("[quick] quick ok\n[full] full ok");
    }

    @Test
    void gives_each_stage_its_own_result_file() {
        CommandEvaluator evaluator = evaluator(target, work,
                stage("quick", "echo '{\"score\": 0.5}' > \"$KAIZEN_RESULT\""),
                stage("full", "echo '{\"score\": 0.9}'"));

        assertThat(evaluator.evaluate(code(target, 1), "c1").metrics()).containsEntry("score", 0.9);
    }

    @Test
    void requires_the_minimum_score_of_a_stage_when_maximizing() {
        Path marker = root.resolve("full-ran");
        CommandStage full = stage("full", "touch \"$MARKER\"; echo '{\"score\": 1}'").withEnv(Map.of("MARKER", marker.toString()));
        try (Sandbox unsafe = Sandbox.unsafeNone()) {
            CommandEvaluator low = Fixture.unsandboxed(target, work, unsafe, stage("quick", "echo '{\"score\": 0.3}'").withMinScore(0.5), full);
            CommandEvaluator high = Fixture.unsandboxed(target, work, unsafe, stage("quick", "echo '{\"score\": 0.5}'").withMinScore(0.5), full);

            Evaluation failed = low.evaluate(code(target, 1), "c1");

            assertThat(failed.outcome()).isEqualTo(new Outcome.Incorrect("stage quick: score 0.3 below the required 0.5"));
            assertThat(failed.stage()).isEqualTo("quick");
            assertThat(marker).doesNotExist();
            assertThat(high.evaluate(code(target, 1), "c2").outcome()).isEqualTo(new Outcome.Passed());
            assertThat(marker).exists();
        }
    }

    @Test
    void requires_the_minimum_score_of_a_stage_when_minimizing() {
        Objective time = Objective.minimize("time");
        CommandStage full = stage("full", "echo '{\"metrics\": {\"time\": 0.1}}'");
        CommandEvaluator slow = evaluator(target, work, time, stage("quick", "echo '{\"metrics\": {\"time\": 0.7}}'").withMinScore(0.5), full);
        CommandEvaluator fast = evaluator(target, work, time, stage("quick", "echo '{\"metrics\": {\"time\": 0.3}}'").withMinScore(0.5), full);

        assertThat(slow.evaluate(code(target, 1), "c1").outcome())
                .isEqualTo(new Outcome.Incorrect("stage quick: time 0.7 above the required 0.5"));
        Evaluation passed = fast.evaluate(code(target, 1), "c2");
        assertThat(passed.outcome()).isEqualTo(new Outcome.Passed());
        assertThat(passed.metrics()).containsEntry("time", 0.1);
    }

    @Test
    void reports_a_stage_with_a_minimum_score_but_no_result_as_malformed() {
        CommandEvaluator evaluator = evaluator(target, work,
                stage("quick", "true").withMinScore(0.5), stage("full", "echo '{\"score\": 1}'"));

        Evaluation e = evaluator.evaluate(code(target, 1), "c1");

        assertThat(e.outcome()).isInstanceOf(Outcome.Malformed.class);
        assertThat(e.outcome().reason()).startsWith("stage quick: no result");
    }

    @Test
    void gives_concurrent_evaluations_their_own_directories_and_results() throws Exception {
        CommandEvaluator evaluator = evaluator(target, work, stage("sleep 0.2; ./solution.sh"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Evaluation>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int value = i;
                futures.add(pool.submit(() -> evaluator.evaluate(code(target, value), "c" + value)));
            }
            for (int i = 0; i < 8; i++) {
                Evaluation e = futures.get(i).get();
                assertThat(e.outcome()).isEqualTo(new Outcome.Passed());
                assertThat(e.metrics()).isEqualTo(Map.of("score", (double) i));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(evaluator.evaluations()).isEqualTo(8);
        assertThat(Fixture.entries(work)).isZero();
    }
}
