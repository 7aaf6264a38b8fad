package dev.kaizen.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the evaluators of the shipped examples the way Kaizen does: in a fresh copy of the example
 * directory, with {@code KAIZEN_RESULT} naming the result file. The seeds must be valid, and
 * broken candidates (their evolve block replaced) must come back {@code "correct": false} with
 * feedback that says why. Skipped where python3 or node is missing.
 */
class ExampleEvaluatorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Boolean> AVAILABLE = new ConcurrentHashMap<>();
    private static final long TIMEOUT_SECONDS = 60;

    private static final String CIRCLE_PACKING = "circle-packing";
    private static final String SYMBOLIC_REGRESSION = "symbolic-regression-js";
    private static final List<String> PYTHON = List.of("python3", "evaluate.py");
    private static final List<String> NODE = List.of("node", "evaluate.js");

    @TempDir
    Path temp;

    // ---------------------------------------------------------------- circle packing

    @Test
    void circlePackingSeedIsValid() {
        assumeTrue(available("python3"), "python3 is not on the PATH");
        JsonNode result = evaluate(copyExample(CIRCLE_PACKING), PYTHON);

        assertThat(result.path("correct").asBoolean()).as("feedback: %s", result.path("feedback")).isTrue();
        double score = result.path("score").asDouble();
        assertThat(Double.isFinite(score)).isTrue();
        assertThat(score).isBetween(1.0, 2.635);
        assertThat(result.path("metrics").path("sum_radii").asDouble()).isEqualTo(score);
        assertThat(result.path("metrics").path("validity").asDouble()).isEqualTo(1.0);
        assertThat(result.path("metrics").path("min_radius").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(result.path("feedback").asText()).contains("valid packing of 26 circles");
    }

    @Test
    void circlePackingAcceptsAValidReplacementBlock() {
        assumeTrue(available("python3"), "python3 is not on the PATH");
        Path dir = copyExample(CIRCLE_PACKING);
        replaceBlock(dir.resolve("packing.py"), lineOfCentres() + defaultRadii());

        JsonNode result = evaluate(dir, PYTHON);

        assertThat(result.path("correct").asBoolean()).as("feedback: %s", result.path("feedback")).isTrue();
        assertThat(result.path("score").asDouble()).isGreaterThan(0.0);
    }

    @Test
    void circlePackingPullsStrayCentresOntoTheBorder() {
        assumeTrue(available("python3"), "python3 is not on the PATH");
        Path dir = copyExample(CIRCLE_PACKING);
        replaceBlock(dir.resolve("packing.py"),
                py("def construct_packing():",
                   "    c = [[0.02 + 0.037 * k, 0.5] for k in range(26)]",
                   "    c[3] = [1.2, 0.5]",
                   "    return c",
                   "", "")
                        + defaultRadii());

        JsonNode result = evaluate(dir, PYTHON);

        assertThat(result.path("correct").asBoolean()).as("feedback: %s", result.path("feedback")).isTrue();
        assertThat(result.path("feedback").asText()).contains("1 circle with zero radius");
    }

    static Stream<Arguments> invalidPackings() {
        return Stream.of(
                Arguments.of("25 circles",
                        py("def construct_packing():",
                           "    return [[0.1 + 0.2 * (k % 5), 0.1 + 0.2 * (k // 5)] for k in range(25)]",
                           "", "")
                                + defaultRadii(),
                        List.of("expected 26 circles, got 25")),
                Arguments.of("27 circles",
                        py("def construct_packing():",
                           "    return [[0.02 + 0.035 * k, 0.5] for k in range(27)]",
                           "", "")
                                + defaultRadii(),
                        List.of("expected 26 circles, got 27")),
                Arguments.of("a circle outside the square",
                        // run_packing() pulls stray centres onto the border, so the radius must stick out.
                        py("def construct_packing():",
                           "    c = [[0.02 + 0.037 * k, 0.5] for k in range(26)]",
                           "    c[3] = [0.95, 0.2]",
                           "    return c",
                           "",
                           "",
                           "def choose_radii(centers):",
                           "    r = [0.01] * 26",
                           "    r[3] = 0.1",
                           "    return r"),
                        List.of("outside the unit square", "circle 3", "x + r = 1.05 > 1")),
                Arguments.of("two overlapping circles",
                        lineOfCentres()
                                + py("def choose_radii(centers):",
                                     "    r = [0.01] * 26",
                                     "    r[1] = 0.05",
                                     "    return r"),
                        List.of("overlap", "circles 0 and 1")),
                Arguments.of("a NaN coordinate",
                        py("def construct_packing():",
                           "    c = [[0.02 + 0.037 * k, 0.5] for k in range(26)]",
                           "    c[5][0] = float('nan')",
                           "    return c",
                           "", "")
                                + defaultRadii(),
                        List.of("centre 5 x is NaN")),
                Arguments.of("an infinite radius",
                        lineOfCentres()
                                + py("def choose_radii(centers):",
                                     "    r = [0.01] * 26",
                                     "    r[7] = float('inf')",
                                     "    return r"),
                        List.of("radius 7 is infinite")),
                Arguments.of("a bool radius",
                        lineOfCentres()
                                + py("def choose_radii(centers):",
                                     "    r = [0.01] * 26",
                                     "    r[2] = True",
                                     "    return r"),
                        List.of("radius 2 is a bool")),
                Arguments.of("a negative radius",
                        lineOfCentres()
                                + py("def choose_radii(centers):",
                                     "    r = compute_max_radii(centers)",
                                     "    r[3] = -0.01",
                                     "    return r"),
                        List.of("negative radius", "circle 3")),
                Arguments.of("a wrong reported sum",
                        // Shadowing the built-in sum makes run_packing() report 99.
                        lineOfCentres() + defaultRadii() + py("", "", "sum = lambda values: 99.0"),
                        List.of("reported sum of radii 99.0 does not match the recomputed sum")),
                Arguments.of("a candidate that raises",
                        py("def construct_packing():",
                           "    raise ValueError('boom')",
                           "", "")
                                + defaultRadii(),
                        List.of("raised ValueError: boom", "construct_packing")),
                Arguments.of("a syntax error",
                        py("def construct_packing(:",
                           "    pass"),
                        List.of("raised SyntaxError")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPackings")
    void circlePackingRejectsInvalidCandidates(String name, String block, List<String> keywords) {
        assumeTrue(available("python3"), "python3 is not on the PATH");
        Path dir = copyExample(CIRCLE_PACKING);
        replaceBlock(dir.resolve("packing.py"), block);

        JsonNode result = evaluate(dir, PYTHON);

        assertThat(result.path("correct").asBoolean()).as("%s: %s", name, result).isFalse();
        assertThat(result.path("score").isNumber()).isTrue();
        assertThat(result.path("metrics").path("validity").asDouble()).isEqualTo(0.0);
        String feedback = result.path("feedback").asText();
        for (String keyword : keywords) {
            assertThat(feedback).as(name).contains(keyword);
        }
    }

    // ---------------------------------------------------------------- symbolic regression (JavaScript)

    @Test
    void symbolicRegressionSeedIsValid() {
        assumeTrue(available("node"), "node is not on the PATH");
        JsonNode result = evaluate(copyExample(SYMBOLIC_REGRESSION), NODE);

        assertThat(result.path("correct").asBoolean()).as("feedback: %s", result.path("feedback")).isTrue();
        double score = result.path("score").asDouble();
        assertThat(Double.isFinite(score)).isTrue();
        assertThat(score).isLessThan(-1.0);
        assertThat(result.path("metrics").path("mse").asDouble()).isEqualTo(-score);
        assertThat(result.path("feedback").asText()).contains("MSE");
    }

    static Stream<Arguments> invalidModels() {
        return Stream.of(
                Arguments.of("NaN output",
                        js("function predict(x) {", "  return Math.sqrt(x);", "}"), List.of("NaN", "predict(-3)")),
                Arguments.of("0 / 0",
                        js("function predict(x) {", "  return 0 / 0;", "}"), List.of("61 of 61", "NaN")),
                Arguments.of("Infinity output",
                        js("function predict(x) {", "  return 1 / (x - x);", "}"), List.of("infinite")),
                Arguments.of("a string output",
                        js("function predict(x) {", "  return 'one';", "}"), List.of("not a number", "a string")),
                Arguments.of("a model that throws",
                        js("function predict(x) {", "  throw new RangeError('boom');", "}"),
                        List.of("threw RangeError: boom", "model.js line")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidModels")
    void symbolicRegressionRejectsInvalidModels(String name, String block, List<String> keywords) {
        assumeTrue(available("node"), "node is not on the PATH");
        Path dir = copyExample(SYMBOLIC_REGRESSION);
        replaceBlock(dir.resolve("model.js"), block);

        JsonNode result = evaluate(dir, NODE);

        assertThat(result.path("correct").asBoolean()).as("%s: %s", name, result).isFalse();
        String feedback = result.path("feedback").asText();
        for (String keyword : keywords) {
            assertThat(feedback).as(name).contains(keyword);
        }
    }

    @Test
    void symbolicRegressionScoresAnExactFitAsZero() {
        assumeTrue(available("node"), "node is not on the PATH");
        Path dir = copyExample(SYMBOLIC_REGRESSION);
        replaceBlock(dir.resolve("model.js"), js(
                "function predict(x) {",
                "  return 0.7 - 1.2 * x + 2.0 * Math.sin(1.5 * x) + 0.8 * x * x;",
                "}"));

        JsonNode result = evaluate(dir, NODE);

        assertThat(result.path("correct").asBoolean()).as("feedback: %s", result.path("feedback")).isTrue();
        assertThat(result.path("score").asDouble()).isCloseTo(0.0, within(1e-12));
    }

    // ---------------------------------------------------------------- helpers

    private static String py(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private static String js(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    /** A valid (if poor) construct_packing(): 26 centres on a horizontal line. */
    private static String lineOfCentres() {
        return py("def construct_packing():",
                  "    return [[0.02 + 0.037 * k, 0.5] for k in range(26)]",
                  "", "");
    }

    private static String defaultRadii() {
        return py("def choose_radii(centers):",
                  "    return compute_max_radii(centers)");
    }

    /** The repository's examples directory, found from the working directory upwards. */
    private static Path examplesRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("examples").resolve(CIRCLE_PACKING).resolve("kaizen.yaml"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/" + CIRCLE_PACKING + " above " + dir);
    }

    /** Copies one example into a fresh directory under the test's temp dir. */
    private Path copyExample(String name) {
        Path from = examplesRoot().resolve(name);
        Path to = temp.resolve(name);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /** Replaces the lines strictly between the EVOLVE-BLOCK-START and EVOLVE-BLOCK-END lines. */
    private static void replaceBlock(Path file, String block) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int start = -1;
            int end = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (start < 0 && lines.get(i).contains("EVOLVE-BLOCK-START")) {
                    start = i;
                } else if (start >= 0 && lines.get(i).contains("EVOLVE-BLOCK-END")) {
                    end = i;
                    break;
                }
            }
            assertThat(start).as("start marker in %s", file).isNotNegative();
            assertThat(end).as("end marker in %s", file).isGreaterThan(start);
            List<String> out = new ArrayList<>(lines.subList(0, start + 1));
            out.addAll(block.lines().toList());
            out.addAll(lines.subList(end, lines.size()));
            Files.writeString(file, String.join("\n", out) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs an evaluator in {@code dir} with KAIZEN_RESULT set, checks that it exits 0 and that the
     * last stdout line and the result file hold the same JSON object, and returns it.
     */
    private JsonNode evaluate(Path dir, List<String> command) {
        Path resultFile = dir.resolve("kaizen-result.json");
        Path stdout = temp.resolve(dir.getFileName() + ".stdout");
        Path stderr = temp.resolve(dir.getFileName() + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().put("KAIZEN_RESULT", resultFile.toString());
        try {
            Process process = pb.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("exit status of %s; stderr: %s", command, err).isZero();
            List<String> out = Files.readString(stdout, StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).toList();
            assertThat(out).as("stdout of %s; stderr: %s", command, err).isNotEmpty();
            JsonNode printed = JSON.readTree(out.get(out.size() - 1));
            assertThat(resultFile).exists();
            JsonNode written = JSON.readTree(Files.readString(resultFile, StandardCharsets.UTF_8));
            assertThat(written).isEqualTo(printed);
            assertThat(written.isObject()).isTrue();
            assertThat(written.has("score")).isTrue();
            assertThat(written.path("correct").isBoolean()).isTrue();
            assertThat(written.path("metrics").isObject()).isTrue();
            assertThat(written.path("feedback").isTextual()).isTrue();
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Whether {@code tool --version} runs and exits 0. */
    private static boolean available(String tool) {
        return AVAILABLE.computeIfAbsent(tool, t -> {
            try {
                Process p = new ProcessBuilder(t, "--version").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return false;
                }
                return p.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }
}
