package dev.kaizen.llm.record;

import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmClient;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.ModelSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Passes every request to an inner client and records the exchange, failures included, in a
 * {@link Cassette} before returning. Only the request, the reply, the usage and the outcome are
 * written; the client's configuration (and so any key) never is. Safe to use from many threads.
 */
public final class RecordingClient implements RecordedClient {

    private final LlmClient inner;
    private final Cassette cassette;
    private final Clock clock;

    public RecordingClient(LlmClient inner, Cassette cassette) {
        this(inner, cassette, Clock.systemUTC());
    }

    /** As {@link #RecordingClient(LlmClient, Cassette)}, with the clock that stamps each exchange. */
    public RecordingClient(LlmClient inner, Cassette cassette, Clock clock) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.cassette = Objects.requireNonNull(cassette, "cassette");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ModelSpec spec() {
        return inner.spec();
    }

    @Override
    public ChatReply chat(ChatRequest request) {
        return chatRecorded(request).replyOrThrow();
    }

    /**
     * {@inheritDoc}
     *
     * <p>An exception other than {@link LlmException} from the inner client is recorded as
     * {@link LlmException.Kind#OTHER} and rethrown as it is.
     *
     * @throws java.io.UncheckedIOException if the exchange cannot be written to the cassette
     */
    @Override
    public Cassette.Recorded chatRecorded(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        String model = inner.spec().label();
        Instant start = clock.instant();
        long t0 = System.nanoTime();
        ChatReply reply;
        try {
            reply = inner.chat(request);
        } catch (LlmException e) {
            Cassette.Exchange ex = cassette.appendFailure(model, request, e.kind(), e.getMessage(), Duration.ofNanos(System.nanoTime() - t0), start);
            return Cassette.Recorded.failed(ex.id(), e);
        } catch (RuntimeException e) {
            cassette.appendFailure(model, request, LlmException.Kind.OTHER, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    Duration.ofNanos(System.nanoTime() - t0), start);
            throw e;
        }
        Cassette.Exchange ex = cassette.appendReply(model, request, reply, Duration.ofNanos(System.nanoTime() - t0), start);
        return Cassette.Recorded.ok(ex.id(), reply);
    }
}
