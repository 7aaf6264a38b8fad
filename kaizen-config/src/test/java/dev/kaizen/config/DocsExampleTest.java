package dev.kaizen.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.core.engine.Limits;
import dev.kaizen.core.engine.Strategy;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples in docs/kaizen-yaml.md parse, and into what the page says. */
class DocsExampleTest {

    static final Path DOC = Path.of("..", "docs", "kaizen-yaml.md");

    @TempDir
    Path tmp;

    static List<String> yamlBlocks() throws IOException {
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        List<String> blocks = new java.util.ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void the_full_example_parses_into_the_records_it_describes() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("circles"));
        Files.writeString(dir.resolve("packing.py"), ConfigLoaderTest.PACKING);
        String yaml = yamlBlocks().get(0);

        KaizenConfig config = ConfigLoader.parse(yaml, dir, "kaizen.yaml");

        assertThat(config.target().name()).isEqualTo("circle-packing");
        assertThat(config.target().description()).startsWith("Pack 26 circles");
        assertThat(config.exclude()).containsExactly("data/big");
        assertThat(config.stages()).containsExactly(
                new CommandStage("quick", "python3 evaluate.py --quick", Duration.ofSeconds(5), Map.of("PYTHONHASHSEED", "0"), OptionalDouble.of(0.5), 65536),
                new CommandStage("full", "python3 evaluate.py", Duration.ofSeconds(60), Map.of("PYTHONHASHSEED", "0", "FULL", "1"), OptionalDouble.empty(), 65536));
        assertThat(config.target().objective().primary()).isEqualTo("score");
        assertThat(config.target().objective().direction()).isEqualTo(Direction.MAXIMIZE);
        assertThat(config.target().objective().constraints()).containsExactly(Constraint.atMost("runtime_s", 2.0));
        assertThat(config.target().features()).containsExactly(new Feature("length", 0, 4000, 10), new Feature("runtime_s", 0, 2, 5));
        assertThat(config.strategy()).isEqualTo(Strategy.defaults().withOperatorWeights(Map.of("line.swap", 1.0, "tune.cmaes", 2.0)));
        assertThat(config.parallelism()).isEqualTo(2);
        assertThat(config.limits()).isEqualTo(new Limits(5000, Duration.ofMinutes(90), OptionalDouble.of(2.63)));
        assertThat(config.seed()).isEqualTo(42);
        assertThat(config.guard().protect()).containsExactly("kaizen.yaml", "tests/**", "evaluate.py");
        assertThat(config.guard().policy().maxRegionChars()).hasValue(20000);
        assertThat(config.guard().maxChangedLines()).isEqualTo(400);
        assertThat(config.metricRanges()).isEqualTo(Map.of("score", new dev.kaizen.core.guard.MetricRange(0, 2.7),
                "runtime_s", dev.kaizen.core.guard.MetricRange.atLeast(0)));
        assertThat(config.sandbox()).isEqualTo(new SandboxConfig(2L << 30, 256, Duration.ofMinutes(10), 256L << 20, 64L << 20));
    }

    @Test
    void the_smallest_example_parses_with_defaults() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("small"));
        Files.writeString(dir.resolve("main.py"), "print(1)\n");

        KaizenConfig config = ConfigLoader.parse(yamlBlocks().get(1), dir, "kaizen.yaml");

        assertThat(config.stages()).extracting(CommandStage::name).containsExactly("evaluate");
        assertThat(config.target().name()).isEqualTo("small");
    }

    @Test
    void the_page_documents_every_key_the_loader_accepts() throws IOException {
        String page = Files.readString(DOC);
        List<List<String>> keys = List.of(ConfigLoader.TOP_KEYS, ConfigLoader.EVALUATOR_KEYS, ConfigLoader.STAGE_KEYS, ConfigLoader.OBJECTIVE_KEYS,
                ConfigLoader.CONSTRAINT_KEYS, ConfigLoader.FEATURE_KEYS, ConfigLoader.JAVA_KEYS, ConfigLoader.THEN_KEYS, ConfigLoader.SEARCH_KEYS, ConfigLoader.BUDGET_KEYS,
                ConfigLoader.GUARD_KEYS, ConfigLoader.RANGE_KEYS, ConfigLoader.SANDBOX_KEYS, ConfigLoader.LLM_KEYS, ConfigLoader.MODEL_KEYS,
                ConfigLoader.LLM_BUDGET_KEYS);
        for (List<String> section : keys) {
            for (String key : section) {
                assertThat(page).as("docs mention %s", key).contains("| `" + key + "` |");
            }
        }
    }
}
