package dev.kaizen.llm.prompt;

import dev.kaizen.llm.ChatRequest;
import java.util.List;
import java.util.Objects;

/**
 * A built prompt.
 *
 * @param system          the system message (the edit format and its rules)
 * @param user            the user message (task, objective, program, metrics, feedback, inspirations, insights)
 * @param templateVersion the templates that produced it ({@link PromptTemplates#version()})
 * @param tokens          its size as the builder's {@link TokenCounter} counts it, both messages
 * @param budget          the tokens it had room for: context window minus the reply's maximum
 * @param dropped         what was left out or cut to fit, in the order it was done; empty when all fitted
 */
public record Prompt(String system, String user, String templateVersion, int tokens, int budget, List<String> dropped) {

    public Prompt {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(templateVersion, "templateVersion");
        dropped = List.copyOf(dropped);
    }

    /** Whether it fits its budget (only a system message larger than the budget makes it not). */
    public boolean fits() {
        return tokens <= budget;
    }

    /** The request that sends this prompt. */
    public ChatRequest toRequest(int maxOutputTokens, double temperature) {
        return new ChatRequest(system, user, maxOutputTokens, temperature);
    }
}
