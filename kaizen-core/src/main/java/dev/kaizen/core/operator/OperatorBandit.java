package dev.kaizen.core.operator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Learns which operator pays off on this target: discounted UCB1 over operators, where an
 * operator's reward is 1 when its child beats its parent and 0 otherwise (failures, duplicates
 * and proposals it could not make included). Old observations fade by {@code discount} per
 * observation, so the choice follows the search as it moves from coarse to fine edits. A prior
 * weight scales an operator's index; weight 0 disables it. The state is rebuilt on resume by
 * replaying the archive's history through {@link #record}.
 */
public final class OperatorBandit {

    /** Statistics of one operator: discounted pulls and rewards, and raw totals for reports. */
    public record Stats(String operator, double pulls, double reward, long totalPulls, long totalWins) {
        public double mean() {
            return pulls == 0 ? 0 : reward / pulls;
        }
    }

    private final Map<String, Double> weights;
    private final double exploration;
    private final double discount;
    private final Map<String, double[]> state = new LinkedHashMap<>();
    private final Map<String, long[]> totals = new LinkedHashMap<>();

    /**
     * @param weights     prior weight per operator, in a fixed order (all operators must be named)
     * @param exploration UCB's exploration constant c
     * @param discount    per-observation decay of old statistics, in (0, 1]
     */
    public OperatorBandit(Map<String, Double> weights, double exploration, double discount) {
        if (weights.values().stream().noneMatch(w -> w > 0)) {
            throw new IllegalArgumentException("every operator has weight 0: nothing can be proposed (weights: " + weights + ")");
        }
        if (!(discount > 0 && discount <= 1)) {
            throw new IllegalArgumentException("discount must be in (0, 1], got " + discount);
        }
        this.weights = new LinkedHashMap<>(weights);
        this.exploration = exploration;
        this.discount = discount;
        for (String op : weights.keySet()) {
            state.put(op, new double[2]);
            totals.put(op, new long[2]);
        }
    }

    /** The operator to use next. Untried operators (with weight > 0) come first, in random order. */
    public String choose(RandomGenerator random) {
        List<String> untried = new ArrayList<>();
        double totalPulls = 0;
        for (Map.Entry<String, double[]> e : state.entrySet()) {
            if (weights.get(e.getKey()) > 0) {
                totalPulls += e.getValue()[0];
                if (e.getValue()[0] < 1e-9) {
                    untried.add(e.getKey());
                }
            }
        }
        if (!untried.isEmpty()) {
            return untried.get(random.nextInt(untried.size()));
        }
        String best = null;
        double bestIndex = Double.NEGATIVE_INFINITY;
        double logN = Math.log(Math.max(totalPulls, 1.0));
        for (Map.Entry<String, double[]> e : state.entrySet()) {
            double w = weights.get(e.getKey());
            if (w <= 0) {
                continue;
            }
            double n = e.getValue()[0];
            double mean = e.getValue()[1] / n;
            double index = w * (mean + exploration * Math.sqrt(2 * logN / n)) + random.nextDouble() * 1e-9;
            if (index > bestIndex) {
                bestIndex = index;
                best = e.getKey();
            }
        }
        return best;
    }

    /** Records one result of {@code operator}; unknown operators (from an older configuration) are ignored. */
    public void record(String operator, boolean improved) {
        double[] s = state.get(operator);
        if (s == null) {
            return;
        }
        for (double[] other : state.values()) {
            other[0] *= discount;
            other[1] *= discount;
        }
        s[0] += 1;
        s[1] += improved ? 1 : 0;
        long[] t = totals.get(operator);
        t[0]++;
        t[1] += improved ? 1 : 0;
    }

    /** A snapshot of every operator's statistics. */
    public List<Stats> stats() {
        List<Stats> out = new ArrayList<>();
        state.forEach((op, s) -> out.add(new Stats(op, s[0], s[1], totals.get(op)[0], totals.get(op)[1])));
        return out;
    }
}
