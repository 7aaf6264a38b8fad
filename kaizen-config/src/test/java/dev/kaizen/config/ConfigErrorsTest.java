package dev.kaizen.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad kaizen.yaml, each with the exact position and key its error names. */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void target() throws IOException {
        Files.writeString(dir.resolve("packing.py"), ConfigLoaderTest.PACKING);
    }

    ConfigException error(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, dir, "kaizen.yaml"));
        assertThat(e).as("a ConfigException for:\n%s", yaml).isNotNull();
        return e;
    }

    static void assertError(ConfigException e, int line, int column, String key, String message) {
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.file()).isEqualTo("kaizen.yaml");
        assertThat(e.line()).as("line").isEqualTo(line);
        assertThat(e.column()).as("column").isEqualTo(column);
        assertThat(e.key()).as("key").isEqualTo(key);
    }

    static final String OK = "files: [packing.py]\nevaluator: { command: run }\n";

    @Nested
    class Syntax {

        @Test
        void a_yaml_syntax_error_names_line_and_column() {
            ConfigException e = error("""
                    files: [packing.py]
                    evaluator:
                      command: python3 evaluate.py
                       timeout: 30s
                    """);
            assertError(e, 4, 11, "", "kaizen.yaml:4:11: invalid YAML: mapping values are not allowed here");
        }

        @Test
        void an_unclosed_flow_list_is_a_syntax_error() {
            ConfigException e = error("files: [packing.py\nevaluator: { command: run }\n");
            assertError(e, 2, 10, "", "kaizen.yaml:2:10: invalid YAML: expected ',' or ']', but got : (while parsing a flow sequence at line 1, column 8)");
        }

        @Test
        void a_tab_used_for_indentation_is_a_syntax_error() {
            ConfigException e = error("files: [packing.py]\nevaluator:\n\tcommand: run\n");
            assertError(e, 3, 1, "", "kaizen.yaml:3:1: invalid YAML: found character '\\t(TAB)' that cannot start any token."
                    + " (Do not use \\t(TAB) for indentation) (while scanning for the next token)");
        }

        @Test
        void two_documents_are_an_error() {
            ConfigException e = error(OK + "---\nseed: 1\n");
            assertThat(e.line()).isEqualTo(3);
            assertError(e, 3, 1, "", "kaizen.yaml:3:1: invalid YAML: expected a single document in the stream, but found another document");
        }

        @Test
        void a_control_character_is_an_error_at_its_position() {
            assertError(error(OK + "name: \u0001\n"), 3, 7, "", "kaizen.yaml:3:7: invalid YAML: special characters are not allowed");
        }

        @Test
        void an_undefined_alias_is_an_error() {
            assertError(error("files: [packing.py]\nevaluator: *nope\n"), 2, 12, "", "kaizen.yaml:2:12: invalid YAML: found undefined alias nope");
        }

        @Test
        void an_empty_file_is_an_error() {
            assertError(error(""), 1, 1, "", "kaizen.yaml:1:1: the file is empty; it needs at least 'files' and 'evaluator'");
            assertError(error("# only a comment\n\n"), 1, 1, "", "kaizen.yaml:1:1: the file is empty; it needs at least 'files' and 'evaluator'");
        }

        @Test
        void the_top_level_must_be_a_map() {
            assertError(error("# a list\n- files\n- evaluator\n"), 2, 1, "",
                    "kaizen.yaml:2:1: expected a map of settings at the top level (files:, evaluator:, ...), got a list");
            assertError(error("hello"), 1, 1, "",
                    "kaizen.yaml:1:1: expected a map of settings at the top level (files:, evaluator:, ...), got \"hello\"");
        }

        @Test
        void a_duplicate_key_is_an_error() {
            ConfigException e = error(OK + "seed: 1\nseed: 2\n");
            assertError(e, 4, 1, "seed", "kaizen.yaml:4:1: seed: duplicate key 'seed' (first given at line 3)");
        }
    }

    @Nested
    class UnknownKeys {

        @Test
        void a_misspelt_key_gets_a_suggestion() {
            ConfigException e = error("""
                    files: [packing.py]
                    evaluator:
                      command: run
                      timout: 30s
                    """);
            assertError(e, 4, 3, "evaluator.timout", "kaizen.yaml:4:3: evaluator.timout: unknown key 'timout' in evaluator; did you mean 'timeout'?");
        }

        @Test
        void a_misspelt_top_level_key_gets_a_suggestion() {
            assertError(error(OK + "seeds: 3\n"), 3, 1, "seeds", "kaizen.yaml:3:1: seeds: unknown key 'seeds'; did you mean 'seed'?");
            assertError(error(OK + "Evaluater: {}\n"), 3, 1, "Evaluater", "kaizen.yaml:3:1: Evaluater: unknown key 'Evaluater'; did you mean 'evaluator'?");
        }

        @Test
        void a_key_far_from_every_known_key_lists_them_all() {
            assertError(error(OK + "colour: red\n"), 3, 1, "colour", "kaizen.yaml:3:1: colour: unknown key 'colour'; expected one of "
                    + "name, description, files, exclude, evaluator, objective, features, search, budget, seed, guard, metrics, sandbox, llm");
        }

        @Test
        void unknown_keys_are_found_in_list_items() {
            ConfigException e = error("""
                    files: [packing.py]
                    evaluator:
                      stages:
                        - { name: a, command: run, min_scor: 1 }
                    """);
            assertError(e, 4, 32, "evaluator.stages[0].min_scor",
                    "kaizen.yaml:4:32: evaluator.stages[0].min_scor: unknown key 'min_scor' in evaluator.stages[0]; did you mean 'min_score'?");
        }
    }

    @Nested
    class WrongTypes {

        @Test
        void files_must_be_a_list() {
            assertError(error("files: packing.py\nevaluator: { command: run }\n"), 1, 8, "files",
                    "kaizen.yaml:1:8: files: expected a list, got \"packing.py\"; write files: [packing.py]");
        }

        @Test
        void a_count_must_be_a_whole_number() {
            assertError(error(OK + "search:\n  islands: four\n"), 4, 12, "search.islands",
                    "kaizen.yaml:4:12: search.islands: expected a whole number, got \"four\"");
            assertError(error(OK + "search:\n  islands: 2.5\n"), 4, 12, "search.islands",
                    "kaizen.yaml:4:12: search.islands: expected a whole number, got 2.5");
        }

        @Test
        void a_quoted_number_is_a_string() {
            assertError(error(OK + "seed: \"42\"\n"), 3, 7, "seed", "kaizen.yaml:3:7: seed: expected a whole number, got \"42\"");
        }

        @Test
        void a_number_must_be_a_number() {
            assertError(error(OK + "budget: { target: high }\n"), 3, 19, "budget.target",
                    "kaizen.yaml:3:19: budget.target: expected a number, got \"high\"");
        }

        @Test
        void a_section_must_be_a_map() {
            assertError(error("files: [packing.py]\nevaluator: python3 evaluate.py\n"), 2, 12, "evaluator",
                    "kaizen.yaml:2:12: evaluator: expected a map with keys such as type, command, stages, timeout, env, output_limit, got \"python3 evaluate.py\"");
        }

        @Test
        void a_command_must_be_a_string() {
            assertError(error("files: [packing.py]\nevaluator:\n  command: [python3, evaluate.py]\n"), 3, 12, "evaluator.command",
                    "kaizen.yaml:3:12: evaluator.command: expected a string, got a list");
        }

        @Test
        void a_timeout_must_be_a_duration() {
            String yaml = "files: [packing.py]\n" + "\n".repeat(9) + "evaluator:\n  timeout: abc\n  command: run\n";
            assertError(error(yaml), 12, 12, "evaluator.timeout",
                    "kaizen.yaml:12:12: evaluator.timeout: expected a duration such as 30s, 5m, 1h or 250ms, got \"abc\"");
        }

        @Test
        void a_duration_must_be_positive() {
            assertError(error("files: [packing.py]\nevaluator: { command: run, timeout: 0s }\n"), 2, 37, "evaluator.timeout",
                    "kaizen.yaml:2:37: evaluator.timeout: expected a positive duration, got \"0s\"");
            assertError(error("files: [packing.py]\nevaluator: { command: run, timeout: -5 }\n"), 2, 37, "evaluator.timeout",
                    "kaizen.yaml:2:37: evaluator.timeout: expected a positive duration, got -5.0 seconds");
        }

        @Test
        void constraints_must_be_a_list_of_maps() {
            assertError(error(OK + "objective:\n  constraints:\n    - runtime_s < 2\n"), 5, 7, "objective.constraints[0]",
                    "kaizen.yaml:5:7: objective.constraints[0]: expected a map with keys such as metric, min, max, got \"runtime_s < 2\"");
        }

        @Test
        void an_unknown_choice_gets_a_suggestion() {
            assertError(error(OK + "objective: { direction: maximise }\n"), 3, 25, "objective.direction",
                    "kaizen.yaml:3:25: objective.direction: unknown value \"maximise\"; did you mean 'maximize'? expected one of maximize, minimize");
            assertError(error(OK + "search: { selection: tournement }\n"), 3, 22, "search.selection",
                    "kaizen.yaml:3:22: search.selection: unknown value \"tournement\"; did you mean 'tournament'? expected one of "
                            + "power-law, fitness-proportional, tournament, hill-climbing, uniform");
        }

        @Test
        void an_environment_variable_name_may_not_hold_an_equals_sign() {
            assertError(error("files: [packing.py]\nevaluator: { command: run, env: { A=B: x } }\n"), 2, 35, "evaluator.env.A=B",
                    "kaizen.yaml:2:35: evaluator.env.A=B: is not a valid environment variable name");
        }
    }

    @Nested
    class MissingKeys {

        @Test
        void files_are_required() {
            assertError(error("# target\nevaluator: { command: run }\n"), 2, 1, "files",
                    "kaizen.yaml:2:1: files: missing required key 'files'; list the evolvable files, e.g. files: [main.py]");
        }

        @Test
        void an_empty_files_value_is_pointed_at_its_key() {
            assertError(error("files:\nevaluator: { command: run }\n"), 1, 1, "files",
                    "kaizen.yaml:1:1: files: needs a value; list the evolvable files, e.g. files: [main.py]");
        }

        @Test
        void files_must_not_be_empty() {
            assertError(error("files: []\nevaluator: { command: run }\n"), 1, 8, "files",
                    "kaizen.yaml:1:8: files: must list at least one evolvable file");
        }

        @Test
        void the_evaluator_is_required() {
            assertError(error("files: [packing.py]\n"), 1, 1, "evaluator",
                    "kaizen.yaml:1:1: evaluator: missing required key 'evaluator'; say how to evaluate a candidate, e.g. evaluator: { command: python3 evaluate.py }");
        }

        @Test
        void the_evaluator_needs_a_command_or_stages() {
            assertError(error("files: [packing.py]\nevaluator:\n  timeout: 5s\n"), 3, 3, "evaluator",
                    "kaizen.yaml:3:3: evaluator: needs 'command' (one stage) or 'stages' (a cascade of stages, cheapest first)");
        }

        @Test
        void a_stage_needs_a_command() {
            ConfigException e = error("""
                    files: [packing.py]
                    evaluator:
                      stages:
                        - { name: quick, command: run }
                        - name: full
                          timeout: 5s
                    """);
            assertError(e, 5, 7, "evaluator.stages[1].command",
                    "kaizen.yaml:5:7: evaluator.stages[1].command: missing required key 'command' in evaluator.stages[1]; give the command that evaluates a candidate");
        }

        @Test
        void a_metric_feature_needs_a_max() {
            assertError(error(OK + "features:\n  - { name: runtime_s, min: 0 }\n"), 4, 5, "features[0].max",
                    "kaizen.yaml:4:5: features[0].max: missing required key 'max' in features[0]; a metric axis needs its upper end, e.g. max: 1.0");
        }
    }

    @Nested
    class OutOfRange {

        @Test
        void islands_are_between_1_and_256() {
            assertError(error(OK + "search:\n  islands: 0\n"), 4, 12, "search.islands",
                    "kaizen.yaml:4:12: search.islands: must be between 1 and 256, got 0");
            assertError(error(OK + "search:\n  islands: 1_000\n"), 4, 12, "search.islands",
                    "kaizen.yaml:4:12: search.islands: must be between 1 and 256, got 1000");
        }

        @Test
        void the_output_limit_is_at_least_1024() {
            assertError(error("files: [packing.py]\nevaluator: { command: run, output_limit: 100 }\n"), 2, 42, "evaluator.output_limit",
                    "kaizen.yaml:2:42: evaluator.output_limit: must be between 1024 and 2147483647, got 100");
        }

        @Test
        void the_evaluation_budget_is_at_least_1() {
            assertError(error(OK + "budget: { evaluations: 0 }\n"), 3, 24, "budget.evaluations",
                    "kaizen.yaml:3:24: budget.evaluations: must be at least 1, got 0");
        }

        @Test
        void weights_and_exponents_are_not_negative() {
            assertError(error(OK + "search: { power_law_alpha: -1 }\n"), 3, 28, "search.power_law_alpha",
                    "kaizen.yaml:3:28: search.power_law_alpha: must be at least 0, got -1");
            assertError(error(OK + "search:\n  operators: { line.swap: -0.5 }\n"), 4, 27, "search.operators.line.swap",
                    "kaizen.yaml:4:27: search.operators.line.swap: must be at least 0, got -0.5");
        }

        @Test
        void parallelism_is_at_least_1() {
            assertError(error(OK + "search: { parallelism: 0 }\n"), 3, 24, "search.parallelism",
                    "kaizen.yaml:3:24: search.parallelism: must be between 1 and 1024, got 0");
        }

        @Test
        void a_target_must_be_finite() {
            assertError(error(OK + "budget: { target: .inf }\n"), 3, 19, "budget.target",
                    "kaizen.yaml:3:19: budget.target: must be a finite number, got .inf");
        }

        @Test
        void a_seed_must_fit_in_64_bits() {
            assertError(error(OK + "seed: 99999999999999999999\n"), 3, 7, "seed",
                    "kaizen.yaml:3:7: seed: must be between -9223372036854775808 and 9223372036854775807, got 99999999999999999999");
        }

        @Test
        void bins_are_between_1_and_1000() {
            assertError(error(OK + "features:\n  - { name: length, max: 10, bins: 0 }\n"), 4, 36, "features[0].bins",
                    "kaizen.yaml:4:36: features[0].bins: must be between 1 and 1000, got 0");
        }

        @Test
        void a_feature_max_must_be_above_its_min() {
            assertError(error(OK + "features:\n  - { name: lines, min: 5, max: 5 }\n"), 4, 33, "features[0].max",
                    "kaizen.yaml:4:33: features[0].max: feature 'lines' needs max > min, got min=5.0 max=5.0");
        }
    }

    @Nested
    class EvolvableFiles {

        @Test
        void a_missing_file_is_named_with_the_target_directory() {
            assertError(error("files:\n  - packing.py\n  - missing.py\nevaluator: { command: run }\n"), 3, 5, "files[1]",
                    "kaizen.yaml:3:5: files[1]: missing.py does not exist in " + dir.toAbsolutePath().normalize());
        }

        @Test
        void a_file_must_be_relative_and_inside_the_target() {
            assertError(error("files: [/etc/passwd]\nevaluator: { command: run }\n"), 1, 9, "files[0]",
                    "kaizen.yaml:1:9: files[0]: must be relative to the target directory, got \"/etc/passwd\"");
            assertError(error("files: [src/../../x.py]\nevaluator: { command: run }\n"), 1, 9, "files[0]",
                    "kaizen.yaml:1:9: files[0]: must stay inside the target directory, got \"src/../../x.py\"");
        }

        @Test
        void a_directory_is_not_an_evolvable_file() throws IOException {
            Files.createDirectory(dir.resolve("src"));
            assertError(error("files: [src]\nevaluator: { command: run }\n"), 1, 9, "files[0]",
                    "kaizen.yaml:1:9: files[0]: src is a directory; list the files in it that may evolve");
        }

        @Test
        void a_file_listed_twice_is_an_error() {
            assertError(error("files: [packing.py, ./packing.py]\nevaluator: { command: run }\n"), 1, 21, "files[1]",
                    "kaizen.yaml:1:21: files[1]: lists packing.py a second time (first at line 1)");
        }

        @Test
        void a_symbolic_link_out_of_the_target_is_an_error() throws IOException {
            Path outside = Files.writeString(Files.createTempFile("outside", ".py"), "x\n");
            try {
                Files.createSymbolicLink(dir.resolve("link.py"), outside);
                ConfigException e = error("files: [link.py]\nevaluator: { command: run }\n");
                assertThat(e.getMessage()).startsWith("kaizen.yaml:1:9: files[0]: link.py resolves to ").endsWith(", outside the target directory");
            } finally {
                Files.delete(outside);
            }
        }

        @Test
        void a_file_that_is_not_utf8_is_an_error() throws IOException {
            Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
            assertError(error("files: [latin1.txt]\nevaluator: { command: run }\n"), 1, 9, "files[0]",
                    "kaizen.yaml:1:9: files[0]: latin1.txt is not UTF-8 text");
        }

        @Test
        void an_end_marker_without_a_start_keeps_the_file_and_line() throws IOException {
            Files.writeString(dir.resolve("bad.py"), "x = 1\ny = 2\n# EVOLVE-BLOCK-END\n");
            assertError(error("files: [packing.py, bad.py]\nevaluator: { command: run }\n"), 1, 21, "files[1]",
                    "kaizen.yaml:1:21: files[1]: bad.py:3: EVOLVE-BLOCK-END without a matching EVOLVE-BLOCK-START");
        }

        @Test
        void an_unclosed_block_keeps_the_file_and_line() throws IOException {
            Files.writeString(dir.resolve("bad.py"), "x = 1\n# EVOLVE-BLOCK-START\ny = 2\n");
            assertError(error("files:\n  - bad.py\nevaluator: { command: run }\n"), 2, 5, "files[0]",
                    "kaizen.yaml:2:5: files[0]: bad.py:2: EVOLVE-BLOCK-START is never closed by EVOLVE-BLOCK-END");
        }

        @Test
        void an_exclude_path_must_stay_inside_the_target() {
            assertError(error(OK + "exclude: [data, ../elsewhere]\n"), 3, 17, "exclude[1]",
                    "kaizen.yaml:3:17: exclude[1]: must stay inside the target directory, got \"../elsewhere\"");
        }
    }

    @Nested
    class Conflicts {

        @Test
        void command_and_stages_together_are_an_error() {
            ConfigException e = error("""
                    files: [packing.py]
                    evaluator:
                      command: run
                      stages:
                        - { name: quick, command: run --quick }
                    """);
            assertError(e, 4, 3, "evaluator.stages",
                    "kaizen.yaml:4:3: evaluator.stages: give either 'command' (one stage) or 'stages' (a cascade), not both");
        }

        @Test
        void the_later_of_command_and_stages_is_blamed() {
            ConfigException e = error("""
                    files: [packing.py]
                    evaluator:
                      stages: [{ name: quick, command: run --quick }]
                      command: run
                    """);
            assertError(e, 4, 3, "evaluator.command",
                    "kaizen.yaml:4:3: evaluator.command: give either 'command' (one stage) or 'stages' (a cascade), not both");
        }

        @Test
        void duplicate_stage_names_are_an_error() {
            ConfigException e = error("""
                    files: [packing.py]
                    evaluator:
                      stages:
                        - { name: check, command: run --quick }
                        - { name: full, command: run }
                        - { name: check, command: run --again }
                    """);
            assertError(e, 6, 15, "evaluator.stages[2].name",
                    "kaizen.yaml:6:15: evaluator.stages[2].name: duplicate stage name 'check' (first at line 4)");
        }

        @Test
        void duplicate_feature_names_are_an_error() {
            assertError(error(OK + "features:\n  - { name: length }\n  - { name: length, max: 9 }\n"), 5, 13, "features[1].name",
                    "kaizen.yaml:5:13: features[1].name: duplicate feature 'length' (first at line 4)");
        }

        @Test
        void a_constraint_needs_min_or_max() {
            ConfigException e = error("""
                    files: [packing.py]
                    evaluator: { command: run }
                    objective:
                      constraints:
                        - { metric: runtime_s, max: 2 }
                        - { metric: memory_mb }
                    """);
            assertError(e, 6, 7, "objective.constraints[1]",
                    "kaizen.yaml:6:7: objective.constraints[1]: a constraint on 'memory_mb' needs min, max or both");
        }

        @Test
        void a_constraint_min_above_its_max_is_an_error() {
            assertError(error(OK + "objective:\n  constraints: [{ metric: m, min: 3, max: 1 }]\n"), 4, 43, "objective.constraints[0].max",
                    "kaizen.yaml:4:43: objective.constraints[0].max: constraint on 'm' needs min <= max, got min=3.0 max=1.0");
        }
    }

    @Test
    void an_exception_without_a_position_shows_only_the_file() {
        ConfigException e = new ConfigException("kaizen.yaml", 0, 0, "", "cannot be read");
        assertThat(e.getMessage()).isEqualTo("kaizen.yaml: cannot be read");
        assertThat(e.detail()).isEqualTo("cannot be read");
    }

    @Test
    void the_cause_of_a_wrapped_error_is_kept() throws IOException {
        Files.writeString(dir.resolve("bad.py"), "# EVOLVE-BLOCK-END\n");
        ConfigException e = error("files: [bad.py]\nevaluator: { command: run }\n");
        assertThat(e.getCause()).isNotNull().hasMessage("bad.py:1: EVOLVE-BLOCK-END without a matching EVOLVE-BLOCK-START");
    }
}
