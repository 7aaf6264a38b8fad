package dev.kaizen.llm.budget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A snapshot of what a run has spent: settled calls, their tokens and dollars, per model and in all,
 * and what calls in flight hold reserved.
 *
 * @param calls          settled calls, failed ones included
 * @param failed         calls that failed (counted with no tokens: the provider's usage is unknown)
 * @param refused        calls the budget refused before they were made
 * @param inputTokens    input tokens of settled calls
 * @param outputTokens   output tokens of settled calls
 * @param usd            dollars of settled calls (unpriced models count 0)
 * @param inFlight       calls reserved and not settled yet
 * @param reservedTokens tokens those calls hold
 * @param reservedUsd    dollars those calls hold
 * @param models         per model label, sorted by label
 */
public record Spending(long calls, long failed, long refused, long inputTokens, long outputTokens, double usd, int inFlight,
                       long reservedTokens, double reservedUsd, Map<String, ModelSpending> models) {

    /** Nothing spent. */
    public static final Spending NONE = new Spending(0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());

    /**
     * What one model has spent.
     *
     * @param priced false when the model is hosted but has no price: its dollars were not counted
     */
    public record ModelSpending(String model, long calls, long failed, long inputTokens, long outputTokens, double usd, boolean priced) {
        public ModelSpending {
            Objects.requireNonNull(model, "model");
        }

        public long tokens() {
            return inputTokens + outputTokens;
        }
    }

    public Spending {
        models = Collections.unmodifiableMap(new TreeMap<>(models));
    }

    /** Input and output tokens of settled calls. */
    public long tokens() {
        return inputTokens + outputTokens;
    }

    /** Labels of models whose dollars were not counted (hosted, no price): worth a warning. */
    public Set<String> unpriced() {
        Set<String> out = new TreeSet<>();
        models.values().stream().filter(m -> !m.priced()).forEach(m -> out.add(m.model()));
        return Collections.unmodifiableSet(out);
    }

    /** The settled totals as JSON, to keep in the run's metadata; what is in flight is left out. */
    public String toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode n = json.createObjectNode();
        n.put("version", 1);
        n.put("calls", calls);
        n.put("failed", failed);
        n.put("refused", refused);
        n.put("input_tokens", inputTokens);
        n.put("output_tokens", outputTokens);
        n.put("usd", usd);
        ArrayNode arr = n.putArray("models");
        for (ModelSpending m : models.values()) {
            ObjectNode o = arr.addObject();
            o.put("model", m.model());
            o.put("calls", m.calls());
            o.put("failed", m.failed());
            o.put("input_tokens", m.inputTokens());
            o.put("output_tokens", m.outputTokens());
            o.put("usd", m.usd());
            o.put("priced", m.priced());
        }
        try {
            return json.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode spending: " + e.getMessage(), e);
        }
    }

    /**
     * The settled totals written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if {@code text} is not such a document
     */
    public static Spending fromJson(String text) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("spending state is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject() || n.path("version").asInt(-1) != 1 || !n.path("models").isArray()) {
            throw new IllegalArgumentException("spending state must be an object with version 1 and a 'models' array");
        }
        Map<String, ModelSpending> models = new TreeMap<>();
        for (JsonNode m : n.get("models")) {
            ModelSpending ms = new ModelSpending(str(m, "model"), count(m, "calls"), count(m, "failed"), count(m, "input_tokens"),
                    count(m, "output_tokens"), dollars(m, "usd"), m.path("priced").asBoolean(true));
            models.put(ms.model(), ms);
        }
        return new Spending(count(n, "calls"), count(n, "failed"), count(n, "refused"), count(n, "input_tokens"), count(n, "output_tokens"),
                dollars(n, "usd"), 0, 0, 0, models);
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("spending state: '" + field + "' missing or not a string");
        }
        return v.textValue();
    }

    private static long count(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || v.longValue() < 0) {
            throw new IllegalArgumentException("spending state: '" + field + "' missing or not a count");
        }
        return v.longValue();
    }

    private static double dollars(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber() || !(v.doubleValue() >= 0) || !Double.isFinite(v.doubleValue())) {
            throw new IllegalArgumentException("spending state: '" + field + "' missing or not an amount");
        }
        return v.doubleValue();
    }
}
