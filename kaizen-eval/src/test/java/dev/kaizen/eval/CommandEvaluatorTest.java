package dev.kaizen.eval;

import static dev.kaizen.eval.Fixture.code;
import static dev.kaizen.eval.Fixture.evaluator;
import static dev.kaizen.eval.Fixture.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Objective;
import dev.kaizen.sandbox.SandboxLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a single-stage command evaluator makes of what its command does. */
@ExtendWith(SharedSandbox.class)
class CommandEvaluatorTest {

    @TempDir
    Path root;

    Path target;
    Path work;

    @BeforeEach
    void setUp() throws IOException {
        target = Fixture.target(root);
        work = root.resolve("work");
    }

    private Evaluation run(String command) {
        return evaluator(target, work, stage(command)).evaluate(code(target, 1), "c1");
    }

    @Test
    void passes_a_candidate_and_reports_its_metrics() {
        Evaluation e = run("echo '{\"score\": 0.75, \"metrics\": {\"time\": 12, \"size\": 1.5e3}, \"feedback\": \"fine\"}'");

        assertThat(e.outcome()).isEqualTo(new Outcome.Passed());
        assertThat(e.metrics()).isEqualTo(Map.of("score", 0.75, "time", 12.0, "size", 1500.0));
        assertThat(e.feedback()).isEqualTo("fine");
        assertThat(e.stage()).isEqualTo("evaluate");
        assertThat(e.elapsed()).isPositive();
    }

    @Test
    void evaluates_the_code_that_was_written_into_the_copy() throws IOException {
        Evaluation e = evaluator(target, work, stage("./solution.sh")).evaluate(code(target, 42), "c1");

        assertThat(e.metrics()).containsEntry("score", 42.0);
        assertThat(Files.readString(target.resolve(Fixture.SOLUTION))).contains("value=1\n");
    }

    @Test
    void evaluates_the_seed_of_the_target() {
        Evaluation e = evaluator(target, work, stage("./solution.sh"))
                .evaluate(Fixture.blueprint(target).seed(), "seed");

        assertThat(e.metrics()).containsEntry("score", 1.0);
    }

    @Test
    void prefers_the_result_file_over_stdout() {
        Evaluation e = run("echo '{\"score\": 2}' > \"$KAIZEN_RESULT\"; echo '{\"score\": 1}'");

        assertThat(e.metrics()).containsEntry("score", 2.0);
    }

    @Test
    void takes_the_last_line_of_stdout_that_is_a_json_object() {
        Evaluation e = run("echo '{\"score\": 1}'; echo '{\"score\": 2}'; echo '{broken'; echo done; echo");

        assertThat(e.metrics()).containsEntry("score", 2.0);
    }

    @Test
    void gives_the_stage_its_environment() {
        CommandStage stage = stage("""
                case "$KAIZEN_RESULT" in "$PWD"/*) inside=yes ;; *) inside=no ;; esac
                echo "{\\"score\\": 1, \\"feedback\\": \\"$KAIZEN_STAGE $KAIZEN_CANDIDATE $GREETING $inside\\"}"
                """).withEnv(Map.of("GREETING", "hello"));

        Evaluation e = evaluator(target, work, stage).evaluate(code(target, 1), "gen-3/child");

        assertThat(e.feedback()).isEqualTo("evaluate gen-3/child hello yes");
    }

    @Test
    void closes_the_stages_stdin() {
        Evaluation e = run("cat; echo '{\"score\": 1}'");

        assertThat(e.passed()).isTrue();
    }

    @Test
    void reports_a_crash_with_the_end_of_stderr() {
        Evaluation e = run("echo 'Traceback' >&2; echo 'ZeroDivisionError: division by zero' >&2; exit 3");

        assertThat(e.outcome()).asInstanceOf(type(Outcome.Crashed.class)).satisfies(c -> {
            assertThat(c.exitCode()).isEqualTo(3);
            assertThat(c.reason()).isEqualTo("exited with code 3: Traceback | ZeroDivisionError: division by zero");
        });
        assertThat(e.metrics()).isEmpty();
        assertThat(e.feedback()).contains("ZeroDivisionError: division by zero");
    }

    @Test
    void reports_a_crash_even_when_the_result_says_correct() {
        Evaluation e = run("echo '{\"score\": 1}'; exit 2");

        assertThat(e.outcome()).isEqualTo(new Outcome.Crashed(2, "exited with code 2 (no output on stderr)"));
    }

    @Test
    void reports_a_failing_exit_with_correct_false_as_incorrect() {
        Evaluation e = run("echo '{\"correct\": false, \"feedback\": \"bins overlap\"}'; exit 1");

        assertThat(e.outcome()).isEqualTo(new Outcome.Incorrect("bins overlap"));
    }

    @Test
    void reports_correct_false_as_incorrect_with_the_feedback() {
        Evaluation e = run("printf '%s\\n' '{\"correct\": false, \"score\": NaN, \"feedback\": \"3 of 10 tests failed\\ntest_edge: expected 2\"}'");

        assertThat(e.outcome()).isEqualTo(new Outcome.Incorrect("3 of 10 tests failed | test_edge: expected 2"));
        assertThat(e.feedback()).isEqualTo("3 of 10 tests failed\ntest_edge: expected 2");
    }

    @Test
    void reports_correct_false_without_feedback_as_incorrect() {
        Evaluation e = run("echo '{\"correct\": false}'");

        assertThat(e.outcome()).isEqualTo(new Outcome.Incorrect("evaluator reported correct: false"));
    }

    @Test
    void reports_output_without_json_as_malformed() {
        Evaluation e = run("echo hello");

        assertThat(e.outcome()).asInstanceOf(type(Outcome.Malformed.class)).extracting(Outcome::reason).asString()
                .contains("no line of stdout is a JSON object", "\"hello\"", "$KAIZEN_RESULT");
    }

    @Test
    void reports_empty_output_as_malformed() {
        Evaluation e = run("true");

        assertThat(e.outcome().reason()).contains("stdout was empty");
        assertThat(e.outcome()).isInstanceOf(Outcome.Malformed.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"score\": NaN}                                 | metric 'score' is NaN",
            "{\"score\": \"NaN\"}                             | metric 'score' is NaN",
            "{\"score\": -Infinity}                           | metric 'score' is -Infinity",
            "{\"score\": 1, \"metrics\": {\"time\": Infinity}}   | metric 'time' is Infinity",
            "{\"score\": 1, \"metrics\": {\"time\": \"Infinity\"}} | metric 'time' is Infinity",
    })
    void reports_a_non_finite_metric_as_invalid(String json, String reason) {
        Evaluation e = run("echo '" + json + "'");

        assertThat(e.outcome()).isInstanceOf(Outcome.Invalid.class);
        assertThat(e.outcome().reason()).startsWith(reason).contains("stdout");
    }

    @Test
    void reports_a_missing_primary_metric_as_invalid() {
        Evaluation e = run("echo '{\"metrics\": {\"time\": 3}}'");

        assertThat(e.outcome()).isEqualTo(new Outcome.Invalid("missing primary metric 'score' (reported: time)"));
    }

    @Test
    void reads_the_primary_metric_from_the_metrics_object() {
        Evaluation e = evaluator(target, work, Objective.minimize("time"), stage("echo '{\"metrics\": {\"time\": 3}}'"))
                .evaluate(code(target, 1), "c1");

        assertThat(e.passed()).isTrue();
        assertThat(e.metrics()).isEqualTo(Map.of("time", 3.0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"score\": \"high\"}               | field 'score' must be a number, got a string \"high\"",
            "{\"score\": 1, \"correct\": \"yes\"} | field 'correct' must be true or false, got a string \"yes\"",
            "{\"score\": 1, \"metrics\": [1, 2]} | field 'metrics' must be an object of numbers, got an array [1,2]",
            "{\"score\": 1, \"metrics\": {\"ok\": true}} | metric 'ok' must be a number, got a boolean true",
            "{\"score\": 1, \"feedback\": 7}     | field 'feedback' must be a string, got a number 7",
    })
    void reports_a_field_of_the_wrong_type_as_malformed(String json, String reason) {
        Evaluation e = run("echo '" + json + "'");

        assertThat(e.outcome()).isEqualTo(new Outcome.Malformed(reason + " in the result from stdout"));
    }

    @Test
    void reports_an_invalid_result_file_as_malformed_even_when_stdout_has_json() {
        Evaluation e = run("echo '{oops' > \"$KAIZEN_RESULT\"; echo '{\"score\": 1}'");

        assertThat(e.outcome()).isInstanceOf(Outcome.Malformed.class);
        assertThat(e.outcome().reason()).startsWith("the result file .kaizen/result-1.json is not valid JSON (line 1");
    }

    @Test
    void reports_a_result_file_that_is_not_an_object_as_malformed() {
        Evaluation e = run("echo '[1, 2]' > \"$KAIZEN_RESULT\"");

        assertThat(e.outcome()).isEqualTo(new Outcome.Malformed(
                "the result file .kaizen/result-1.json holds an array [1,2], not a JSON object"));
    }

    @Test
    void reports_a_result_file_that_is_not_a_regular_file_as_malformed() {
        Evaluation e = run("mkfifo \"$KAIZEN_RESULT\"; echo '{\"score\": 1}'");

        assertThat(e.outcome()).isEqualTo(new Outcome.Malformed("the result file .kaizen/result-1.json is not a regular file"));
    }

    @Test
    void rejects_code_that_does_not_fit_the_blueprint() throws IOException {
        Evaluation e = evaluator(target, work, stage("./solution.sh")).evaluate(Code.single("other.sh", "x"), "c1");

        assertThat(e.outcome()).isInstanceOf(Outcome.Rejected.class);
        assertThat(e.outcome().reason()).contains("no region named 'solution.sh#1'");
        assertThat(Fixture.entries(work)).isZero();
    }

    @Test
    void removes_the_work_directory_after_each_evaluation() throws IOException {
        CommandEvaluator evaluator = evaluator(target, work, stage("mkdir -p locked/deep && chmod 000 locked && ./solution.sh"));

        assertThat(evaluator.evaluate(code(target, 1), "c1").passed()).isTrue();
        assertThat(run("exit 1").outcome()).isInstanceOf(Outcome.Crashed.class);
        assertThat(Fixture.entries(work)).isZero();
        assertThat(evaluator.cleanupFailures()).isZero();
    }

    @Test
    void copies_the_target_without_excluded_paths_and_keeps_links_and_executable_bits() throws IOException {
        Files.createDirectories(target.resolve("data/big"));
        Files.writeString(target.resolve("data/big/blob.bin"), "x");
        Files.writeString(target.resolve("notes.log"), "x");
        Files.createDirectories(target.resolve(".git"));
        Files.writeString(target.resolve(".git/config"), "x");
        Files.createDirectories(target.resolve(".kaizen"));
        Files.writeString(target.resolve(".kaizen/ledger.jsonl"), "x");
        Files.createDirectories(target.resolve("lib"));
        Files.writeString(target.resolve("lib/helper.txt"), "help");
        Files.createSymbolicLink(target.resolve("link.txt"), Path.of("lib/helper.txt"));
        Path tool = target.resolve("lib/tool.sh");
        Files.writeString(tool, "#!/bin/sh\necho tool\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-x---"));
        String check = """
                for p in data notes.log .git .kaizen/ledger.jsonl; do [ -e "$p" ] && echo "copied $p" >&2 && exit 1; done
                [ -L link.txt ] && [ "$(cat link.txt)" = help ] || { echo "link" >&2; exit 1; }
                [ "$(./lib/tool.sh)" = tool ] || exit 1
                echo '{"score": 1}'
                """;
        CommandEvaluator evaluator = CommandEvaluator.of(Fixture.blueprint(target), target, List.of(stage(check)),
                Objective.maximize("score"), target.resolve("work"), List.of("data", "*.log"), Fixture.sandbox(), SandboxLimits.defaults());

        Evaluation e = evaluator.evaluate(code(target, 1), "c1");

        assertThat(e.outcome()).isEqualTo(new Outcome.Passed());
        assertThat(Fixture.entries(target.resolve("work"))).isZero();
    }

    @Test
    void describes_a_single_command() {
        CommandEvaluator evaluator = evaluator(target, work,
                CommandStage.of("evaluate", "python3 evaluate.py", Duration.ofSeconds(30)));

        assertThat(evaluator.describe()).isEqualTo("command: python3 evaluate.py (timeout 30s)");
    }

    @Test
    void describes_a_cascade() {
        CommandEvaluator evaluator = evaluator(target, work,
                CommandStage.of("quick", "./quick.sh", Duration.ofMillis(1500)).withMinScore(0.5),
                CommandStage.of("full", "python3 evaluate.py", Duration.ofMinutes(2)));

        assertThat(evaluator.describe())
                .isEqualTo("command cascade: quick: ./quick.sh (timeout 1.5s, score >= 0.5) -> full: python3 evaluate.py (timeout 120s)");
    }

    @Test
    void refuses_a_target_root_that_is_not_a_directory() {
        assertThatThrownBy(() -> CommandEvaluator.of(Fixture.blueprint(target), target.resolve(Fixture.SOLUTION),
                        List.of(stage("true")), Objective.maximize("score"), work, List.of(), Fixture.sandbox(), SandboxLimits.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a directory");
    }

    @Test
    void refuses_an_exclude_entry_outside_the_target() {
        assertThatThrownBy(() -> CommandEvaluator.of(Fixture.blueprint(target), target, List.of(stage("true")),
                        Objective.maximize("score"), work, List.of("../elsewhere"), Fixture.sandbox(), SandboxLimits.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'../elsewhere'");
    }

    @Test
    void throws_when_the_work_directory_cannot_be_created() throws IOException {
        Path file = Files.writeString(root.resolve("plain-file"), "x");
        CommandEvaluator evaluator = evaluator(target, file.resolve("work"), stage("true"));

        assertThatThrownBy(() -> evaluator.evaluate(code(target, 1), "c1"))
                .isInstanceOf(EvaluatorException.class)
                .hasMessageContaining(file.resolve("work").toString());
    }

    @Test
    void throws_when_the_shell_is_missing() throws IOException {
        ShellRunner missing = new ShellRunner(Path.of("/nonexistent/sh"));
        CommandEvaluator evaluator = new CommandEvaluator(Fixture.blueprint(target), target, List.of(stage("true")),
                Objective.maximize("score"), work, List.of(), Fixture.sandbox(), SandboxLimits.defaults(), WorkGuard.strict(), missing);

        assertThatThrownBy(() -> evaluator.evaluate(code(target, 1), "c1"))
                .isInstanceOf(EvaluatorException.class)
                .hasMessageContaining("/nonexistent/sh");
        assertThat(Fixture.entries(work)).isZero();
    }
}
