package dev.kaizen.core.guard;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.target.Constraint;
import dev.kaizen.core.target.Objective;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whether an evaluator's metrics can be trusted, whatever the evaluator: a passed evaluation that
 * reports a NaN or an infinity, lacks the objective's primary metric or a metric a constraint
 * bounds, or reports a value outside its declared range becomes {@link Outcome.Invalid} with the
 * metric and value named; its feedback, stage and duration are kept. A failed evaluation keeps its
 * outcome and loses only its non-finite metrics, so that nothing stored is NaN or infinite.
 * Immutable.
 */
public final class MetricSanity {

    private final Map<String, String> required;
    private final Map<String, MetricRange> ranges;
    private final List<String> order;

    /**
     * @param objective the metrics it names must be present: its primary and every constrained
     *                  metric (its tie-breaker may be missing: that counts as the worst value)
     * @param ranges    declared ranges by metric name
     */
    public MetricSanity(Objective objective, Map<String, MetricRange> ranges) {
        Objects.requireNonNull(objective, "objective");
        Map<String, String> req = new LinkedHashMap<>();
        req.put(objective.primary(), "the objective's primary metric");
        for (Constraint c : objective.constraints()) {
            req.putIfAbsent(c.metric(), "a constraint bounds it");
        }
        this.required = Map.copyOf(req);
        this.ranges = Map.copyOf(new TreeMap<>(ranges));
        this.order = List.copyOf(req.keySet());
    }

    /** The declared ranges. */
    public Map<String, MetricRange> ranges() {
        return ranges;
    }

    /** {@code evaluation}, or what it becomes when its metrics cannot be trusted; see the class comment. */
    public Evaluation check(Evaluation evaluation) {
        if (!evaluation.passed()) {
            if (evaluation.finite()) {
                return evaluation;
            }
            Map<String, Double> finite = new TreeMap<>();
            evaluation.metrics().forEach((k, v) -> {
                if (Double.isFinite(v)) {
                    finite.put(k, v);
                }
            });
            return new Evaluation(evaluation.outcome(), finite, evaluation.feedback(), evaluation.stage(), evaluation.elapsed());
        }
        return problem(evaluation.metrics())
                .map(p -> Evaluation.failed(new Outcome.Invalid(p), evaluation.feedback(), evaluation.stage(), evaluation.elapsed()))
                .orElse(evaluation);
    }

    /** What is wrong with {@code metrics}, or empty when they can be trusted. */
    public Optional<String> problem(Map<String, Double> metrics) {
        for (Map.Entry<String, Double> e : new TreeMap<>(metrics).entrySet()) {
            double v = e.getValue();
            if (Double.isNaN(v)) {
                return Optional.of("metric '" + e.getKey() + "' is NaN");
            }
            if (Double.isInfinite(v)) {
                return Optional.of("metric '" + e.getKey() + "' is " + (v > 0 ? "+Infinity" : "-Infinity"));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String name : order) {
            if (!metrics.containsKey(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            String first = missing.get(0);
            return Optional.of("metric '" + first + "' is missing (" + required.get(first) + ")"
                    + (missing.size() > 1 ? "; also missing: " + String.join(", ", missing.subList(1, missing.size())) : ""));
        }
        for (Map.Entry<String, MetricRange> r : ranges.entrySet()) {
            Double v = metrics.get(r.getKey());
            if (v != null && !r.getValue().contains(v)) {
                return Optional.of("metric '" + r.getKey() + "' = " + v + " is outside the declared range " + r.getValue());
            }
        }
        return Optional.empty();
    }
}
