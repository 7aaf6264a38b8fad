package dev.kaizen.llm.budget;

import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmClient;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.record.Cassette;
import dev.kaizen.llm.record.RecordedClient;
import java.util.Objects;

/**
 * Enforces a {@link Budget} around an inner client: reserves each call's worst case before it is
 * sent (refusing with {@link LlmException.Kind#BUDGET}), and settles the reservation with the actual
 * usage afterwards. Several clients (one per model) may share one budget. Safe to use from many threads.
 */
public final class BudgetedClient implements RecordedClient {

    /** Characters per token assumed when estimating a prompt's tokens: below the usual 3.5 to 4, so the estimate errs high. */
    public static final double CHARS_PER_TOKEN = 3.0;

    /** Tokens added to every estimate for the chat format's framing. */
    public static final int FRAMING_TOKENS = 16;

    private final LlmClient inner;
    private final Budget budget;
    private final PriceTable.Quote quote;

    public BudgetedClient(LlmClient inner, Budget budget, PriceTable prices) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.quote = Objects.requireNonNull(prices, "prices").quote(inner.spec());
    }

    @Override
    public ModelSpec spec() {
        return inner.spec();
    }

    /** How this client's model is priced; {@link PriceTable.Quote#known()} false deserves a warning. */
    public PriceTable.Quote quote() {
        return quote;
    }

    public Budget budget() {
        return budget;
    }

    /** An upper estimate of {@code request}'s input tokens. */
    public static long estimateInputTokens(ChatRequest request) {
        long chars = (long) request.system().length() + request.user().length();
        return (long) Math.ceil(chars / CHARS_PER_TOKEN) + FRAMING_TOKENS;
    }

    @Override
    public ChatReply chat(ChatRequest request) {
        Budget.Reservation r = reserve(request);
        ChatReply reply;
        try {
            reply = inner.chat(request);
        } catch (RuntimeException e) {
            r.fail();
            throw e;
        }
        r.commit(reply.usage());
        return reply;
    }

    /**
     * {@inheritDoc}
     *
     * @throws LlmException          of kind {@link LlmException.Kind#BUDGET} when the budget refuses the call (no exchange is made)
     * @throws IllegalStateException if the inner client does not record exchanges
     */
    @Override
    public Cassette.Recorded chatRecorded(ChatRequest request) {
        if (!(inner instanceof RecordedClient recorded)) {
            throw new IllegalStateException("the client of " + inner.spec().label() + " does not record exchanges; wrap it in a RecordingClient or use a ReplayingClient");
        }
        Budget.Reservation r = reserve(request);
        Cassette.Recorded out;
        try {
            out = recorded.chatRecorded(request);
        } catch (RuntimeException e) {
            r.fail();
            throw e;
        }
        if (out.reply().isPresent()) {
            r.commit(out.reply().get().usage());
        } else {
            r.fail();
        }
        return out;
    }

    private Budget.Reservation reserve(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        return budget.reserve(quote, estimateInputTokens(request), request.maxOutputTokens());
    }
}
