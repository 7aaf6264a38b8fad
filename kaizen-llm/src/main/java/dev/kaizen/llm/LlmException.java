package dev.kaizen.llm;

import java.util.Objects;

/** An exchange with a model failed; the message names the provider, the model and what happened, never a key. */
public final class LlmException extends RuntimeException {

    /** What kind of failure, which decides whether a retry can help. */
    public enum Kind {
        AUTHENTICATION(false), BAD_REQUEST(false), NOT_FOUND(false), RATE_LIMITED(true), SERVER(true), TIMEOUT(true),
        MALFORMED(false), EMPTY(false), BUDGET(false), REPLAY_MISSING(false), OTHER(false);

        private final boolean retriable;

        Kind(boolean retriable) {
            this.retriable = retriable;
        }

        public boolean retriable() {
            return retriable;
        }
    }

    private final Kind kind;

    public LlmException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public LlmException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
