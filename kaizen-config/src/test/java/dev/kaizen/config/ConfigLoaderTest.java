package dev.kaizen.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.engine.Limits;
import dev.kaizen.core.engine.Strategy;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Constraint;
import dev.kaizen.core.target.Direction;
import dev.kaizen.core.target.Feature;
import dev.kaizen.eval.CommandStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final String PACKING = """
            import numpy as np
            # EVOLVE-BLOCK-START
            def pack():
                return [0.1] * 26
            # EVOLVE-BLOCK-END
            print(pack())
            """;

    @TempDir
    Path tmp;

    Path dir;

    @BeforeEach
    void target() throws IOException {
        dir = Files.createDirectory(tmp.resolve("circles"));
        Files.writeString(dir.resolve("packing.py"), PACKING);
    }

    KaizenConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, dir, "kaizen.yaml");
    }

    @Test
    void a_minimal_file_gets_every_default() {
        String yaml = """
                files: [packing.py]
                evaluator:
                  command: python3 evaluate.py
                """;
        KaizenConfig config = parse(yaml);

        assertThat(config.target().name()).isEqualTo("circles");
        assertThat(config.target().description()).isEmpty();
        assertThat(config.target().root()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(config.target().objective().primary()).isEqualTo("score");
        assertThat(config.target().objective().direction()).isEqualTo(Direction.MAXIMIZE);
        assertThat(config.target().objective().constraints()).isEmpty();
        assertThat(config.stages()).containsExactly(
                new CommandStage("evaluate", "python3 evaluate.py", Duration.ofSeconds(60), Map.of(), OptionalDouble.empty(), 65536));
        assertThat(config.strategy()).isEqualTo(Strategy.defaults());
        assertThat(config.limits()).isEqualTo(new Limits(1000, ConfigLoader.UNLIMITED, OptionalDouble.empty()));
        assertThat(config.seed()).isZero();
        assertThat(config.parallelism()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.exclude()).isEmpty();
        assertThat(config.source()).isEqualTo(yaml);
    }

    @Test
    void the_default_feature_is_length_from_half_to_one_and_a_half_times_the_seed_code() {
        KaizenConfig config = parse("files: [packing.py]\nevaluator: { command: x }\n");

        int seedLength = config.target().blueprint().seed().length();
        assertThat(seedLength).isEqualTo("def pack():\n    return [0.1] * 26\n".length());
        assertThat(config.target().features()).containsExactly(new Feature("length", seedLength / 2, (seedLength * 3 + 1) / 2, 10));
    }

    @Test
    void the_default_length_axis_is_at_least_20_wide_and_grows_with_the_seed() throws IOException {
        Files.writeString(dir.resolve("big.txt"), "x".repeat(500));
        Files.writeString(dir.resolve("tiny.txt"), "x");

        assertThat(parse("files: [tiny.txt]\nevaluator: { command: x }\n").target().features())
                .containsExactly(new Feature("length", 0, 20, 10));
        assertThat(parse("files: [big.txt]\nevaluator: { command: x }\n").target().features())
                .containsExactly(new Feature("length", 250, 750, 10));
    }

    @Test
    void an_evolvable_file_evolves_only_inside_its_markers_and_one_without_markers_whole() throws IOException {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/whole.txt"), "all of it\n");

        Blueprint blueprint = parse("files: [packing.py, ./src/../src/whole.txt]\nevaluator: { command: x }\n").target().blueprint();

        assertThat(blueprint.seed().regions()).containsOnlyKeys("packing.py#1", "src/whole.txt");
        assertThat(blueprint.seed().region("packing.py#1")).isEqualTo("def pack():\n    return [0.1] * 26\n");
        assertThat(blueprint.seed().region("src/whole.txt")).isEqualTo("all of it\n");
    }

    @Test
    void a_full_example_yields_the_records_it_describes() throws IOException {
        Files.writeString(dir.resolve("other.py"), "x = 1\n");
        String yaml = """
                name: circle-packing
                description: Pack 26 circles
                files: [packing.py, other.py]
                exclude: [data/big, ./logs/]
                evaluator:
                  stages:
                    - { name: quick, command: python3 evaluate.py --quick, timeout: 5s, min_score: 0.5 }
                    - name: full
                      command: python3 evaluate.py
                      env: { MODE: full, SHARED: stage }
                      output_limit: 2048
                  timeout: 30s
                  env: { SHARED: evaluator, THREADS: 1 }
                  output_limit: 4096
                objective:
                  metric: sum_radii
                  direction: minimize
                  constraints:
                    - { metric: runtime_s, max: 2.0 }
                    - { metric: overlap, min: 0 }
                    - { metric: size, min: -1, max: 1e3 }
                features:
                  - { name: length, min: 0, max: 4000, bins: 10 }
                  - { name: lines }
                  - { name: runtime_s, min: 0.5, max: 2, bins: 4 }
                search:
                  islands: 2
                  migration_interval: 25
                  selection: Tournament
                  power_law_alpha: 1.5
                  tournament_size: 5
                  inspirations: 0
                  exploration: 0.25
                  parallelism: 3
                  operators: { line.swap: 1.0, tune.cmaes: 2, llm.diff: 0 }
                budget:
                  evaluations: 5_000
                  time: 1h30m
                  target: 2.63
                seed: -42
                """;

        KaizenConfig config = parse(yaml);

        assertThat(config.target().name()).isEqualTo("circle-packing");
        assertThat(config.target().description()).isEqualTo("Pack 26 circles");
        assertThat(config.target().blueprint().files()).extracting(Blueprint.SourceFile::path).containsExactly("packing.py", "other.py");
        assertThat(config.exclude()).containsExactly("data/big", "logs");
        assertThat(config.stages()).containsExactly(
                new CommandStage("quick", "python3 evaluate.py --quick", Duration.ofSeconds(5),
                        Map.of("SHARED", "evaluator", "THREADS", "1"), OptionalDouble.of(0.5), 4096),
                new CommandStage("full", "python3 evaluate.py", Duration.ofSeconds(30),
                        Map.of("SHARED", "stage", "THREADS", "1", "MODE", "full"), OptionalDouble.empty(), 2048));
        assertThat(config.target().objective().primary()).isEqualTo("sum_radii");
        assertThat(config.target().objective().direction()).isEqualTo(Direction.MINIMIZE);
        assertThat(config.target().objective().constraints()).containsExactly(
                Constraint.atMost("runtime_s", 2.0), Constraint.atLeast("overlap", 0), new Constraint("size", -1, 1000));
        int seedLines = 2 + 1;
        assertThat(config.target().features()).containsExactly(
                new Feature("length", 0, 4000, 10), new Feature("lines", 0, Math.max(10, 3 * seedLines), 10), new Feature("runtime_s", 0.5, 2, 4));
        assertThat(config.strategy()).isEqualTo(
                new Strategy("tournament", 1.5, 5, 2, 25, 0, Map.of("line.swap", 1.0, "tune.cmaes", 2.0, "llm.diff", 0.0), 0.25));
        assertThat(config.parallelism()).isEqualTo(3);
        assertThat(config.limits()).isEqualTo(new Limits(5000, Duration.ofMinutes(90), OptionalDouble.of(2.63)));
        assertThat(config.seed()).isEqualTo(-42);
        assertThat(config.source()).isEqualTo(yaml);
    }

    @Test
    void empty_sections_count_as_absent() {
        KaizenConfig config = parse("""
                files: [packing.py]
                description:
                evaluator: { command: run }
                objective:
                features:
                search:
                budget:
                seed:
                """);

        assertThat(config.target().features()).hasSize(1);
        assertThat(config.strategy()).isEqualTo(Strategy.defaults());
        assertThat(config.limits().evaluations()).isEqualTo(1000);
    }

    @Test
    void an_empty_feature_list_means_no_axes() {
        assertThat(parse("files: [packing.py]\nevaluator: { command: run }\nfeatures: []\n").target().features()).isEmpty();
    }

    @Test
    void a_single_command_stage_takes_the_evaluator_settings() {
        KaizenConfig config = parse("""
                files: [packing.py]
                evaluator:
                  command: ./check.sh --all
                  timeout: 250ms
                  env: { A: x, B: 2, C: true }
                  output_limit: 1024
                """);

        assertThat(config.stages()).containsExactly(new CommandStage("evaluate", "./check.sh --all", Duration.ofMillis(250),
                Map.of("A", "x", "B", "2", "C", "true"), OptionalDouble.empty(), 1024));
    }

    @Test
    void budget_time_may_be_unlimited() {
        KaizenConfig config = parse("files: [packing.py]\nevaluator: { command: run }\nbudget: { time: unlimited, evaluations: 1e3 }\n");

        assertThat(config.limits().time()).isEqualTo(ConfigLoader.UNLIMITED);
        assertThat(config.limits().evaluations()).isEqualTo(1000);
    }

    @Test
    void durations_may_be_bare_seconds() {
        KaizenConfig config = parse("files: [packing.py]\nevaluator: { command: run, timeout: 1.5 }\nbudget: { time: 90 }\n");

        assertThat(config.stages().get(0).timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.limits().time()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void numbers_may_use_underscores_and_yaml_forms() {
        KaizenConfig config = parse("""
                files: [packing.py]
                evaluator: { command: run, output_limit: 65_536 }
                budget: { evaluations: 1_000_000, target: -1_000.5 }
                seed: 0x2A
                """);

        assertThat(config.stages().get(0).outputLimit()).isEqualTo(65536);
        assertThat(config.limits().evaluations()).isEqualTo(1_000_000);
        assertThat(config.limits().target()).hasValue(-1000.5);
        assertThat(config.seed()).isEqualTo(42);
    }

    @Test
    void anchors_aliases_and_merge_keys_work() {
        KaizenConfig config = parse("""
                files: [packing.py]
                evaluator:
                  stages:
                    - &quick { name: a, command: run a, timeout: 5s, env: { A: "1" } }
                    - { <<: *quick, name: b, command: run b, timeout: 7s }
                """);

        assertThat(config.stages()).extracting(CommandStage::timeout).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(7));
        assertThat(config.stages()).extracting(CommandStage::env).containsOnly(Map.of("A", "1"));
    }

    @Test
    void directions_and_selections_ignore_case() {
        KaizenConfig config = parse("files: [packing.py]\nevaluator: { command: run }\nobjective: { direction: MINIMIZE }\nsearch: { selection: Hill-Climbing }\n");

        assertThat(config.target().objective().direction()).isEqualTo(Direction.MINIMIZE);
        assertThat(config.strategy().selection()).isEqualTo("hill-climbing");
    }

    @Test
    void load_reads_kaizen_yaml_from_the_target_directory() throws IOException {
        Files.writeString(dir.resolve("kaizen.yaml"), "name: from-disk\nfiles: [packing.py]\nevaluator: { command: run }\n");

        KaizenConfig config = ConfigLoader.load(dir);

        assertThat(config.target().name()).isEqualTo("from-disk");
        assertThat(config.source()).startsWith("name: from-disk");
    }

    @Test
    void load_names_the_file_by_its_path_in_errors() throws IOException {
        Files.writeString(dir.resolve("kaizen.yaml"), "files: [packing.py]\nevaluator: { command: run, timeout: abc }\n");

        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("kaizen.yaml") + ":2:37: evaluator.timeout: expected a duration such as 30s, 5m, 1h or 250ms, got \"abc\"");
    }

    @Test
    void load_fails_clearly_when_there_is_no_kaizen_yaml() {
        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(dir.resolve("kaizen.yaml").toString());
                    assertThat(e.line()).isZero();
                    assertThat(e.detail()).startsWith("not found; create a target with `kaizen init");
                });
    }

    @Test
    void load_fails_clearly_when_the_directory_does_not_exist() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist or is not a directory");
    }

    @Test
    void with_copies_change_one_setting() {
        KaizenConfig config = parse("files: [packing.py]\nevaluator: { command: run }\n");

        assertThat(config.withSeed(7).seed()).isEqualTo(7);
        assertThat(config.withParallelism(5).parallelism()).isEqualTo(5);
        assertThat(config.withLimits(Limits.evaluations(3)).limits().evaluations()).isEqualTo(3);
        assertThat(config.withStrategy(Strategy.defaults().withIslands(1)).strategy().islands()).isEqualTo(1);
        assertThat(config.withSeed(7).target()).isEqualTo(config.target());
    }

    @Test
    void the_record_rejects_duplicate_stage_names_and_bad_parallelism() {
        KaizenConfig config = parse("files: [packing.py]\nevaluator: { command: run }\n");
        CommandStage stage = config.stages().get(0);

        assertThatThrownBy(() -> new KaizenConfig(config.target(), List.of(stage, stage), java.util.Optional.empty(), config.strategy(), config.limits(), 0, 1, List.of(), ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withParallelism(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
