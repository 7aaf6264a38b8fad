package dev.kaizen.core.target;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What "better" means: one primary metric with a direction, an optional second metric that breaks
 * ties on the first (repair first, then speed), plus constraints every feasible candidate meets.
 * {@link #fitness} turns an evaluation into one number where larger is better.
 *
 * <p>With a tie-breaker the fitness is the oriented primary plus a term strictly inside
 * (-0.5, 0.5) that grows with the oriented tie-breaker (a signed logarithm squashed into that
 * interval). The order is therefore exactly lexicographic whenever the primary takes whole-number
 * values, such as a count of passing tests; for a continuous primary a difference below 1 can be
 * outweighed by the tie-breaker. A missing tie-breaker metric counts as the worst value.
 */
public record Objective(String primary, Direction direction, List<Constraint> constraints, Optional<TieBreak> then) {

    /** The second metric and its direction. */
    public record TieBreak(String metric, Direction direction) {
        public TieBreak {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(direction, "direction");
        }
    }

    public Objective {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(direction, "direction");
        constraints = List.copyOf(constraints);
        Objects.requireNonNull(then, "then");
    }

    public Objective(String primary, Direction direction, List<Constraint> constraints) {
        this(primary, direction, constraints, Optional.empty());
    }

    public static Objective maximize(String metric) {
        return new Objective(metric, Direction.MAXIMIZE, List.of());
    }

    public static Objective minimize(String metric) {
        return new Objective(metric, Direction.MINIMIZE, List.of());
    }

    /** A copy that breaks ties on the primary with {@code metric} in {@code dir}. */
    public Objective thenBy(String metric, Direction dir) {
        return new Objective(primary, direction, constraints, Optional.of(new TieBreak(metric, dir)));
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
        double fitness = direction.orient(value);
        if (then.isPresent()) {
            Double second = evaluation.metrics().get(then.get().metric());
            fitness += second == null ? -0.5 : tieBreak(then.get().direction().orient(second));
        }
        return fitness;
    }

    /** A strictly increasing map of the reals into (-0.5, 0.5). */
    static double tieBreak(double x) {
        double log = Math.signum(x) * Math.log1p(Math.abs(x));
        return 0.5 * log / (1 + Math.abs(log));
    }

    /** The primary metric's value for a feasible evaluation; NaN when it has none. */
    public double score(Evaluation evaluation) {
        Double value = evaluation.metrics().get(primary);
        return value == null ? Double.NaN : value;
    }

    /** Whether a feasible candidate's primary metric reached {@code target} in this objective's direction. */
    public boolean reaches(Evaluation evaluation, double target) {
        double value = score(evaluation);
        return !Double.isNaN(value) && direction.orient(value) >= direction.orient(target);
    }

    /** "tests_passed maximize" or "tests_passed maximize, then runtime_ns minimize", as stored in run metadata. */
    public String describe() {
        String head = primary + " " + direction.name().toLowerCase(java.util.Locale.ROOT);
        return then.map(t -> head + ", then " + t.metric() + " " + t.direction().name().toLowerCase(java.util.Locale.ROOT)).orElse(head);
    }

    /** Reads {@link #describe()} back (constraints are not part of it). */
    public static Objective parse(String described) {
        String[] parts = described.split(", then ");
        String[] head = parts[0].trim().split(" ");
        Direction d = head.length > 1 && head[1].equals("minimize") ? Direction.MINIMIZE : Direction.MAXIMIZE;
        Objective o = new Objective(head[0], d, List.of());
        if (parts.length > 1) {
            String[] tail = parts[1].trim().split(" ");
            o = o.thenBy(tail[0], tail.length > 1 && tail[1].equals("minimize") ? Direction.MINIMIZE : Direction.MAXIMIZE);
        }
        return o;
    }
}
