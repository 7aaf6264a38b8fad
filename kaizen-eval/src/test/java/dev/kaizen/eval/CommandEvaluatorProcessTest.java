package dev.kaizen.eval;

import static dev.kaizen.eval.Fixture.code;
import static dev.kaizen.eval.Fixture.evaluator;
import static dev.kaizen.eval.Fixture.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.target.Objective;
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
import org.junit.jupiter.api.io.TempDir;

/** Time limits, process trees, output floods, cascades and concurrency, with real processes. */
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

    @Test
    void kills_a_stage_at_its_limit_together_with_a_detached_grandchild() throws Exception {
        assumeTrue(ShellRunner.onPath("setsid").isPresent(), "needs setsid");
        CommandEvaluator evaluator = evaluator(target, work, limited("( sleep 30 & echo $! > \"$PIDFILE\" ); sleep 30"));

        Evaluation e = evaluator.evaluate(code(target, 1), "c1");

        assertThat(e.outcome()).isEqualTo(new Outcome.TimedOut(LIMIT));
        assertThat(e.outcome().reason()).isEqualTo("killed after the time limit of 300 ms");
        assertThat(e.elapsed()).isLessThan(Duration.ofSeconds(5));
        assertThat(Fixture.gone(Fixture.pid(pidFile))).as("the backgrounded grandchild is gone").isTrue();
        assertThat(Fixture.entries(work)).isZero();
    }

    @Test
    void kills_a_stage_at_its_limit_together_with_a_background_child() throws Exception {
        CommandEvaluator evaluator = evaluator(target, work, limited("sleep 30 & echo $! > \"$PIDFILE\"; wait"));

        Evaluation e = evaluator.evaluate(code(target, 1), "c1");

        assertThat(e.outcome()).isInstanceOf(Outcome.TimedOut.class);
        assertThat(Fixture.gone(Fixture.pid(pidFile))).isTrue();
    }

    @Test
    void kills_background_children_through_the_process_tree_without_setsid() throws Exception {
        ShellRunner plain = new ShellRunner(Path.of("/bin/sh"), java.util.Optional.empty(), java.util.Optional.empty());
        CommandEvaluator evaluator = new CommandEvaluator(Fixture.blueprint(target), target,
                List.of(limited("sleep 30 & echo $! > \"$PIDFILE\"; wait")), Objective.maximize("score"), work, List.of(), plain);

        Evaluation e = evaluator.evaluate(code(target, 1), "c1");

        assertThat(e.outcome()).isInstanceOf(Outcome.TimedOut.class);
        assertThat(Fixture.gone(Fixture.pid(pidFile))).isTrue();
    }

    @Test
    void kills_what_a_passing_stage_left_running() throws Exception {
        assumeTrue(ShellRunner.onPath("setsid").isPresent(), "needs setsid");
        CommandStage stage = stage("( sleep 30 & echo $! > \"$PIDFILE\" ); echo '{\"score\": 1}'")
                .withEnv(Map.of("PIDFILE", pidFile.toString()));

        Evaluation e = evaluator(target, work, stage).evaluate(code(target, 1), "c1");

        assertThat(e.passed()).isTrue();
        assertThat(e.elapsed()).as("not held up by the leftover holding stdout").isLessThan(Duration.ofMillis(1500));
        assertThat(Fixture.gone(Fixture.pid(pidFile))).isTrue();
    }

    @Test
    void runs_each_stage_as_the_leader_of_its_own_process_group() {
        assumeTrue(ShellRunner.onPath("setsid").isPresent() && Files.exists(Path.of("/proc/self/stat")), "needs setsid and /proc");
        Evaluation e = evaluator(target, work, stage(
                "echo \"{\\\"score\\\": 1, \\\"metrics\\\": {\\\"pid\\\": $$, \\\"pgid\\\": $(cut -d' ' -f5 /proc/$$/stat)}}\""))
                .evaluate(code(target, 1), "c1");

        assertThat(e.passed()).as(e.outcome().reason()).isTrue();
        assertThat(e.metrics().get("pgid")).isEqualTo(e.metrics().get("pid"));
        assertThat(e.metrics().get("pid")).isNotEqualTo((double) ProcessHandle.current().pid());
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
        CommandEvaluator evaluator = evaluator(target, work,
                stage("compile", "echo 'syntax error' >&2; exit 1"),
                stage("full", "touch \"$MARKER\"; echo '{\"score\": 1}'").withEnv(Map.of("MARKER", marker.toString())));

        Evaluation e = evaluator.evaluate(code(target, 1), "c1");

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
        CommandEvaluator low = evaluator(target, work, stage("quick", "echo '{\"score\": 0.3}'").withMinScore(0.5), full);
        CommandEvaluator high = evaluator(target, work, stage("quick", "echo '{\"score\": 0.5}'").withMinScore(0.5), full);

        Evaluation failed = low.evaluate(code(target, 1), "c1");

        assertThat(failed.outcome()).isEqualTo(new Outcome.Incorrect("stage quick: score 0.3 below the required 0.5"));
        assertThat(failed.stage()).isEqualTo("quick");
        assertThat(marker).doesNotExist();
        assertThat(high.evaluate(code(target, 1), "c2").outcome()).isEqualTo(new Outcome.Passed());
        assertThat(marker).exists();
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
