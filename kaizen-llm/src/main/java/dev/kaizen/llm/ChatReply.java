package dev.kaizen.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * A model's reply.
 *
 * @param text    the reply's text (never null; may be empty, which callers treat as no edit)
 * @param usage   tokens used
 * @param model   the model label that answered ({@code openai:gpt-5-mini})
 * @param latency wall time of the exchange, retries included
 */
public record ChatReply(String text, Usage usage, String model, Duration latency) {

    public ChatReply {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(latency, "latency");
    }
}
