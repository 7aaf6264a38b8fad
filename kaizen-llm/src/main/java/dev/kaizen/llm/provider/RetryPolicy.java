package dev.kaizen.llm.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * How long {@link Retrying} waits between attempts: exponential backoff from {@code baseDelay}, doubled
 * after each retry, with jitter, never longer than {@code maxDelay}. A server's {@code Retry-After}
 * replaces the backoff, also capped at {@code maxDelay}. How many retries is the model's
 * {@link dev.kaizen.llm.ModelSpec#maxRetries()}.
 *
 * @param baseDelay the wait before the first retry (before jitter)
 * @param maxDelay  the longest wait before any retry
 */
public record RetryPolicy(Duration baseDelay, Duration maxDelay) {

    /** 500 ms, doubling, at most 60 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(60));

    public RetryPolicy {
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (baseDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("retry delays are never negative: " + baseDelay + ", " + maxDelay);
        }
        if (baseDelay.compareTo(maxDelay) > 0) {
            throw new IllegalArgumentException("baseDelay " + baseDelay + " exceeds maxDelay " + maxDelay);
        }
    }

    /**
     * The backoff before retry number {@code retry} (0 for the first): half of
     * {@code min(maxDelay, baseDelay * 2^retry)} plus a random part of the other half.
     *
     * @param jitter a number in [0, 1)
     */
    public Duration backoff(int retry, double jitter) {
        if (retry < 0) {
            throw new IllegalArgumentException("retry must not be negative, got " + retry);
        }
        long base = baseDelay.toNanos();
        long cap = maxDelay.toNanos();
        long exp = retry >= 62 || base > (cap >> Math.min(retry, 62)) ? cap : Math.min(cap, base << retry);
        long half = exp / 2;
        return Duration.ofNanos(half + (long) ((exp - half) * Math.max(0, Math.min(jitter, 1))));
    }

    /** The wait a server asked for, capped at {@code maxDelay}. */
    public Duration honour(Duration retryAfter) {
        if (retryAfter.isNegative()) {
            return Duration.ZERO;
        }
        return retryAfter.compareTo(maxDelay) > 0 ? maxDelay : retryAfter;
    }
}
