package dev.kaizen.core.target;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import java.util.List;
import java.util.Objects;

/**
 * What "better" means: one primary metric with a direction, plus constraints every feasible
 * candidate meets. {@link #fitness} turns an evaluation into one number where larger is better.
 */
public record Objective(String primary, Direction direction, List<Constraint> constraints) {

    public Objective {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(direction, "direction");
        constraints = List.copyOf(constraints);
    }

    public static Objective maximize(String metric) {
        return new Objective(metric, Direction.MAXIMIZE, List.of());
    }

    public static Objective minimize(String metric) {
        return new Objective(metric, Direction.MINIMIZE, List.of());
    }

    /** Larger is better; NaN when the candidate did not pass or is infeasible. */
    public double fitness(Evaluation evaluation) {
        if (!(evaluation.outcome() instanceof Outcome.Passed)) {
            return Double.NaN;
        }
        Double value = evaluation.metrics().get(primary);
        if (value == null || !Double.isFinite(value)) {
            return Double.NaN;
        }
        for (Constraint c : constraints) {
            if (c.violation(evaluation.metrics()) != null) {
                return Double.NaN;
            }
        }
        return direction.orient(value);
    }

    /** The metric value back from a fitness. */
    public double score(double fitness) {
        return direction.orient(fitness);
    }
}
