package dev.kaizen.llm.record;

import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmClient;

/**
 * A client whose exchanges have ids in a {@link Cassette}: the caller puts the id in its ledger, so
 * every child can be traced to the exact request and reply that made it.
 */
public interface RecordedClient extends LlmClient {

    /**
     * Sends {@code request} and returns the exchange's id with its reply or its failure. A failed
     * exchange is returned, not thrown, because it was recorded and has an id too.
     *
     * @throws dev.kaizen.llm.LlmException only when no exchange took place (a budget refusal, a request
     *                                     missing from a replayed cassette)
     */
    Cassette.Recorded chatRecorded(ChatRequest request);
}
