package dev.kaizen.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.target.Constraint;
import dev.kaizen.core.target.Direction;
import dev.kaizen.core.target.Objective;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricSanityTest {

    private final MetricSanity sanity = new MetricSanity(
            new Objective("score", Direction.MAXIMIZE, List.of(Constraint.atMost("runtime_ms", 100))),
            Map.of("score", new MetricRange(0, 1), "runtime_ms", MetricRange.atLeast(0)));

    private Evaluation passed(Map<String, Double> metrics) {
        return Evaluation.passed(metrics, "the feedback", "full", Duration.ofMillis(7));
    }

    private String invalid(Map<String, Double> metrics) {
        Evaluation e = sanity.check(passed(metrics));
        assertThat(e.outcome()).isInstanceOf(Outcome.Invalid.class);
        assertThat(e.outcome().kind()).isEqualTo("invalid");
        assertThat(e.feedback()).isEqualTo("the feedback");
        assertThat(e.stage()).isEqualTo("full");
        assertThat(e.elapsed()).isEqualTo(Duration.ofMillis(7));
        assertThat(e.metrics()).isEmpty();
        return e.outcome().reason();
    }

    @Test
    void non_finite_values_are_invalid() {
        assertThat(invalid(Map.of("score", Double.NaN, "runtime_ms", 3.0))).isEqualTo("metric 'score' is NaN");
        assertThat(invalid(Map.of("score", 0.5, "runtime_ms", Double.POSITIVE_INFINITY))).isEqualTo("metric 'runtime_ms' is +Infinity");
        assertThat(invalid(Map.of("score", Double.NEGATIVE_INFINITY, "runtime_ms", 3.0))).isEqualTo("metric 'score' is -Infinity");
        // a metric nobody asked for is still untrustworthy when it is not a number
        assertThat(invalid(Map.of("score", 0.5, "runtime_ms", 3.0, "extra", Double.NaN))).isEqualTo("metric 'extra' is NaN");
    }

    @Test
    void a_value_outside_its_declared_range_is_invalid() {
        assertThat(invalid(Map.of("score", 1.0E9, "runtime_ms", 3.0))).isEqualTo("metric 'score' = 1.0E9 is outside the declared range [0, 1]");
        assertThat(invalid(Map.of("score", 0.5, "runtime_ms", -1.0))).isEqualTo("metric 'runtime_ms' = -1.0 is outside the declared range [0, +inf)");
    }

    @Test
    void missing_primary_or_constrained_metrics_are_invalid() {
        assertThat(invalid(Map.of("runtime_ms", 3.0))).isEqualTo("metric 'score' is missing (the objective's primary metric)");
        assertThat(invalid(Map.of("score", 0.5))).isEqualTo("metric 'runtime_ms' is missing (a constraint bounds it)");
        assertThat(invalid(Map.of())).isEqualTo("metric 'score' is missing (the objective's primary metric); also missing: runtime_ms");
    }

    @Test
    void trustworthy_metrics_pass_unchanged_even_at_the_ends_of_their_ranges() {
        Evaluation ok = passed(Map.of("score", 1.0, "runtime_ms", 0.0, "other", -5.0));
        assertThat(sanity.check(ok)).isSameAs(ok);
        Evaluation constraintViolated = passed(Map.of("score", 0.5, "runtime_ms", 500.0));
        assertThat(sanity.check(constraintViolated)).as("a violated constraint is infeasible, not invalid").isSameAs(constraintViolated);
    }

    @Test
    void failed_evaluations_keep_their_outcome_and_lose_only_non_finite_metrics() {
        Evaluation failed = new Evaluation(new Outcome.Incorrect("wrong"), Map.of("score", Double.NaN, "runtime_ms", 3.0), "fb", "quick", Duration.ZERO);
        Evaluation checked = sanity.check(failed);
        assertThat(checked.outcome()).isEqualTo(new Outcome.Incorrect("wrong"));
        assertThat(checked.metrics()).containsExactly(Map.entry("runtime_ms", 3.0));
    }

    @Test
    void ranges_must_be_ordered_numbers() {
        assertThatThrownBy(() -> new MetricRange(2, 1)).hasMessageContaining("min <= max");
        assertThatThrownBy(() -> new MetricRange(Double.NaN, 1)).hasMessageContaining("numbers");
        assertThat(new MetricRange(0, 1).toString()).isEqualTo("[0, 1]");
        assertThat(MetricRange.atMost(2.5).toString()).isEqualTo("(-inf, 2.5]");
    }
}
