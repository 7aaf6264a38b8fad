package dev.kaizen.llm.provider;

import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmClient;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.ModelSpec;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Retries a client's retriable failures ({@link LlmException.Kind#retriable()}: rate limits, server errors,
 * timeouts) up to {@link ModelSpec#maxRetries()} times, waiting as {@link RetryPolicy} says or as long as the
 * server's {@code Retry-After} asks (capped). Other failures pass through at once. The last failure's
 * message says how many retries were made; a reply's latency covers every attempt and wait.
 */
public final class Retrying implements LlmClient {

    private final LlmClient delegate;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final DoubleSupplier jitter;

    public Retrying(LlmClient delegate, RetryPolicy policy) {
        this(delegate, policy, Sleeper.REAL, () -> ThreadLocalRandom.current().nextDouble());
    }

    Retrying(LlmClient delegate, RetryPolicy policy, Sleeper sleeper, DoubleSupplier jitter) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
    }

    @Override
    public ModelSpec spec() {
        return delegate.spec();
    }

    @Override
    public ChatReply chat(ChatRequest request) {
        int maxRetries = delegate.spec().maxRetries();
        long start = System.nanoTime();
        for (int retry = 0; ; retry++) {
            try {
                ChatReply r = delegate.chat(request);
                return new ChatReply(r.text(), r.usage(), r.model(), Duration.ofNanos(System.nanoTime() - start));
            } catch (LlmException e) {
                if (!e.kind().retriable() || retry >= maxRetries) {
                    throw retry == 0 ? e : withRetries(e, retry);
                }
                Duration wait = e.getCause() instanceof Failure f && f.retryAfter().isPresent()
                        ? policy.honour(f.retryAfter().get())
                        : policy.backoff(retry, jitter.getAsDouble());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new LlmException(LlmException.Kind.OTHER,
                            spec().label() + ": interrupted while waiting to retry after: " + e.getMessage(), e);
                }
            }
        }
    }

    private static LlmException withRetries(LlmException e, int retries) {
        if (e.getCause() instanceof Failure f) {
            return new LlmException(e.kind(), f.message(retries), f);
        }
        return new LlmException(e.kind(), e.getMessage() + " (after " + retries + (retries == 1 ? " retry)" : " retries)"), e);
    }

    @Override
    public String toString() {
        return "Retrying[maxRetries=" + delegate.spec().maxRetries() + ", " + policy + ", " + delegate + "]";
    }
}
