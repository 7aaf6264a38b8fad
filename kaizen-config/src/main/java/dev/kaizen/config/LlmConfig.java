package dev.kaizen.config;

import dev.kaizen.llm.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What {@code llm:} says: the models that propose edits, how one is chosen, what may be spent,
 * and where recorded exchanges are replayed from. Reference: docs/kaizen-yaml.md.
 *
 * @param models           the models, at least one
 * @param selection        {@code bandit} (improvement per unit of cost) or {@code fixed} ({@code weights})
 * @param weights          a weight per model label ({@code openai:gpt-5-mini}) for {@code fixed}; 1 when not named
 * @param budgetUsd        a hard cap on money spent on models in this run
 * @param budgetTokens     a hard cap on tokens
 * @param replay           a recorded cassette to answer from, with no network
 * @param formats          the weight of each edit format: {@code diff}, {@code rewrite}, {@code crossover}
 * @param prompts          a directory whose template files replace the shipped ones of the same name
 * @param offlineOperators whether the offline operators (GI edits, tuning) run beside the models
 */
public record LlmConfig(List<ModelSpec> models, String selection, Map<String, Double> weights, OptionalDouble budgetUsd,
                        OptionalLong budgetTokens, Optional<Path> replay, Map<String, Double> formats, Optional<Path> prompts,
                        boolean offlineOperators) {

    /** The selections {@code selection} may name. */
    public static final List<String> SELECTIONS = List.of("bandit", "fixed");
    /** The edit formats {@code formats} may name. */
    public static final List<String> FORMATS = List.of("diff", "rewrite", "crossover");

    public LlmConfig {
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("llm needs at least one model");
        }
        if (!SELECTIONS.contains(selection)) {
            throw new IllegalArgumentException("selection must be one of " + SELECTIONS + ", got " + selection);
        }
        weights = Map.copyOf(weights);
        Objects.requireNonNull(budgetUsd, "budgetUsd");
        Objects.requireNonNull(budgetTokens, "budgetTokens");
        Objects.requireNonNull(replay, "replay");
        formats = Map.copyOf(formats);
        Objects.requireNonNull(prompts, "prompts");
    }

    /** Diff edits only, at weight 1. */
    public static Map<String, Double> defaultFormats() {
        return Map.of("diff", 1.0, "rewrite", 0.3, "crossover", 0.2);
    }
}
