package dev.kaizen.eval;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What one stage reported, read from its result file or, failing that, from the last line of its
 * stdout that is a JSON object. Schema: {@code {"score": number, "correct": bool, "metrics":
 * {name: number}, "feedback": text}}, every field optional; other fields are ignored.
 */
sealed interface StageResult {

    /** Largest result file read; a larger one is malformed. */
    int MAX_FILE_BYTES = 1024 * 1024;

    /** The reader: lenient about {@code NaN} and {@code Infinity} tokens so they can be named. */
    ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The stage reported nothing: no result file and no JSON object on stdout. */
    record Absent(String why) implements StageResult {}

    /** The stage reported something unusable. */
    record Invalid(String reason) implements StageResult {}

    /**
     * A well-formed report. Metrics may still be NaN or infinite; the caller names those.
     *
     * @param correct  whether the evaluator judged the candidate correct
     * @param metrics  {@code score} and the {@code metrics} object merged ({@code score} wins);
     *                 empty when incorrect
     * @param feedback the evaluator's text, or empty
     * @param source   where the report came from, for messages
     */
    record Report(boolean correct, Map<String, Double> metrics, String feedback, String source) implements StageResult {
        public Report {
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
            Objects.requireNonNull(feedback, "feedback");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * Reads a stage's result. {@code file} wins when it exists; {@code shownFile} is how messages
     * name it.
     */
    static StageResult read(Path file, String shownFile, BoundedOutput stdout) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return fromFile(file, shownFile);
        }
        return fromStdout(stdout, shownFile);
    }

    private static StageResult fromFile(Path file, String shown) {
        String source = "result file " + shown;
        if (!Files.isRegularFile(file)) {
            return new Invalid("the " + source + " is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            return new Invalid("cannot read the " + source + ": " + e.getMessage());
        }
        if (bytes.length > MAX_FILE_BYTES) {
            return new Invalid("the " + source + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new Invalid("the " + source + " is empty");
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            return new Invalid("the " + source + " is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            return new Invalid("the " + source + " holds " + describe(node) + ", not a JSON object");
        }
        return of(node, source);
    }

    private static StageResult fromStdout(BoundedOutput stdout, String shownFile) {
        List<String> lines = stdout.wholeLines().lines().toList();
        String lastLine = null;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (lastLine == null) {
                lastLine = line;
            }
            if (line.startsWith("{") && line.endsWith("}")) {
                try {
                    JsonNode node = JSON.readTree(line);
                    if (node.isObject()) {
                        return of(node, "stdout");
                    }
                } catch (JsonProcessingException e) {
                    // Not JSON after all: keep looking further up.
                }
            }
        }
        StringBuilder why = new StringBuilder("no result: nothing was written to $KAIZEN_RESULT (")
                .append(shownFile)
                .append(") and no line of stdout is a JSON object");
        if (lastLine == null) {
            why.append(" (stdout was empty)");
        } else {
            why.append(" (last line of stdout: \"").append(abbreviate(lastLine, 80)).append("\")");
        }
        if (stdout.dropped() > 0) {
            why.append("; ").append(stdout.dropped())
                    .append(" bytes of stdout were dropped at the output limit, so write a large result to $KAIZEN_RESULT");
        }
        return new Absent(why.toString());
    }

    /** Checks the fields of a result object. */
    static StageResult of(JsonNode node, String source) {
        String in = " in the result from " + source;
        JsonNode correctNode = node.get("correct");
        boolean correct = true;
        if (present(correctNode)) {
            if (!correctNode.isBoolean()) {
                return new Invalid("field 'correct' must be true or false, got " + describe(correctNode) + in);
            }
            correct = correctNode.booleanValue();
        }
        JsonNode feedbackNode = node.get("feedback");
        String feedback = "";
        if (present(feedbackNode)) {
            if (!feedbackNode.isTextual()) {
                return new Invalid("field 'feedback' must be a string, got " + describe(feedbackNode) + in);
            }
            feedback = feedbackNode.textValue();
        }
        if (!correct) {
            return new Report(false, Map.of(), feedback, source);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        JsonNode metricsNode = node.get("metrics");
        if (present(metricsNode)) {
            if (!metricsNode.isObject()) {
                return new Invalid("field 'metrics' must be an object of numbers, got " + describe(metricsNode) + in);
            }
            for (Map.Entry<String, JsonNode> e : metricsNode.properties()) {
                Double value = number(e.getValue());
                if (value == null) {
                    return new Invalid("metric '" + e.getKey() + "' must be a number, got " + describe(e.getValue()) + in);
                }
                metrics.put(e.getKey(), value);
            }
        }
        JsonNode scoreNode = node.get("score");
        if (present(scoreNode)) {
            Double score = number(scoreNode);
            if (score == null) {
                return new Invalid("field 'score' must be a number, got " + describe(scoreNode) + in);
            }
            metrics.put("score", score);
        }
        return new Report(true, metrics, feedback, source);
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    /** A number, or the strings NaN / Infinity / -Infinity (and inf, +inf, -inf); otherwise null. */
    private static Double number(JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return switch (node.textValue().strip().toLowerCase(Locale.ROOT)) {
                case "nan" -> Double.NaN;
                case "infinity", "+infinity", "inf", "+inf" -> Double.POSITIVE_INFINITY;
                case "-infinity", "-inf" -> Double.NEGATIVE_INFINITY;
                default -> null;
            };
        }
        return null;
    }

    private static String describe(JsonNode node) {
        String type = switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
        return node.isNull() ? type : type + " " + abbreviate(node.toString(), 60);
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
