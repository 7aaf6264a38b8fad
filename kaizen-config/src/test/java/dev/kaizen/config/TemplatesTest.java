package dev.kaizen.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.eval.CommandStage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TemplatesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static List<String> names() {
        return Templates.names();
    }

    @Test
    void there_are_python_java_and_command_templates() {
        assertThat(Templates.names()).containsExactly("python", "java", "command");
    }

    @ParameterizedTest
    @MethodSource("names")
    void each_template_writes_a_kaizen_yaml_that_loads(String template) {
        Path dir = tmp.resolve("my-" + template);
        Templates.write(template, dir);

        assertThat(dir).isDirectory();
        for (String file : Templates.files(template)) {
            assertThat(dir.resolve(file)).isRegularFile();
        }
        KaizenConfig config = ConfigLoader.load(dir);
        assertThat(config.target().name()).isEqualTo("my-" + template);
        assertThat(config.target().description()).isNotBlank();
        assertThat(config.stages()).extracting(CommandStage::name).containsExactly("evaluate");
        assertThat(config.target().blueprint().files()).hasSize(1);
        assertThat(config.target().blueprint().seed().regions())
                .as("the seed program has exactly one evolve block")
                .hasSize(1)
                .allSatisfy((region, text) -> assertThat(region).endsWith("#1"));
        assertThat(config.target().objective().primary()).isEqualTo("score");
    }

    @ParameterizedTest
    @MethodSource("names")
    void each_templates_commented_llm_section_loads_once_uncommented(String template) throws IOException {
        Path dir = tmp.resolve("llm-" + template);
        Templates.write(template, dir);
        Path yaml = dir.resolve("kaizen.yaml");
        String text = Files.readString(yaml);
        int at = text.indexOf("# llm:");
        assertThat(at).as("the template shows how to add models").isPositive();
        Files.writeString(yaml, text.substring(0, at) + text.substring(at).replaceAll("(?m)^# ", ""));

        KaizenConfig config = ConfigLoader.load(dir);

        assertThat(config.llm()).hasValueSatisfying(llm -> {
            assertThat(llm.models()).extracting(m -> m.label()).containsExactly("openai:gpt-5-mini", "ollama:qwen2.5-coder:7b");
            assertThat(llm.budgetUsd()).hasValue(5.0);
        });
    }

    @Test
    void writes_into_an_existing_empty_directory() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("empty"));
        Templates.write("command", dir);
        assertThat(dir.resolve("kaizen.yaml")).isRegularFile();
    }

    @Test
    void refuses_a_directory_that_is_not_empty_and_writes_nothing() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("busy"));
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> Templates.write("python", dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("refusing to write the python template into " + dir + ": the directory is not empty (it holds notes.txt); choose a new or empty directory");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("notes.txt"));
        }
    }

    @Test
    void refuses_a_path_that_is_a_file() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> Templates.write("python", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it is a file, not a directory");
    }

    @Test
    void an_unknown_template_gets_a_suggestion() {
        assertThatThrownBy(() -> Templates.write("pyhton", tmp.resolve("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown template 'pyhton'; did you mean 'python'? choose one of python, java, command");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    // ---- the evaluators run on this machine where their interpreter exists

    @ParameterizedTest
    @MethodSource("names")
    void the_seed_evaluates_to_a_correct_result_with_a_finite_score(String template) throws Exception {
        KaizenConfig config = written(template);

        JsonNode result = evaluate(config);

        assertThat(result.get("correct").asBoolean()).as("correct in %s", result).isTrue();
        assertThat(result.get("score").isNumber()).isTrue();
        assertThat(Double.isFinite(result.get("score").asDouble())).isTrue();
        assertThat(result.get("score").asDouble()).isBetween(0.0, 1.0);
        assertThat(result.get("metrics").get("mse").isNumber()).isTrue();
        assertThat(result.get("feedback").asText()).startsWith("mean squared error");
    }

    /** Per template: the evolve block with better constants, and a block that does not compile or run. */
    static Stream<Arguments> blocks() {
        return Stream.of(
                Arguments.of("python",
                        "    a = 0.8\n    b = -1.3\n    c = 2.0\n    d = 0.25\n    return a * x * x + b * x + c + d * math.sin(2.0 * x)\n",
                        "    return (\"broken\n"),
                Arguments.of("java",
                        "        double a = 1.0;\n        double b = 0.0;\n        double c = -0.1;\n        return a * x + b * x * x + c * x * x * x;\n",
                        "        return \"broken\\ ;\n"),
                Arguments.of("command",
                        "    a = 0.5\n    b = -1.5\n    c = 2\n    y = a * x * x + b * x + c\n",
                        "    y = (\"broken\n"));
    }

    @ParameterizedTest
    @MethodSource("blocks")
    void better_constants_in_the_evolve_block_raise_the_score(String template, String better, String broken) throws Exception {
        KaizenConfig config = written(template);
        double seedScore = evaluate(config).get("score").asDouble();

        replaceBlock(config, better);
        JsonNode result = evaluate(config);

        assertThat(result.get("correct").asBoolean()).as("correct in %s", result).isTrue();
        assertThat(result.get("score").asDouble()).isGreaterThan(seedScore);
    }

    @ParameterizedTest
    @MethodSource("blocks")
    void a_broken_program_gets_an_incorrect_result_with_feedback(String template, String better, String broken) throws Exception {
        KaizenConfig config = written(template);
        replaceBlock(config, broken);

        JsonNode result = evaluate(config);

        assertThat(result.get("correct").asBoolean()).as("correct in %s", result).isFalse();
        assertThat(result.get("score").asDouble()).isZero();
        assertThat(result.get("feedback").asText()).isNotBlank();
    }

    private KaizenConfig written(String template) {
        assumeInterpreter(template);
        Path dir = tmp.resolve(template);
        Templates.write(template, dir);
        return ConfigLoader.load(dir);
    }

    /** Writes a candidate with a new evolve block over the target, as the engine does in a working copy. */
    private static void replaceBlock(KaizenConfig config, String block) {
        Blueprint blueprint = config.target().blueprint();
        Code seed = blueprint.seed();
        blueprint.writeTo(seed.withRegion(seed.regions().firstKey(), block), config.target().root());
    }

    /** Runs the template's evaluator command as the command evaluator does, and reads its last line. */
    private static JsonNode evaluate(KaizenConfig config) throws Exception {
        Path dir = config.target().root();
        Path out = Files.createTempFile("stdout", ".txt");
        Path err = Files.createTempFile("stderr", ".txt");
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", config.stages().get(0).command())
                    .directory(dir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the evaluator did not finish in 90 s");
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            assertThat(p.exitValue()).as("exit status; stderr: %s", Files.readString(err)).isZero();
            assertThat(lines).as("stdout; stderr: %s", Files.readString(err)).isNotEmpty();
            JsonNode result = JSON.readTree(lines.get(lines.size() - 1));
            assertThat(result.isObject()).isTrue();
            assertThat(result.has("score") && result.has("correct") && result.has("metrics") && result.has("feedback"))
                    .as("all four fields in %s", result).isTrue();
            assertThat(result.get("metrics").isObject()).isTrue();
            return result;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void assumeInterpreter(String template) {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh on this machine");
        String probe = switch (template) {
            case "python" -> "python3 -c 'import json, math'";
            case "java" -> "\"${JAVA_HOME:+$JAVA_HOME/bin/}java\" -version";
            case "command" -> "command -v awk";
            default -> throw new IllegalArgumentException(template);
        };
        boolean present;
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", probe).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        Assumptions.assumeTrue(present, "the " + template + " template's interpreter is not installed here");
    }
}
