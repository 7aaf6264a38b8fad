package dev.kaizen.llm.budget;

import dev.kaizen.llm.Usage;

/**
 * What a model's tokens cost, in US dollars per million tokens.
 *
 * @param inputPerMillion  USD per 1M input (prompt) tokens
 * @param outputPerMillion USD per 1M output (reply) tokens
 */
public record Price(double inputPerMillion, double outputPerMillion) {

    /** Nothing: a local model. */
    public static final Price FREE = new Price(0, 0);

    public Price {
        if (!(inputPerMillion >= 0 && Double.isFinite(inputPerMillion)) || !(outputPerMillion >= 0 && Double.isFinite(outputPerMillion))) {
            throw new IllegalArgumentException("prices must be finite and not negative, got input " + inputPerMillion + ", output " + outputPerMillion);
        }
    }

    /** USD for {@code inputTokens} in and {@code outputTokens} out. */
    public double cost(long inputTokens, long outputTokens) {
        return (inputTokens * inputPerMillion + outputTokens * outputPerMillion) / 1_000_000.0;
    }

    public double cost(Usage usage) {
        return cost(usage.inputTokens(), usage.outputTokens());
    }
}
