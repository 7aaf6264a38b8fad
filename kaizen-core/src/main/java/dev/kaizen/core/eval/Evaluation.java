package dev.kaizen.core.eval;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The result of evaluating one candidate: its outcome, the metrics it reported, free-text feedback
 * for later proposals (errors, failing assertions, stderr), the stage it reached and how long it
 * took. An evaluator may report a NaN or an infinity as it measured it; the engine's metric check
 * ({@link dev.kaizen.core.guard.MetricSanity}) turns such a passed evaluation into
 * {@link Outcome.Invalid} before anything is stored, so stored evaluations hold finite numbers only.
 */
public record Evaluation(Outcome outcome, Map<String, Double> metrics, String feedback, String stage, Duration elapsed) {

    public Evaluation {
        Objects.requireNonNull(outcome, "outcome");
        metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
        metrics.forEach((k, v) -> {
            if (v == null) {
                throw new IllegalArgumentException("metric '" + k + "' has no value");
            }
        });
        feedback = feedback == null ? "" : feedback;
        stage = stage == null ? "" : stage;
        Objects.requireNonNull(elapsed, "elapsed");
    }

    public static Evaluation passed(Map<String, Double> metrics, String feedback, String stage, Duration elapsed) {
        return new Evaluation(new Outcome.Passed(), metrics, feedback, stage, elapsed);
    }

    public static Evaluation failed(Outcome outcome, String feedback, String stage, Duration elapsed) {
        return new Evaluation(outcome, Map.of(), feedback, stage, elapsed);
    }

    /** Whether every metric is a finite number. */
    public boolean finite() {
        return metrics.values().stream().allMatch(Double::isFinite);
    }

    public boolean passed() {
        return outcome instanceof Outcome.Passed;
    }
}
