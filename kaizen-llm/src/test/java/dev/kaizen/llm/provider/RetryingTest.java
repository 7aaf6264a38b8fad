package dev.kaizen.llm.provider;

import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmClient;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.LlmException.Kind;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.Usage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RetryingTest {

    static final ChatRequest REQUEST = new ChatRequest("s", "u", 100, 0.2);
    static final String WHERE = "openai:m at http://h/v1";

    /** Fails with the scripted exceptions, then answers. */
    static final class Scripted implements LlmClient {
        final ModelSpec spec;
        final Deque<LlmException> failures;
        int calls;

        Scripted(int maxRetries, LlmException... failures) {
            this.spec = ModelSpec.of(Provider.OPENAI, "m").withMaxRetries(maxRetries);
            this.failures = new ArrayDeque<>(List.of(failures));
        }

        @Override
        public ModelSpec spec() {
            return spec;
        }

        @Override
        public ChatReply chat(ChatRequest request) {
            calls++;
            LlmException next = failures.poll();
            if (next != null) {
                throw next;
            }
            return new ChatReply("ok", new Usage(1, 2), spec.label(), Duration.ofMillis(1));
        }
    }

    static LlmException failure(Kind kind, String what, Duration retryAfter) {
        return Failures.failure(kind, WHERE, what, "provider says no", retryAfter, null);
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        RetryPolicy p = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(3));
        assertThat(p.backoff(0, 0.0)).isEqualTo(Duration.ofMillis(250));
        assertThat(p.backoff(0, 0.999_999)).isBetween(Duration.ofMillis(499), Duration.ofMillis(500));
        assertThat(p.backoff(1, 0.5)).isEqualTo(Duration.ofMillis(750));
        assertThat(p.backoff(2, 1.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.backoff(3, 1.0)).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.backoff(100, 1.0)).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.honour(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.honour(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retriableFailuresAreRetriedAndTheLatencyCoversTheWaits() {
        Scripted s = new Scripted(3, failure(Kind.RATE_LIMITED, "rate limited (429)", null), failure(Kind.SERVER, "server error (502)", null));

        ChatReply r = new Retrying(s, new RetryPolicy(Duration.ofMillis(40), Duration.ofMillis(40))).chat(REQUEST);

        assertThat(r.text()).isEqualTo("ok");
        assertThat(s.calls).isEqualTo(3);
        // two real waits of at least 20 ms each (half the backoff is fixed)
        assertThat(r.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(40));
    }

    @Test
    void nonRetriableFailuresPassThroughAtOnce() {
        for (Kind k : List.of(Kind.AUTHENTICATION, Kind.BAD_REQUEST, Kind.NOT_FOUND, Kind.MALFORMED, Kind.EMPTY)) {
            LlmException original = failure(k, "no", null);
            Scripted s = new Scripted(5, original);
            List<Duration> sleeps = new ArrayList<>();

            LlmException e = catchThrowableOfType(LlmException.class, () -> new Retrying(s, RetryPolicy.DEFAULT, sleeps::add, () -> 0).chat(REQUEST));

            assertThat(e).as(k.name()).isSameAs(original);
            assertThat(s.calls).as(k.name()).isEqualTo(1);
            assertThat(sleeps).as(k.name()).isEmpty();
        }
    }

    @Test
    void theLastFailureSaysHowManyRetriesWereMade() {
        Scripted s = new Scripted(1, failure(Kind.TIMEOUT, "timed out", null), failure(Kind.TIMEOUT, "timed out", null));

        LlmException e = catchThrowableOfType(LlmException.class, () -> new Retrying(s, RetryPolicy.DEFAULT, d -> { }, () -> 0).chat(REQUEST));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.getMessage()).isEqualTo(WHERE + ": timed out after 1 retry: provider says no");
        assertThat(s.calls).isEqualTo(2);
    }

    @Test
    void failuresFromOtherClientsGetTheCountAppended() {
        Scripted s = new Scripted(2, new LlmException(Kind.SERVER, "x: boom"), new LlmException(Kind.SERVER, "x: boom"), new LlmException(Kind.SERVER, "x: boom"));

        LlmException e = catchThrowableOfType(LlmException.class, () -> new Retrying(s, RetryPolicy.DEFAULT, d -> { }, () -> 0).chat(REQUEST));

        assertThat(e.getMessage()).isEqualTo("x: boom (after 2 retries)");
        assertThat(s.calls).isEqualTo(3);
    }

    @Test
    void retryAfterReplacesTheBackoffAndIsCapped() {
        Scripted s = new Scripted(3, failure(Kind.RATE_LIMITED, "rate limited (429)", Duration.ofSeconds(7)),
                failure(Kind.RATE_LIMITED, "rate limited (429)", Duration.ofMinutes(5)));
        List<Duration> sleeps = new ArrayList<>();

        new Retrying(s, new RetryPolicy(Duration.ofMillis(10), Duration.ofSeconds(30)), sleeps::add, () -> 0).chat(REQUEST);

        assertThat(sleeps).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(30));
    }

    @Test
    void anInterruptedWaitStopsRetrying() {
        Scripted s = new Scripted(3, failure(Kind.SERVER, "server error (500)", null));
        Sleeper interrupted = d -> {
            throw new InterruptedException();
        };

        LlmException e = catchThrowableOfType(LlmException.class, () -> new Retrying(s, RetryPolicy.DEFAULT, interrupted, () -> 0).chat(REQUEST));

        assertThat(e.kind()).isEqualTo(Kind.OTHER);
        assertThat(e.getMessage()).contains("interrupted");
        assertThat(Thread.interrupted()).isTrue();
        assertThat(s.calls).isEqualTo(1);
    }
}
