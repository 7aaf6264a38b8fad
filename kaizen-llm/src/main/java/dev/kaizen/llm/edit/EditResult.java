package dev.kaizen.llm.edit;

import dev.kaizen.core.program.Code;
import java.util.Objects;

/** The outcome of applying a model's reply to a parent: the child's code, or why there is none. */
public sealed interface EditResult {

    /**
     * The reply applied cleanly.
     *
     * @param code    the child's regions
     * @param summary one line saying what was applied, for the proposal's description
     */
    record Applied(Code code, String summary) implements EditResult {
        public Applied {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(summary, "summary");
        }
    }

    /**
     * The reply could not be applied; nothing of it was.
     *
     * @param error     what went wrong, written to be shown to the model in a re-ask
     * @param retryable whether a re-ask quoting {@code error} may fix it (false for edits the rules forbid)
     */
    record Failed(String error, boolean retryable) implements EditResult {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }

    /** Whether this is {@link Applied}. */
    default boolean applied() {
        return this instanceof Applied;
    }
}
