package dev.kaizen.llm.budget;

import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.Usage;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Hard caps on a run's dollars and tokens that count calls in flight. Before a call, {@link #reserve}
 * holds its worst case (estimated input tokens plus the most output tokens, priced); it is refused
 * with {@link LlmException.Kind#BUDGET} when settled spending, what other calls in flight hold, and
 * this reservation together would pass a cap. When the call ends, the reservation is replaced by the
 * actual usage. So however many calls run at once, spending passes a cap only by what the input
 * estimate fell short of the actual input.
 *
 * <p>{@link #exhausted()} tells the run to stop cleanly. Thread-safe.
 */
public final class Budget {

    private static final double USD_SLACK = 1e-12;

    private final OptionalDouble usdCap;
    private final OptionalLong tokenCap;

    private long calls;
    private long failed;
    private long refused;
    private long inputTokens;
    private long outputTokens;
    private double usd;
    private int inFlight;
    private long reservedTokens;
    private double reservedUsd;
    /** The call refused because it would not fit even with nothing in flight, once there was one. */
    private Optional<String> refusedAlone = Optional.empty();
    private final Map<String, Account> models = new TreeMap<>();

    private static final class Account {
        long calls;
        long failed;
        long inputTokens;
        long outputTokens;
        double usd;
        boolean priced = true;
    }

    /**
     * @param usd    cap on dollars, if any
     * @param tokens cap on input plus output tokens, if any
     */
    public Budget(OptionalDouble usd, OptionalLong tokens) {
        this.usdCap = Objects.requireNonNull(usd, "usd");
        this.tokenCap = Objects.requireNonNull(tokens, "tokens");
        if (usd.isPresent() && !(usd.getAsDouble() >= 0 && Double.isFinite(usd.getAsDouble()))) {
            throw new IllegalArgumentException("a dollar budget must be finite and not negative, got " + usd.getAsDouble());
        }
        if (tokens.isPresent() && tokens.getAsLong() < 0) {
            throw new IllegalArgumentException("a token budget must not be negative, got " + tokens.getAsLong());
        }
    }

    /** No caps: spending is only counted. */
    public static Budget unlimited() {
        return new Budget(OptionalDouble.empty(), OptionalLong.empty());
    }

    /** A budget with these caps that starts from what a previous part of the run spent (its {@link Spending#toJson()}). */
    public static Budget resumed(OptionalDouble usd, OptionalLong tokens, Spending prior) {
        Budget b = new Budget(usd, tokens);
        b.calls = prior.calls();
        b.failed = prior.failed();
        b.refused = prior.refused();
        b.inputTokens = prior.inputTokens();
        b.outputTokens = prior.outputTokens();
        b.usd = prior.usd();
        for (Spending.ModelSpending m : prior.models().values()) {
            Account a = new Account();
            a.calls = m.calls();
            a.failed = m.failed();
            a.inputTokens = m.inputTokens();
            a.outputTokens = m.outputTokens();
            a.usd = m.usd();
            a.priced = m.priced();
            b.models.put(m.model(), a);
        }
        return b;
    }

    public OptionalDouble usdCap() {
        return usdCap;
    }

    public OptionalLong tokenCap() {
        return tokenCap;
    }

    /**
     * Holds the worst case of one call of {@code quote}'s model.
     *
     * @param inputTokens  the estimated input tokens
     * @param outputTokens the most output tokens the call may produce
     * @throws LlmException of kind {@link LlmException.Kind#BUDGET} when a cap would be passed
     */
    public synchronized Reservation reserve(PriceTable.Quote quote, long inputTokens, long outputTokens) {
        Objects.requireNonNull(quote, "quote");
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token estimates must not be negative: " + inputTokens + ", " + outputTokens);
        }
        long tokens = inputTokens + outputTokens;
        double dollars = quote.price().cost(inputTokens, outputTokens);
        String refusal = null;
        boolean alone = false;
        if (tokenCap.isPresent() && this.inputTokens + this.outputTokens + reservedTokens + tokens > tokenCap.getAsLong()) {
            alone = this.inputTokens + this.outputTokens + tokens > tokenCap.getAsLong();
            refusal = String.format(Locale.ROOT, "needs up to %d tokens (~%d in, at most %d out); %d of the %d-token budget are spent and %d held by %d calls in flight",
                    tokens, inputTokens, outputTokens, this.inputTokens + this.outputTokens, tokenCap.getAsLong(), reservedTokens, inFlight);
        } else if (usdCap.isPresent() && usd + reservedUsd + dollars > usdCap.getAsDouble() + USD_SLACK) {
            alone = usd + dollars > usdCap.getAsDouble() + USD_SLACK;
            refusal = String.format(Locale.ROOT, "needs up to $%.4f (~%d tokens in, at most %d out); $%.4f of the $%.4f budget are spent and $%.4f held by %d calls in flight",
                    dollars, inputTokens, outputTokens, usd, usdCap.getAsDouble(), reservedUsd, inFlight);
        }
        if (refusal != null) {
            refused++;
            String call = "a call to " + quote.model() + " " + refusal
                    + (alone ? "; the budget is exhausted" : "; it may fit once calls in flight finish");
            if (alone) {
                refusedAlone = Optional.of(call);
            }
            throw new LlmException(LlmException.Kind.BUDGET, "budget: " + call);
        }
        inFlight++;
        reservedTokens += tokens;
        reservedUsd += dollars;
        return new Reservation(quote, tokens, dollars);
    }

    /** True once settled spending has reached a cap, or a call was refused that would not fit even with nothing in flight. */
    public synchronized boolean exhausted() {
        return exhaustion().isPresent();
    }

    /** Why the budget is {@linkplain #exhausted() exhausted}, in a sentence; empty while it is not. */
    public synchronized Optional<String> exhaustion() {
        long tokens = inputTokens + outputTokens;
        if (tokenCap.isPresent() && tokens >= tokenCap.getAsLong()) {
            return Optional.of(String.format(Locale.ROOT, "%d of the %d-token budget are spent", tokens, tokenCap.getAsLong()));
        }
        if (usdCap.isPresent() && usd >= usdCap.getAsDouble()) {
            return Optional.of(String.format(Locale.ROOT, "$%.4f of the $%.4f budget are spent", usd, usdCap.getAsDouble()));
        }
        return refusedAlone;
    }

    /** What has been spent and what is held now. */
    public synchronized Spending spending() {
        Map<String, Spending.ModelSpending> out = new TreeMap<>();
        models.forEach((label, a) -> out.put(label, new Spending.ModelSpending(label, a.calls, a.failed, a.inputTokens, a.outputTokens, a.usd, a.priced)));
        return new Spending(calls, failed, refused, inputTokens, outputTokens, usd, inFlight, reservedTokens, reservedUsd, out);
    }

    private synchronized void settle(Reservation r, Usage actual, boolean ok) {
        inFlight--;
        reservedTokens -= r.tokens;
        reservedUsd = inFlight == 0 ? 0 : reservedUsd - r.usd;
        double cost = r.quote.cost(actual);
        calls++;
        inputTokens += actual.inputTokens();
        outputTokens += actual.outputTokens();
        usd += cost;
        Account a = models.computeIfAbsent(r.quote.model(), k -> new Account());
        a.calls++;
        a.inputTokens += actual.inputTokens();
        a.outputTokens += actual.outputTokens();
        a.usd += cost;
        a.priced &= r.quote.known();
        if (!ok) {
            failed++;
            a.failed++;
        }
    }

    /** One call's hold on the budget; settle it exactly once, with {@link #commit} or {@link #fail}. */
    public final class Reservation {

        private final PriceTable.Quote quote;
        private final long tokens;
        private final double usd;
        private boolean settled;

        private Reservation(PriceTable.Quote quote, long tokens, double usd) {
            this.quote = quote;
            this.tokens = tokens;
            this.usd = usd;
        }

        /** Tokens held. */
        public long tokens() {
            return tokens;
        }

        /** Dollars held. */
        public double usd() {
            return usd;
        }

        /** Replaces the hold by the call's actual usage. */
        public void commit(Usage actual) {
            Objects.requireNonNull(actual, "actual");
            markSettled();
            settle(this, actual, true);
        }

        /** Releases the hold of a call that failed; it counts as a failed call with no tokens. */
        public void fail() {
            markSettled();
            settle(this, new Usage(0, 0), false);
        }

        private void markSettled() {
            synchronized (Budget.this) {
                if (settled) {
                    throw new IllegalStateException("a reservation for " + quote.model() + " was already settled");
                }
                settled = true;
            }
        }
    }
}
