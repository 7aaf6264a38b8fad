package dev.kaizen.core.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * When a run stops: after {@code evaluations} evaluations in total (resumed runs count what was
 * done before), after {@code time} of accumulated wall time, or as soon as the primary metric
 * reaches {@code target} (in the metric's own units and direction).
 */
public record Limits(long evaluations, Duration time, OptionalDouble target) {

    public Limits {
        if (evaluations < 1) {
            throw new IllegalArgumentException("the evaluation budget must be >= 1, got " + evaluations);
        }
        Objects.requireNonNull(time, "time");
        if (time.isNegative() || time.isZero()) {
            throw new IllegalArgumentException("the time budget must be positive, got " + time);
        }
        Objects.requireNonNull(target, "target");
    }

    public static Limits evaluations(long n) {
        return new Limits(n, Duration.ofDays(3650), OptionalDouble.empty());
    }

    public Limits withTime(Duration t) {
        return new Limits(evaluations, t, target);
    }

    public Limits withTarget(double t) {
        return new Limits(evaluations, time, OptionalDouble.of(t));
    }

    public Limits withEvaluations(long n) {
        return new Limits(n, time, target);
    }
}
