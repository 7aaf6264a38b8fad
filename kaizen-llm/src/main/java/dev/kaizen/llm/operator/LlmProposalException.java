package dev.kaizen.llm.operator;

/** A language-model proposal failed: the model's error, or a reply that could not be applied even after a re-ask. */
public final class LlmProposalException extends RuntimeException {

    public LlmProposalException(String message) {
        super(message);
    }

    public LlmProposalException(String message, Throwable cause) {
        super(message, cause);
    }
}
