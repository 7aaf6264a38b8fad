package dev.kaizen.eval;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One stage of a command evaluator's cascade: a command run in the candidate's directory that must
 * pass before the next stage runs.
 *
 * @param name        the stage's name, shown in outcomes and feedback
 * @param command     the command line, run with {@code /bin/sh -c}
 * @param timeout     wall-time limit; the whole process tree is killed at it
 * @param env         extra environment variables
 * @param minScore    when present, the stage passes only if its primary metric reaches it
 *                    (in the metric's direction)
 * @param outputLimit bytes kept of stdout and of stderr each; the rest is drained and dropped
 */
public record CommandStage(String name, String command, Duration timeout, Map<String, String> env, OptionalDouble minScore, int outputLimit) {

    public static final int DEFAULT_OUTPUT_LIMIT = 64 * 1024;

    public CommandStage {
        Objects.requireNonNull(name, "name");
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("stage '" + name + "' has an empty command");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("stage '" + name + "' needs a positive timeout, got " + timeout);
        }
        env = Map.copyOf(env);
        Objects.requireNonNull(minScore, "minScore");
        if (minScore.isPresent() && !Double.isFinite(minScore.getAsDouble())) {
            throw new IllegalArgumentException("stage '" + name + "' needs a finite minimum score, got " + minScore.getAsDouble());
        }
        if (outputLimit < 1024) {
            throw new IllegalArgumentException("stage '" + name + "' output limit must be >= 1024 bytes, got " + outputLimit);
        }
    }

    public static CommandStage of(String name, String command, Duration timeout) {
        return new CommandStage(name, command, timeout, Map.of(), OptionalDouble.empty(), DEFAULT_OUTPUT_LIMIT);
    }

    /** A copy with extra environment variables. */
    public CommandStage withEnv(Map<String, String> extra) {
        return new CommandStage(name, command, timeout, extra, minScore, outputLimit);
    }

    /** A copy that passes only when the objective's primary metric reaches {@code min}. */
    public CommandStage withMinScore(double min) {
        return new CommandStage(name, command, timeout, env, OptionalDouble.of(min), outputLimit);
    }

    /** A copy that keeps {@code bytes} of stdout and of stderr each. */
    public CommandStage withOutputLimit(int bytes) {
        return new CommandStage(name, command, timeout, env, minScore, bytes);
    }

    /** The stage names of a cascade are unique; one-stage evaluators are named "evaluate". */
    public static void checkUnique(List<CommandStage> stages) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("an evaluator needs at least one stage");
        }
        long distinct = stages.stream().map(CommandStage::name).distinct().count();
        if (distinct != stages.size()) {
            throw new IllegalArgumentException("stage names must be unique: " + stages.stream().map(CommandStage::name).toList());
        }
    }
}
