package dev.kaizen.llm.provider;

import dev.langchain4j.exception.HttpException;

import java.time.Duration;
import java.util.Optional;

/** A non-2xx answer, with the wait the server asked for ({@code Retry-After}), which LangChain4j's own exception drops. */
final class HttpStatusException extends HttpException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    HttpStatusException(int statusCode, String body, Duration retryAfter) {
        super(statusCode, body);
        this.retryAfter = retryAfter;
    }

    /** The response body (redacted). */
    String body() {
        return getMessage();
    }

    Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
