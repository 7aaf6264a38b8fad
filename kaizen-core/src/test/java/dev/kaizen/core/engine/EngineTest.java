package dev.kaizen.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.archive.MemoryArchive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EngineTest {

    private static Engine.Builder engine(QuadraticTarget evaluator, MemoryArchive archive) {
        return Engine.builder()
                .target(QuadraticTarget.target())
                .evaluator(evaluator)
                .archive(archive)
                .strategy(Strategy.defaults().withIslands(2))
                .limits(Limits.evaluations(300))
                .seed(11);
    }

    @Test
    void improves_on_the_seed_with_offline_operators() {
        QuadraticTarget evaluator = new QuadraticTarget();
        MemoryArchive archive = new MemoryArchive(2);
        RunSummary summary = engine(evaluator, archive).build().run();

        assertThat(summary.reason()).isEqualTo(StopReason.EVALUATION_BUDGET);
        assertThat(summary.evaluations()).isEqualTo(300);
        double seedScore = summary.seed().orElseThrow().evaluation().metrics().get("score");
        double bestScore = summary.best().orElseThrow().evaluation().metrics().get("score");
        assertThat(seedScore).isCloseTo(-1.29, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(bestScore).isGreaterThan(-0.2);
    }

    @Test
    void children_are_evaluated_with_their_parent_as_reference() {
        java.util.List<String> mismatches = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger withParent = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger withoutParent = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Map<String, java.util.Map<String, Double>> scored = new java.util.concurrent.ConcurrentHashMap<>();
        QuadraticTarget inner = new QuadraticTarget();
        dev.kaizen.core.eval.Evaluator recording = new dev.kaizen.core.eval.Evaluator() {
            public dev.kaizen.core.eval.Evaluation evaluate(dev.kaizen.core.program.Code code, String label) {
                withoutParent.incrementAndGet();
                return remember(code, inner.evaluate(code, label));
            }

            public dev.kaizen.core.eval.Evaluation evaluate(dev.kaizen.core.program.Code code, String label, dev.kaizen.core.eval.Reference parent) {
                withParent.incrementAndGet();
                java.util.Map<String, Double> known = scored.get(parent.code().id().hex());
                if (known == null || !known.equals(parent.metrics())) {
                    mismatches.add(label + ": parent " + parent.code().id().shortHex() + " metrics " + parent.metrics() + " vs evaluated " + known);
                }
                return remember(code, inner.evaluate(code, label));
            }

            private dev.kaizen.core.eval.Evaluation remember(dev.kaizen.core.program.Code code, dev.kaizen.core.eval.Evaluation e) {
                scored.put(code.id().hex(), e.metrics());
                return e;
            }

            public String describe() {
                return "recording";
            }
        };
        Engine.builder().target(QuadraticTarget.target()).evaluator(recording).archive(new MemoryArchive(1))
                .limits(Limits.evaluations(60)).seed(5).parallelism(2).build().run();

        assertThat(withoutParent.get()).as("only the seed has no parent").isEqualTo(1);
        assertThat(withParent.get()).isEqualTo(59);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void never_evaluates_the_same_program_twice() {
        QuadraticTarget evaluator = new QuadraticTarget();
        engine(evaluator, new MemoryArchive(2)).parallelism(3).build().run();
        assertThat(evaluator.calls.get()).isEqualTo(300);
        assertThat(evaluator.duplicates.get()).isZero();
    }

    @Test
    void same_seed_gives_the_same_run_even_with_evaluations_in_parallel() {
        List<String> first = history(runWith(11, 3));
        List<String> second = history(runWith(11, 3));
        List<String> other = history(runWith(12, 3));
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void neighbouring_seeds_explore_different_programs() {
        List<java.util.Set<String>> runs = new ArrayList<>();
        for (long seed = 1; seed <= 4; seed++) {
            runs.add(archiveIds(runWith(seed, 1)));
        }
        for (int i = 1; i < runs.size(); i++) {
            java.util.Set<String> shared = new java.util.HashSet<>(runs.get(i));
            shared.retainAll(runs.get(i - 1));
            // the seed and a few obvious first edits may coincide; whole runs must not
            assertThat(shared.size()).as("programs shared by seeds %d and %d", i, i + 1).isLessThan(runs.get(i).size() / 4);
        }
    }

    private static java.util.Set<String> archiveIds(MemoryArchive archive) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        archive.history(0, 10_000).forEach(c -> ids.add(c.id().hex()));
        return ids;
    }

    private static MemoryArchive runWith(long seed, int parallelism) {
        MemoryArchive archive = new MemoryArchive(2);
        engine(new QuadraticTarget(), archive).seed(seed).parallelism(parallelism).limits(Limits.evaluations(120)).build().run();
        return archive;
    }

    private static List<String> history(MemoryArchive archive) {
        return archive.history(0, 10_000).stream().map(c -> c.seq() + ":" + c.id().shortHex() + ":" + c.operator()).toList();
    }

    @Test
    void resuming_carries_on_from_the_archive_without_double_counting() {
        QuadraticTarget evaluator = new QuadraticTarget();
        MemoryArchive archive = new MemoryArchive(2);
        RunSummary first = engine(evaluator, archive).limits(Limits.evaluations(100)).build().run();
        RunSummary second = engine(evaluator, archive).limits(Limits.evaluations(250)).build().run();

        assertThat(first.evaluations()).isEqualTo(100);
        assertThat(second.evaluations()).isEqualTo(250);
        assertThat(second.sessionEvaluations()).isEqualTo(150);
        assertThat(evaluator.calls.get()).isEqualTo(250);
        assertThat(evaluator.duplicates.get()).isZero();
        assertThat(second.best().orElseThrow().fitness()).isGreaterThanOrEqualTo(first.best().orElseThrow().fitness());
    }

    @Test
    void stops_when_the_target_score_is_reached() {
        RunSummary summary = engine(new QuadraticTarget(), new MemoryArchive(2))
                .limits(Limits.evaluations(5_000).withTarget(-0.5)).build().run();
        assertThat(summary.reason()).isEqualTo(StopReason.TARGET_REACHED);
        assertThat(summary.best().orElseThrow().evaluation().metrics().get("score")).isGreaterThanOrEqualTo(-0.5);
        assertThat(summary.evaluations()).isLessThan(5_000);
    }

    @Test
    void stops_on_request_after_finishing_what_is_in_flight() {
        AtomicInteger events = new AtomicInteger();
        MemoryArchive archive = new MemoryArchive(2);
        RunSummary summary = engine(new QuadraticTarget(), archive)
                .parallelism(2)
                .listener(e -> {
                    if (e instanceof EngineEvent.Evaluated) {
                        events.incrementAndGet();
                    }
                })
                .stopWhen(() -> events.get() >= 20)
                .build().run();
        assertThat(summary.reason()).isEqualTo(StopReason.STOPPED);
        assertThat(summary.evaluations()).isBetween(20L, 22L).isEqualTo(archive.size());
    }

    @Test
    void a_failing_seed_ends_the_run_with_the_reason() {
        QuadraticTarget evaluator = new QuadraticTarget();
        evaluator.failSeed = true;
        RunSummary summary = engine(evaluator, new MemoryArchive(2)).build().run();
        assertThat(summary.reason()).isEqualTo(StopReason.SEED_FAILED);
        assertThat(summary.detail()).contains("incorrect").contains("seed is broken on purpose");
        assertThat(summary.evaluations()).isEqualTo(1);
    }

    @Test
    void an_evaluator_that_throws_becomes_a_crashed_outcome_and_the_run_goes_on() {
        QuadraticTarget evaluator = new QuadraticTarget();
        evaluator.throwOn = new IllegalStateException("disk on fire");
        MemoryArchive archive = new MemoryArchive(2);
        RunSummary summary = engine(evaluator, archive).limits(Limits.evaluations(20)).build().run();
        assertThat(summary.evaluations()).isEqualTo(20);
        List<Candidate> all = archive.history(0, 100);
        assertThat(all.subList(1, all.size())).allSatisfy(c -> {
            assertThat(c.evaluation().outcome().kind()).isEqualTo("crashed");
            assertThat(c.evaluation().outcome().reason()).contains("disk on fire");
        });
        assertThat(summary.outcomes()).containsEntry("crashed", 19L);
    }

    @Test
    void every_evaluation_and_proposal_reaches_the_ledger() {
        RecordingLedger recording = new RecordingLedger();
        engine(new QuadraticTarget(), new MemoryArchive(2)).ledger(recording).limits(Limits.evaluations(50)).build().run();
        List<String> types = recording.types();
        assertThat(types.get(0)).isEqualTo("run.start");
        assertThat(types.get(types.size() - 1)).isEqualTo("run.stop");
        assertThat(types.stream().filter("evaluation"::equals).count()).isEqualTo(50);
        assertThat(types.stream().filter("proposal"::equals).count()).isEqualTo(50);
    }

    @Test
    void rejects_a_strategy_that_weighs_an_unknown_operator() {
        assertThatThrownBy(() -> engine(new QuadraticTarget(), new MemoryArchive(2))
                .strategy(Strategy.defaults().withIslands(2).withOperatorWeights(Map.of("line.teleport", 1.0))).build())
                .hasMessageContaining("unknown operator 'line.teleport'");
    }

    @Test
    void rejects_an_archive_with_another_island_count() {
        assertThatThrownBy(() -> engine(new QuadraticTarget(), new MemoryArchive(3)).build())
                .hasMessageContaining("3 islands").hasMessageContaining("asks for 2");
    }
}
