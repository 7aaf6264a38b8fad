package dev.kaizen.llm.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.Usage;
import dev.kaizen.llm.record.Cassette;
import dev.kaizen.llm.record.RecordingClient;
import dev.kaizen.llm.record.ReplayingClient;
import dev.kaizen.llm.record.ScriptedClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetTest {

    private static final ModelSpec MINI = ModelSpec.of(Provider.OPENAI, "gpt-5-mini");
    private static final ModelSpec LOCAL = ModelSpec.of(Provider.OLLAMA, "qwen2.5-coder:7b");
    private static final ModelSpec MYSTERY = ModelSpec.of(Provider.ANTHROPIC, "claude-mystery-9");
    private static final PriceTable PRICES = PriceTable.defaults();

    /** 300 characters of prompt: an estimate of 100 + 16 input tokens. */
    private static ChatRequest request(int maxOut) {
        return new ChatRequest("s".repeat(100), "u".repeat(200), maxOut, 0.5);
    }

    private static Budget tokens(long cap) {
        return new Budget(OptionalDouble.empty(), OptionalLong.of(cap));
    }

    @Test
    void estimatesErrHighAndCountFraming() {
        assertThat(BudgetedClient.estimateInputTokens(request(10))).isEqualTo(116);
        assertThat(BudgetedClient.estimateInputTokens(new ChatRequest("", "", 1, 0))).isEqualTo(16);
    }

    @Test
    void aCallIsRefusedWhenItsWorstCaseWouldPassTheTokenCap() {
        ScriptedClient inner = ScriptedClient.echo(MINI);
        BudgetedClient client = new BudgetedClient(inner, tokens(116 + 100), PRICES);
        assertThatThrownBy(() -> client.chat(request(101)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.BUDGET))
                .hasMessageContaining("openai:gpt-5-mini").hasMessageContaining("exhausted");
        assertThat(inner.calls()).isZero();
        assertThat(client.budget().exhausted()).isTrue();
        assertThat(client.budget().spending().refused()).isEqualTo(1);
    }

    @Test
    void theExhaustionSaysWhichCapAndHowMuchWasSpent() {
        Budget spentOut = tokens(15);
        BudgetedClient client = new BudgetedClient(ScriptedClient.echo(MINI), spentOut, PRICES);
        assertThat(spentOut.exhaustion()).isEmpty();
        // a reservation of 116 + 200 tokens is refused alone: the budget cannot hold one more call
        assertThatThrownBy(() -> client.chat(request(200))).isInstanceOf(LlmException.class);
        assertThat(spentOut.exhaustion()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("a call to openai:gpt-5-mini needs up to 316 tokens").endsWith("the budget is exhausted"));

        // a call that used more than it reserved spends the budget out
        Budget full = tokens(400);
        ScriptedClient verbose = new ScriptedClient(MINI, (n, r) -> new ChatReply("x", new Usage(300, 105), MINI.label(), Duration.ZERO));
        new BudgetedClient(verbose, full, PRICES).chat(request(200));
        assertThat(full.exhaustion()).contains("405 of the 400-token budget are spent");
    }

    @Test
    void settlingReplacesTheReservationByTheActualUsage() {
        Budget budget = tokens(1000);
        BudgetedClient client = new BudgetedClient(ScriptedClient.echo(MINI), budget, PRICES);
        // each call reserves 116 + 200 = 316 tokens but uses 15: many more fit than 1000 / 316
        for (int i = 0; i < 20; i++) {
            client.chat(request(200));
        }
        Spending s = budget.spending();
        assertThat(s.calls()).isEqualTo(20);
        assertThat(s.inputTokens()).isEqualTo(200);
        assertThat(s.outputTokens()).isEqualTo(100);
        assertThat(s.inFlight()).isZero();
        assertThat(s.reservedTokens()).isZero();
        assertThat(s.usd()).isCloseTo(20 * (10 * 0.25 + 5 * 2.0) / 1e6, within(1e-15));
        assertThat(budget.exhausted()).isFalse();
    }

    @Test
    void theDollarCapCountsPricedModelsOnly() {
        // gpt-5-mini: a call of 116 in and 1000 out reserves 0.000029 + 0.002 = $0.002029
        Budget budget = new Budget(OptionalDouble.of(0.003), OptionalLong.empty());
        ScriptedClient expensive = new ScriptedClient(MINI, (n, r) -> new ChatReply("x", new Usage(116, 1000), MINI.label(), Duration.ZERO));
        BudgetedClient mini = new BudgetedClient(expensive, budget, PRICES);
        BudgetedClient local = new BudgetedClient(ScriptedClient.echo(LOCAL), budget, PRICES);
        BudgetedClient mystery = new BudgetedClient(ScriptedClient.echo(MYSTERY), budget, PRICES);
        assertThat(mystery.quote().known()).isFalse();
        mini.chat(request(1000));
        assertThatThrownBy(() -> mini.chat(request(1000))).isInstanceOfSatisfying(LlmException.class,
                e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.BUDGET));
        assertThat(budget.exhausted()).isTrue();
        // free and unpriced models still run, and their tokens are counted
        local.chat(request(1000));
        mystery.chat(request(1000));
        Spending s = budget.spending();
        assertThat(s.usd()).isCloseTo(0.002029, within(1e-12));
        assertThat(s.models()).containsOnlyKeys("openai:gpt-5-mini", "ollama:qwen2.5-coder:7b", "anthropic:claude-mystery-9");
        assertThat(s.models().get("ollama:qwen2.5-coder:7b").tokens()).isEqualTo(15);
        assertThat(s.models().get("ollama:qwen2.5-coder:7b").priced()).isTrue();
        assertThat(s.models().get("anthropic:claude-mystery-9").usd()).isZero();
        assertThat(s.unpriced()).containsExactly("anthropic:claude-mystery-9");
        assertThat(s.refused()).isEqualTo(1);
    }

    @Test
    void failedCallsReleaseTheirReservationAndAreCounted() {
        Budget budget = tokens(400);
        ScriptedClient failing = new ScriptedClient(MINI, (n, r) -> {
            throw new LlmException(LlmException.Kind.SERVER, "openai gpt-5-mini: 503");
        });
        BudgetedClient client = new BudgetedClient(failing, budget, PRICES);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> client.chat(request(200))).isInstanceOfSatisfying(LlmException.class,
                    e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.SERVER));
        }
        Spending s = budget.spending();
        assertThat(s.calls()).isEqualTo(5);
        assertThat(s.failed()).isEqualTo(5);
        assertThat(s.tokens()).isZero();
        assertThat(s.inFlight()).isZero();
        assertThat(s.models().get("openai:gpt-5-mini").failed()).isEqualTo(5);
    }

    @Test
    void callsInFlightCountAgainstTheCap() throws Exception {
        int threads = 6;
        long perCall = 116 + 300;
        Budget budget = tokens(3 * perCall + perCall / 2);
        AtomicInteger entered = new AtomicInteger();
        CountDownLatch decided = new CountDownLatch(threads);
        CountDownLatch gate = new CountDownLatch(1);
        ScriptedClient blocking = new ScriptedClient(MINI, (n, r) -> {
            entered.incrementAndGet();
            decided.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return new ChatReply("done", new Usage(100, 50), MINI.label(), Duration.ZERO);
        });
        BudgetedClient client = new BudgetedClient(blocking, budget, PRICES);
        List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    try {
                        client.chat(request(300));
                    } catch (LlmException e) {
                        refusals.add(e.kind() + " " + e.getMessage());
                        decided.countDown();
                    }
                }));
            }
            try {
                // every thread has either entered the model (and waits at the gate) or been refused
                decided.await();
                Spending during = budget.spending();
                assertThat(entered.get()).isEqualTo(3);
                assertThat(during.inFlight()).isEqualTo(3);
                assertThat(during.reservedTokens()).isEqualTo(3 * perCall);
                assertThat(during.calls()).isZero();
                assertThat(refusals).hasSize(3).allSatisfy(m -> assertThat(m).startsWith("BUDGET").contains("3 calls in flight").contains("may fit"));
                assertThat(budget.exhausted()).isFalse();
            } finally {
                gate.countDown();
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        Spending after = budget.spending();
        assertThat(after.inFlight()).isZero();
        assertThat(after.reservedTokens()).isZero();
        assertThat(after.calls()).isEqualTo(3);
        assertThat(after.tokens()).isEqualTo(450);
        assertThat(after.refused()).isEqualTo(3);
        // with the reservations settled, the next call fits again
        client.chat(request(300));
        assertThat(budget.spending().calls()).isEqualTo(4);
    }

    @Test
    void manyThreadsNeverPassTheCapsWhenUsageIsWithinTheEstimate() throws Exception {
        Budget budget = new Budget(OptionalDouble.of(0.05), OptionalLong.of(200_000));
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        ScriptedClient inner = new ScriptedClient(MINI, (n, r) -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            SplittableRandom random = new SplittableRandom(n);
            long in = BudgetedClient.estimateInputTokens(r) - random.nextInt(10);
            long out = random.nextInt(r.maxOutputTokens() + 1);
            inFlight.decrementAndGet();
            return new ChatReply("r", new Usage(in, out), MINI.label(), Duration.ZERO);
        });
        BudgetedClient client = new BudgetedClient(inner, budget, PRICES);
        int threads = 16;
        int each = 60;
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        try {
                            client.chat(request(2000));
                            ok.incrementAndGet();
                        } catch (LlmException e) {
                            assertThat(e.kind()).isEqualTo(LlmException.Kind.BUDGET);
                            refused.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        Spending s = budget.spending();
        assertThat(ok.get() + refused.get()).isEqualTo(threads * each);
        assertThat(refused.get()).isPositive();
        assertThat(s.calls()).isEqualTo(ok.get());
        assertThat(s.refused()).isEqualTo(refused.get());
        assertThat(s.tokens()).isLessThanOrEqualTo(200_000);
        assertThat(s.usd()).isLessThanOrEqualTo(0.05 + 1e-12);
        assertThat(s.inFlight()).isZero();
        assertThat(s.reservedUsd()).isZero();
    }

    @Test
    void aResumedBudgetStartsFromWhatWasSpent() {
        Budget first = tokens(1000);
        BudgetedClient a = new BudgetedClient(ScriptedClient.echo(MINI), first, PRICES);
        BudgetedClient b = new BudgetedClient(ScriptedClient.echo(MYSTERY), first, PRICES);
        a.chat(request(100));
        a.chat(request(100));
        b.chat(request(100));
        String saved = first.spending().toJson();

        Spending prior = Spending.fromJson(saved);
        assertThat(prior).isEqualTo(first.spending());
        Budget resumed = Budget.resumed(OptionalDouble.empty(), OptionalLong.of(45 + 116 + 100), prior);
        assertThat(resumed.spending()).isEqualTo(first.spending());
        assertThat(resumed.spending().unpriced()).containsExactly("anthropic:claude-mystery-9");
        BudgetedClient again = new BudgetedClient(ScriptedClient.echo(MINI), resumed, PRICES);
        again.chat(request(100));
        assertThatThrownBy(() -> again.chat(request(100))).isInstanceOf(LlmException.class);
        assertThat(resumed.spending().calls()).isEqualTo(4);
        assertThatThrownBy(() -> Spending.fromJson("{\"version\":2}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReservationIsSettledOnce() {
        Budget budget = Budget.unlimited();
        Budget.Reservation r = budget.reserve(PRICES.quote(MINI), 10, 10);
        r.commit(new Usage(1, 1));
        assertThatThrownBy(r::fail).isInstanceOf(IllegalStateException.class).hasMessageContaining("already settled");
        assertThat(budget.spending().calls()).isEqualTo(1);
        assertThatThrownBy(() -> new Budget(OptionalDouble.of(-1), OptionalLong.empty())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void composesWithRecordingAndReplayingAndPassesExchangeIdsThrough(@TempDir Path dir) {
        Budget budget = tokens(116 + 100 + 3 * 15 - 1);
        ScriptedClient inner = ScriptedClient.echo(MINI);
        List<String> ids = new ArrayList<>();
        try (Cassette cassette = Cassette.open(dir)) {
            BudgetedClient client = new BudgetedClient(new RecordingClient(inner, cassette), budget, PRICES);
            ids.add(client.chatRecorded(request(100)).exchangeId());
            ids.add(client.chatRecorded(request(100)).exchangeId());
            ids.add(client.chatRecorded(request(100)).exchangeId());
            // refused before any exchange: nothing reaches the inner client or the cassette
            assertThatThrownBy(() -> client.chatRecorded(request(100))).isInstanceOfSatisfying(LlmException.class,
                    e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.BUDGET));
            assertThat(cassette.size()).isEqualTo(3);
            assertThat(inner.calls()).isEqualTo(3);
        }
        assertThat(ids).doesNotHaveDuplicates();

        Budget replayBudget = tokens(1000);
        BudgetedClient replay = new BudgetedClient(new ReplayingClient(Cassette.openReadOnly(dir), MINI), replayBudget, PRICES);
        assertThat(replay.chatRecorded(request(100)).exchangeId()).isEqualTo(ids.get(0));
        assertThat(replay.chat(request(100)).text()).isEqualTo("reply 1 to " + "u".repeat(200));
        assertThat(replayBudget.spending().tokens()).isEqualTo(30);

        BudgetedClient plain = new BudgetedClient(inner, tokens(1000), PRICES);
        assertThatThrownBy(() -> plain.chatRecorded(request(100))).isInstanceOf(IllegalStateException.class).hasMessageContaining("does not record");
    }

    @Test
    void aRecordedFailureReleasesItsReservation(@TempDir Path dir) {
        Budget budget = tokens(10_000);
        ScriptedClient failing = new ScriptedClient(MINI, (n, r) -> {
            throw new LlmException(LlmException.Kind.MALFORMED, "openai gpt-5-mini: no choices");
        });
        try (Cassette cassette = Cassette.open(dir)) {
            BudgetedClient client = new BudgetedClient(new RecordingClient(failing, cassette), budget, PRICES);
            Cassette.Recorded r = client.chatRecorded(request(100));
            assertThat(r.failure()).isPresent();
            assertThatThrownBy(r::replyOrThrow).isInstanceOf(LlmException.class).hasMessageContaining("no choices");
        }
        assertThat(budget.spending().failed()).isEqualTo(1);
        assertThat(budget.spending().inFlight()).isZero();
    }
}
