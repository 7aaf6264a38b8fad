package dev.kaizen.llm.provider;

import java.time.Duration;
import java.util.Optional;

/**
 * The parts of a failed exchange, carried as the cause of an {@link dev.kaizen.llm.LlmException} so that
 * {@link Retrying} can say how many retries it made and honour the server's wait.
 */
final class Failure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String where;
    private final String what;
    private final String detail;
    private final transient Duration retryAfter;

    /**
     * @param where      {@code openai:gpt-5-mini at https://api.openai.com/v1}
     * @param what       {@code rate limited (429)}
     * @param detail     the provider's own message, or empty
     * @param retryAfter the wait the server asked for, or null
     */
    Failure(String where, String what, String detail, Duration retryAfter, Throwable cause) {
        super(what + (detail.isEmpty() ? "" : ": " + detail), cause);
        this.where = where;
        this.what = what;
        this.detail = detail;
        this.retryAfter = retryAfter;
    }

    Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The full message, with {@code after N retries} when there were any. */
    String message(int retries) {
        String after = retries == 0 ? "" : " after " + retries + (retries == 1 ? " retry" : " retries");
        return where + ": " + what + after + (detail.isEmpty() ? "" : ": " + detail);
    }
}
