package dev.kaizen.llm.ensemble;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaizen.llm.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Chooses which configured model makes the next proposal.
 *
 * <p>{@link Selection#FIXED}: each model with probability proportional to its weight.
 *
 * <p>{@link Selection#BANDIT}: discounted UCB1 on <em>efficiency</em>, the improvement a call bought
 * per unit of cost: {@code max(0, gain) / max(cost, MIN_COST)}, where gain is the child's fitness
 * minus its parent's (0 when the call failed or the child was worse) and cost is the call's dollars,
 * or, for a free local model, its tokens at a shadow price ({@link #effectiveCost}), so paid and local
 * models compare in one unit. Efficiencies have no natural scale (it depends on the fitness's units
 * and shrinks as the search converges), so each model's mean efficiency is divided by the best
 * model's mean before the exploration bonus is added: the best model scores 1, a model half as
 * efficient 0.5. The index is {@code weight * (mean / bestMean + c * sqrt(2 ln N / n))}; untried models
 * (weight above 0) come first; weight 0 disables a model. Old observations fade by {@code discount}
 * per observation, so the choice follows the search as gains shrink.
 *
 * <p>Choices depend only on the recorded history and the given {@link RandomGenerator}. The
 * statistics round-trip through {@link #exportState()} and {@link #importState(String)}, so a resumed
 * run continues with the same choices. Thread-safe.
 */
public final class ModelBandit {

    /** How the next model is chosen. */
    public enum Selection {
        /** Learn from rewards. */
        BANDIT,
        /** Draw by the configured weights. */
        FIXED;

        /** {@code bandit} or {@code fixed}, case-insensitively. */
        public static Selection of(String name) {
            for (Selection s : values()) {
                if (s.name().equalsIgnoreCase(name.strip())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown model selection '" + name + "'; choose bandit or fixed");
        }
    }

    /**
     * One model's statistics.
     *
     * @param model      the model label
     * @param weight     its configured weight
     * @param pulls      discounted number of calls
     * @param efficiency discounted mean efficiency (gain per unit of cost)
     * @param calls      calls recorded
     * @param improved   calls whose child beat its parent
     * @param gain       total positive gain
     * @param cost       total cost
     */
    public record Arm(String model, double weight, double pulls, double efficiency, long calls, long improved, double gain, double cost) {
    }

    /** Exploration constant used by {@link #bandit(Map)}. */
    public static final double DEFAULT_EXPLORATION = 0.5;
    /** Per-observation decay used by {@link #bandit(Map)}: observations fade to a third after about 200 calls. */
    public static final double DEFAULT_DISCOUNT = 0.995;
    /** The smallest cost a call is counted at: one millionth of a dollar. */
    public static final double MIN_COST = 1e-6;
    /** The shadow price of a local model's tokens in {@link #effectiveCost}, USD per million tokens. */
    public static final double DEFAULT_LOCAL_USD_PER_MILLION_TOKENS = 0.10;

    private static final int STATE_VERSION = 1;

    private final Selection selection;
    private final double exploration;
    private final double discount;
    private final Map<String, Double> weights;
    private final Map<String, State> arms = new LinkedHashMap<>();

    private static final class State {
        double pulls;
        double reward;
        long calls;
        long improved;
        double gain;
        double cost;
    }

    /**
     * @param weights     weight per model label, in a fixed order; at least one above 0
     * @param selection   how to choose
     * @param exploration UCB's exploration constant c, not negative
     * @param discount    per-observation decay of old statistics, in (0, 1]
     */
    public ModelBandit(Map<String, Double> weights, Selection selection, double exploration, double discount) {
        Objects.requireNonNull(weights, "weights");
        this.selection = Objects.requireNonNull(selection, "selection");
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model");
        }
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            double w = Objects.requireNonNull(e.getValue(), "weight of " + e.getKey());
            if (!(w >= 0 && Double.isFinite(w))) {
                throw new IllegalArgumentException("the weight of model " + e.getKey() + " must be finite and not negative, got " + w);
            }
        }
        if (weights.values().stream().noneMatch(w -> w > 0)) {
            throw new IllegalArgumentException("every model has weight 0: none can be chosen (weights: " + weights + ")");
        }
        if (!(exploration >= 0 && Double.isFinite(exploration))) {
            throw new IllegalArgumentException("exploration must be finite and not negative, got " + exploration);
        }
        if (!(discount > 0 && discount <= 1)) {
            throw new IllegalArgumentException("discount must be in (0, 1], got " + discount);
        }
        this.weights = new LinkedHashMap<>(weights);
        this.exploration = exploration;
        this.discount = discount;
        weights.keySet().forEach(m -> arms.put(m, new State()));
    }

    /** A learning bandit with the default exploration and discount. */
    public static ModelBandit bandit(Map<String, Double> weights) {
        return new ModelBandit(weights, Selection.BANDIT, DEFAULT_EXPLORATION, DEFAULT_DISCOUNT);
    }

    /** Draws by {@code weights}; results are still recorded, for reports. */
    public static ModelBandit fixed(Map<String, Double> weights) {
        return new ModelBandit(weights, Selection.FIXED, DEFAULT_EXPLORATION, DEFAULT_DISCOUNT);
    }

    public Selection selection() {
        return selection;
    }

    /** The cost to {@link #record} for a call: its dollars, or when it cost none, its tokens at {@code localUsdPerMillionTokens}. */
    public static double effectiveCost(double usd, Usage usage, double localUsdPerMillionTokens) {
        if (!(usd >= 0) || !(localUsdPerMillionTokens >= 0)) {
            throw new IllegalArgumentException("costs must not be negative: " + usd + ", " + localUsdPerMillionTokens);
        }
        return usd > 0 ? usd : usage.total() * localUsdPerMillionTokens / 1_000_000.0;
    }

    /** The model label to use next. */
    public synchronized String choose(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        return selection == Selection.FIXED ? drawByWeight(random) : ucb(random);
    }

    private String drawByWeight(RandomGenerator random) {
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double x = random.nextDouble() * total;
        String last = null;
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            if (e.getValue() <= 0) {
                continue;
            }
            last = e.getKey();
            x -= e.getValue();
            if (x < 0) {
                return e.getKey();
            }
        }
        return last;
    }

    private String ucb(RandomGenerator random) {
        List<String> untried = new ArrayList<>();
        double totalPulls = 0;
        double bestMean = 0;
        for (Map.Entry<String, State> e : arms.entrySet()) {
            if (weights.get(e.getKey()) <= 0) {
                continue;
            }
            State s = e.getValue();
            totalPulls += s.pulls;
            if (s.pulls < 1e-9) {
                untried.add(e.getKey());
            } else {
                bestMean = Math.max(bestMean, s.reward / s.pulls);
            }
        }
        if (!untried.isEmpty()) {
            return untried.get(random.nextInt(untried.size()));
        }
        double logN = Math.log(Math.max(totalPulls, 1.0));
        String best = null;
        double bestIndex = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, State> e : arms.entrySet()) {
            double w = weights.get(e.getKey());
            if (w <= 0) {
                continue;
            }
            State s = e.getValue();
            double relative = bestMean > 0 ? (s.reward / s.pulls) / bestMean : 0;
            double index = w * (relative + exploration * Math.sqrt(2 * logN / s.pulls)) + random.nextDouble() * 1e-9;
            if (index > bestIndex) {
                bestIndex = index;
                best = e.getKey();
            }
        }
        return best;
    }

    /**
     * Records one call of {@code model}; models not configured (from an older configuration) are ignored.
     *
     * @param improvement the child's fitness minus its parent's; negative, or negative infinity for a failed call, counts as 0
     * @param cost        the call's cost ({@link #effectiveCost}), not negative
     */
    public synchronized void record(String model, double improvement, double cost) {
        if (Double.isNaN(improvement) || improvement == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("the improvement of a call to " + model + " must be a number below infinity, got " + improvement);
        }
        if (!(cost >= 0 && Double.isFinite(cost))) {
            throw new IllegalArgumentException("the cost of a call to " + model + " must be finite and not negative, got " + cost);
        }
        State s = arms.get(model);
        if (s == null) {
            return;
        }
        double gain = Math.max(0, improvement);
        double efficiency = Math.min(gain / Math.max(cost, MIN_COST), 1e300);
        for (State other : arms.values()) {
            other.pulls *= discount;
            other.reward *= discount;
        }
        s.pulls += 1;
        s.reward += efficiency;
        s.calls++;
        s.improved += gain > 0 ? 1 : 0;
        s.gain += gain;
        s.cost += cost;
    }

    /** Every configured model's statistics, in configuration order. */
    public synchronized List<Arm> stats() {
        List<Arm> out = new ArrayList<>();
        arms.forEach((m, s) -> out.add(new Arm(m, weights.get(m), s.pulls, s.pulls == 0 ? 0 : s.reward / s.pulls, s.calls, s.improved, s.gain, s.cost)));
        return out;
    }

    /** The statistics as JSON, to keep in the run's metadata (the configuration is not part of it). */
    public synchronized String exportState() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", STATE_VERSION);
        root.put("selection", selection.name().toLowerCase(Locale.ROOT));
        ArrayNode list = root.putArray("models");
        arms.forEach((m, s) -> {
            ObjectNode o = list.addObject();
            o.put("model", m);
            o.put("pulls", s.pulls);
            o.put("reward", s.reward);
            o.put("calls", s.calls);
            o.put("improved", s.improved);
            o.put("gain", s.gain);
            o.put("cost", s.cost);
        });
        try {
            return json.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the model bandit's state: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the statistics by those of {@link #exportState()}. Models in the state but not configured
     * are ignored; configured models missing from it start fresh.
     *
     * @throws IllegalArgumentException if {@code state} is not such a document (the statistics are then unchanged)
     */
    public synchronized void importState(String state) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(state);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model bandit state is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || root.path("version").asInt(-1) != STATE_VERSION || !root.path("models").isArray()) {
            throw new IllegalArgumentException("model bandit state must be an object with version " + STATE_VERSION + " and a 'models' array");
        }
        Map<String, State> parsed = new LinkedHashMap<>();
        for (JsonNode o : root.get("models")) {
            JsonNode model = o.get("model");
            if (model == null || !model.isTextual()) {
                throw new IllegalArgumentException("model bandit state: an entry has no 'model'");
            }
            State s = new State();
            s.pulls = amount(o, "pulls");
            s.reward = amount(o, "reward");
            s.calls = count(o, "calls");
            s.improved = count(o, "improved");
            s.gain = amount(o, "gain");
            s.cost = amount(o, "cost");
            parsed.put(model.textValue(), s);
        }
        for (String m : arms.keySet()) {
            arms.put(m, parsed.getOrDefault(m, new State()));
        }
    }

    private static double amount(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber() || !(v.doubleValue() >= 0) || !Double.isFinite(v.doubleValue())) {
            throw new IllegalArgumentException("model bandit state: '" + field + "' missing or not a non-negative number");
        }
        return v.doubleValue();
    }

    private static long count(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber() || v.longValue() < 0) {
            throw new IllegalArgumentException("model bandit state: '" + field + "' missing or not a count");
        }
        return v.longValue();
    }
}
