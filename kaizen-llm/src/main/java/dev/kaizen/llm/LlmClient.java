package dev.kaizen.llm;

/**
 * Sends one request to one model. Implementations: a provider client (real HTTP), and decorators
 * that retry, record, replay or enforce a budget. Safe to use from many threads.
 */
public interface LlmClient {

    /** The model this client talks to. */
    ModelSpec spec();

    /**
     * The model's reply.
     *
     * @throws LlmException naming the provider and model, with a {@link LlmException.Kind}
     */
    ChatReply chat(ChatRequest request);
}
