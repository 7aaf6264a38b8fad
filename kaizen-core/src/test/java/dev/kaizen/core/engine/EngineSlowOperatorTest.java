package dev.kaizen.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.archive.MemoryArchive;
import dev.kaizen.core.operator.Deferred;
import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.operator.Operators;
import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.operator.ProposalContext;
import dev.kaizen.core.program.Code;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Operators that wait on something slow (a model) are made on worker threads, several at once,
 * while the run stays reproducible from its seed and the engine's bookkeeping stays on its thread.
 */
class EngineSlowOperatorTest {

    /**
     * A slow operator: on the engine's thread it picks a line and a new value from the run's random
     * stream; on a worker thread it sleeps a random while (from a source outside the run, so
     * proposals finish in a different order every time) and makes the child.
     */
    static final class SlowNudge implements Operator {
        final AtomicInteger making = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final List<String> settledOn = Collections.synchronizedList(new ArrayList<>());
        final List<Long> settleOrder = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger started = new AtomicInteger();
        volatile CountDownLatch firstWaitsForSecond;
        volatile BiFunction<Code, Code, Optional<Code>> override;
        volatile RuntimeException failWith;

        @Override
        public String name() {
            return "slow.nudge";
        }

        @Override
        public boolean slow() {
            return true;
        }

        @Override
        public Optional<Proposal> propose(ProposalContext context) {
            Deferred d = start(context);
            Optional<Proposal> p = d.make();
            d.settle();
            return p;
        }

        @Override
        public Deferred start(ProposalContext context) {
            long n = started.getAndIncrement();
            Code parent = context.parent().code();
            String region = parent.regions().firstKey();
            List<String> lines = new ArrayList<>(parent.lines(region));
            int line = context.random().nextInt(lines.size());
            double value = Math.round(context.random().nextDouble(0, 1.4) * 100) / 100.0;
            return new Deferred() {
                @Override
                public Optional<Proposal> make() {
                    int now = making.incrementAndGet();
                    mostAtOnce.accumulateAndGet(now, Math::max);
                    try {
                        CountDownLatch latch = firstWaitsForSecond;
                        if (latch != null) {
                            latch.countDown();
                            if (n == 0) {
                                latch.await(10, TimeUnit.SECONDS);
                            }
                        }
                        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 6));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        making.decrementAndGet();
                    }
                    if (failWith != null) {
                        throw failWith;
                    }
                    String name = lines.get(line).split("=")[0].strip();
                    lines.set(line, name + " = " + String.format(Locale.ROOT, "%.2f", value));
                    Code child = parent.withLines(region, lines);
                    if (override != null) {
                        Optional<Code> o = override.apply(parent, child);
                        return o.map(c -> new Proposal(c, "constant"));
                    }
                    return Optional.of(new Proposal(child, "set " + name + " to " + value));
                }

                @Override
                public void settle() {
                    settledOn.add(Thread.currentThread().getName());
                    settleOrder.add(n);
                }
            };
        }
    }

    private static Engine.Builder engine(QuadraticTarget evaluator, MemoryArchive archive, Operator... ops) {
        return Engine.builder()
                .target(QuadraticTarget.target())
                .evaluator(evaluator)
                .archive(archive)
                .operators(List.of(ops))
                .limits(Limits.evaluations(60))
                .seed(3);
    }

    @Test
    void proposals_of_a_slow_operator_are_made_several_at_once() {
        SlowNudge slow = new SlowNudge();
        // the first proposal waits until a second one is being made: an engine that made them one
        // after another would let it wait 10 s and the count would stay at 1
        slow.firstWaitsForSecond = new CountDownLatch(2);
        RunSummary summary = engine(new QuadraticTarget(), new MemoryArchive(1), slow).parallelism(4).build().run();

        assertThat(summary.reason()).isEqualTo(StopReason.EVALUATION_BUDGET);
        assertThat(slow.mostAtOnce.get()).isGreaterThan(1);
    }

    @Test
    void the_engine_settles_slow_proposals_on_its_own_thread_in_the_order_they_were_started() {
        SlowNudge slow = new SlowNudge();
        engine(new QuadraticTarget(), new MemoryArchive(1), slow).parallelism(4).build().run();

        assertThat(slow.settleOrder).isNotEmpty();
        assertThat(slow.settleOrder).isSorted().doesNotHaveDuplicates().hasSize(slow.started.get());
        assertThat(slow.settledOn).noneMatch(name -> name.startsWith("kaizen-eval"));
    }

    @Test
    void a_run_with_slow_proposals_finishing_in_any_order_is_reproducible_from_its_seed() {
        List<String> first = history(runMixed(21));
        List<String> second = history(runMixed(21));
        List<String> other = history(runMixed(22));

        assertThat(first).hasSize(80);
        assertThat(first).anyMatch(h -> h.endsWith("slow.nudge")).anyMatch(h -> !h.endsWith("slow.nudge") && !h.endsWith("seed"));
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    private static MemoryArchive runMixed(long seed) {
        List<Operator> ops = new ArrayList<>(Operators.offline());
        ops.add(new SlowNudge());
        MemoryArchive archive = new MemoryArchive(2);
        Engine.builder().target(QuadraticTarget.target()).evaluator(new QuadraticTarget()).archive(archive).operators(ops)
                .strategy(Strategy.defaults().withIslands(2)).limits(Limits.evaluations(80)).seed(seed).parallelism(4).build().run();
        return archive;
    }

    private static List<String> history(MemoryArchive archive) {
        return archive.history(0, 10_000).stream()
                .map(c -> c.seq() + ":" + c.id().shortHex() + ":" + c.parents() + ":" + c.description() + ":" + c.operator()).toList();
    }

    /** Makes every proposal {@code slow} makes from the seed the same program, and returns it. */
    private static Code sameFromSeed(SlowNudge slow) {
        Code seed = QuadraticTarget.target().blueprint().seed();
        Code constant = seed.withRegion(seed.regions().firstKey(), "a = 0.7\nb = 0.7\nc = 0.7\nd = 0.5\n");
        slow.override = (parent, child) -> Optional.of(parent.equals(seed) ? constant : child);
        return constant;
    }

    @Test
    void a_program_made_twice_at_once_is_evaluated_once() {
        SlowNudge slow = new SlowNudge();
        // the first four proposals are made from the seed at once, all of the same program
        Code constant = sameFromSeed(slow);
        QuadraticTarget evaluator = new QuadraticTarget();
        MemoryArchive archive = new MemoryArchive(1);
        RecordingLedger ledger = new RecordingLedger();
        RunSummary summary = engine(evaluator, archive, slow).parallelism(4).ledger(ledger).build().run();

        assertThat(summary.evaluations()).isEqualTo(60);
        assertThat(evaluator.duplicates.get()).as("programs evaluated twice").isZero();
        assertThat(archive.history(0, 100)).filteredOn(c -> c.id().equals(constant.id())).hasSize(1);
        assertThat(ledger.of("proposal.skipped")).anySatisfy(e -> assertThat((String) e.data().get("reason")).startsWith("duplicate of " + constant.id().shortHex()));
    }

    @Test
    void a_resumed_run_does_not_evaluate_again_what_an_earlier_session_stored() {
        SlowNudge slow = new SlowNudge();
        Code constant = sameFromSeed(slow);
        QuadraticTarget evaluator = new QuadraticTarget();
        MemoryArchive archive = new MemoryArchive(1);
        engine(evaluator, archive, slow).limits(Limits.evaluations(20)).parallelism(3).build().run();
        assertThat(archive.contains(constant.id())).isTrue();

        RunSummary resumed = engine(evaluator, archive, slow).limits(Limits.evaluations(60)).parallelism(3).build().run();

        assertThat(resumed.evaluations()).isEqualTo(60);
        assertThat(evaluator.duplicates.get()).as("programs evaluated twice over both sessions").isZero();
    }

    @Test
    void a_slow_operator_that_keeps_failing_stops_the_run_with_its_last_error() {
        SlowNudge slow = new SlowNudge();
        slow.failWith = new IllegalStateException("openai gpt-x: connection refused");
        RecordingLedger ledger = new RecordingLedger();
        MemoryArchive archive = new MemoryArchive(1);
        RunSummary summary = engine(new QuadraticTarget(), archive, slow).parallelism(3).ledger(ledger).build().run();

        assertThat(summary.reason()).isEqualTo(StopReason.OPERATORS_FAILED);
        assertThat(summary.detail()).contains(Engine.MAX_CONSECUTIVE_FAILURES + " failures in a row")
                .contains("slow.nudge: operator failed: IllegalStateException: openai gpt-x: connection refused");
        assertThat(archive.size()).as("only the seed").isEqualTo(1);
        assertThat(ledger.of("proposal.skipped")).hasSizeBetween(Engine.MAX_CONSECUTIVE_FAILURES, Engine.MAX_CONSECUTIVE_FAILURES + 3)
                .allSatisfy(e -> assertThat((String) e.data().get("reason")).contains("connection refused"));
    }

    @Test
    void a_slow_operator_that_throws_an_error_is_a_failed_proposal_not_a_hung_run() {
        SlowNudge slow = new SlowNudge();
        slow.failWith = null;
        slow.override = (parent, child) -> {
            throw new AssertionError("model client bug");
        };
        RunSummary summary = engine(new QuadraticTarget(), new MemoryArchive(1), slow).parallelism(2).build().run();
        assertThat(summary.reason()).isEqualTo(StopReason.OPERATORS_FAILED);
        assertThat(summary.detail()).contains("AssertionError: model client bug");
    }

    @Test
    void failures_interleaved_with_successes_do_not_stop_the_run() {
        SlowNudge slow = new SlowNudge();
        AtomicInteger n = new AtomicInteger();
        slow.override = (parent, child) -> {
            if (n.incrementAndGet() % 2 == 0) {
                throw new IllegalStateException("every other reply is garbage");
            }
            return Optional.of(child);
        };
        RunSummary summary = engine(new QuadraticTarget(), new MemoryArchive(1), slow).parallelism(2).build().run();
        assertThat(summary.reason()).isEqualTo(StopReason.EVALUATION_BUDGET);
        assertThat(summary.evaluations()).isEqualTo(60);
    }

    @Test
    void a_spending_cap_stops_the_run_with_its_own_reason() {
        SlowNudge slow = new SlowNudge();
        MemoryArchive archive = new MemoryArchive(1);
        RunSummary summary = engine(new QuadraticTarget(), archive, slow).parallelism(3)
                .spendingLimit(() -> slow.started.get() >= 10 ? Optional.of("llm budget: $1.00 of $1.00 spent") : Optional.empty())
                .build().run();

        assertThat(summary.reason()).isEqualTo(StopReason.SPENDING_LIMIT);
        assertThat(summary.detail()).isEqualTo("llm budget: $1.00 of $1.00 spent");
        assertThat(slow.started.get()).as("nothing started after the cap").isEqualTo(10);
        assertThat(archive.size()).isBetween(2L, 11L);
    }

    @Test
    void a_spending_cap_reached_while_several_proposals_start_at_once_lets_no_more_start() {
        SlowNudge slow = new SlowNudge();
        // after the seed, three proposals would start at once; the cap is reached after two
        RunSummary summary = engine(new QuadraticTarget(), new MemoryArchive(1), slow).parallelism(3)
                .spendingLimit(() -> slow.started.get() >= 2 ? Optional.of("spent") : Optional.empty())
                .build().run();

        assertThat(summary.reason()).isEqualTo(StopReason.SPENDING_LIMIT);
        assertThat(slow.started.get()).isEqualTo(2);
    }

    @Test
    void a_slow_proposal_is_in_the_ledger_before_its_evaluation() {
        RecordingLedger ledger = new RecordingLedger();
        MemoryArchive archive = new MemoryArchive(1);
        engine(new QuadraticTarget(), archive, new SlowNudge()).parallelism(4).ledger(ledger).build().run();

        for (Candidate c : archive.history(1, 100)) {
            int proposal = -1;
            int evaluation = -1;
            List<RecordingLedger.Entry> entries = ledger.entries();
            for (int i = 0; i < entries.size(); i++) {
                if (c.id().hex().equals(entries.get(i).data().get("id"))) {
                    if (entries.get(i).type().equals("proposal") && proposal < 0) {
                        proposal = i;
                    } else if (entries.get(i).type().equals("evaluation")) {
                        evaluation = i;
                    }
                }
            }
            assertThat(proposal).as("proposal entry of #%d", c.seq()).isNotNegative().isLessThan(evaluation);
            assertThat(entries.get(proposal).data().get("operator")).isEqualTo("slow.nudge");
            assertThat(entries.get(proposal).data().get("patch")).asString().isNotEmpty();
        }
    }
}
