package dev.kaizen.config;

import dev.kaizen.core.engine.Limits;
import dev.kaizen.core.engine.Strategy;
import dev.kaizen.core.guard.MetricRange;
import dev.kaizen.core.target.Target;
import dev.kaizen.eval.CommandStage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@code kaizen.yaml} says, checked and with defaults filled in: what is improved and
 * how it is judged ({@link Target}), how candidates are evaluated (a cascade of command stages,
 * cheapest first), how the search proceeds, and when it stops.
 *
 * @param target      the target directory, its evolvable files, the objective and the feature axes
 * @param stages      the command evaluator's stages in the order they run; names are unique;
 *                    empty for a java evaluator
 * @param java        the java evaluator's settings, when {@code evaluator.type} is {@code java}
 * @param strategy    parent selection, islands, inspirations and operator weights
 * @param limits      the evaluation, time and target-score budget
 * @param seed        the seed every random stream of the run derives from
 * @param parallelism how many evaluations may be in flight at once
 * @param exclude     paths relative to the target directory that are not copied into candidates'
 *                    working directories
 * @param source      the YAML text the configuration was read from, for the run's snapshot and ledger
 * @param guard       what every proposal is checked against and which files no evaluation may change
 * @param metricRanges declared ranges of metrics; a passed evaluation outside one is invalid
 * @param sandbox     the resource limits of one evaluation
 * @param llm         the language models that propose edits, when configured
 */
public record KaizenConfig(
        Target target,
        List<CommandStage> stages,
        Optional<JavaSpec> java,
        Strategy strategy,
        Limits limits,
        long seed,
        int parallelism,
        List<String> exclude,
        String source,
        GuardSpec guard,
        Map<String, MetricRange> metricRanges,
        SandboxConfig sandbox,
        Optional<LlmConfig> llm) {

    public KaizenConfig {
        Objects.requireNonNull(target, "target");
        stages = List.copyOf(stages);
        Objects.requireNonNull(java, "java");
        if (stages.isEmpty() == java.isEmpty()) {
            throw new IllegalArgumentException("give either command stages or java settings");
        }
        if (!stages.isEmpty()) {
            CommandStage.checkUnique(stages);
        }
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(limits, "limits");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        exclude = List.copyOf(exclude);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(guard, "guard");
        metricRanges = Map.copyOf(metricRanges);
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(llm, "llm");
    }

    /** A configuration without language models. */
    public KaizenConfig(Target target, List<CommandStage> stages, Optional<JavaSpec> java, Strategy strategy, Limits limits, long seed,
                        int parallelism, List<String> exclude, String source, GuardSpec guard, Map<String, MetricRange> metricRanges,
                        SandboxConfig sandbox) {
        this(target, stages, java, strategy, limits, seed, parallelism, exclude, source, guard, metricRanges, sandbox, Optional.empty());
    }

    /** A configuration with the default guard, no metric ranges and the default sandbox limits. */
    public KaizenConfig(Target target, List<CommandStage> stages, Optional<JavaSpec> java, Strategy strategy, Limits limits, long seed,
                        int parallelism, List<String> exclude, String source) {
        this(target, stages, java, strategy, limits, seed, parallelism, exclude, source, GuardSpec.defaults(), Map.of(), SandboxConfig.defaults());
    }

    /** A copy with another seed, e.g. from {@code kaizen run --seed}. */
    public KaizenConfig withSeed(long newSeed) {
        return new KaizenConfig(target, stages, java, strategy, limits, newSeed, parallelism, exclude, source, guard, metricRanges, sandbox, llm);
    }

    /** A copy with other limits, e.g. from {@code kaizen run --evaluations}. */
    public KaizenConfig withLimits(Limits newLimits) {
        return new KaizenConfig(target, stages, java, strategy, newLimits, seed, parallelism, exclude, source, guard, metricRanges, sandbox, llm);
    }

    /** A copy with another strategy. */
    public KaizenConfig withStrategy(Strategy newStrategy) {
        return new KaizenConfig(target, stages, java, newStrategy, limits, seed, parallelism, exclude, source, guard, metricRanges, sandbox, llm);
    }

    /** A copy with another parallelism. */
    public KaizenConfig withParallelism(int newParallelism) {
        return new KaizenConfig(target, stages, java, strategy, limits, seed, newParallelism, exclude, source, guard, metricRanges, sandbox, llm);
    }
}
