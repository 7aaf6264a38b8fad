package dev.kaizen.llm;

/** Tokens one exchange used, as the provider reported them (estimated when it did not). */
public record Usage(long inputTokens, long outputTokens) {

    public Usage {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts are never negative: " + inputTokens + ", " + outputTokens);
        }
    }

    public long total() {
        return inputTokens + outputTokens;
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
    }
}
