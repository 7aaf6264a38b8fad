package dev.kaizen.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.archive.MemoryArchive;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Evaluator;
import dev.kaizen.core.guard.GuardPolicy;
import dev.kaizen.core.guard.MetricRange;
import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.operator.ProposalContext;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineGuardTest {

    private static final String REGION = "values.txt#1";

    /** Proposes the given children of whatever parent it is handed, in order, then nothing. */
    static final class Scripted implements Operator {
        private final List<Function<Code, Code>> edits;
        private int next;

        Scripted(List<Function<Code, Code>> edits) {
            this.edits = edits;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public Optional<Proposal> propose(ProposalContext context) {
            if (next >= edits.size()) {
                return Optional.empty();
            }
            return Optional.of(new Proposal(edits.get(next++).apply(context.parent().code()), "scripted edit " + next));
        }
    }

    private static Code withExtraRegion(Code c) {
        Map<String, String> m = new TreeMap<>(c.regions());
        m.put("values.txt#2", "e = 0.5\n");
        return Code.of(m);
    }

    @Test
    void refused_proposals_are_not_evaluated_but_stored_and_logged_as_rejected() {
        QuadraticTarget evaluator = new QuadraticTarget();
        MemoryArchive archive = new MemoryArchive(1);
        RecordingLedger ledger = new RecordingLedger();
        Scripted op = new Scripted(List.of(
                c -> c.withRegion(REGION, c.region(REGION) + "# EVOLVE-BLOCK-END\nimport os\n"),
                EngineGuardTest::withExtraRegion,
                c -> c.withRegion(REGION, "a = 0.7\nb = 0.7\nc = 0.7\nd = 0.7"),
                c -> c.withRegion(REGION, "a = 0.7\nb = 0.2\nc = 1.5\nd = 0.9\n"),
                c -> c.withRegion(REGION, "a = 0.7\n".repeat(2_000)),
                c -> c.withRegion(REGION, "a = 0.7\nb = 0.7\nc = 0.7\nd = 0.7\nx = 1\ny = 2\n")));
        RunSummary summary = Engine.builder().target(QuadraticTarget.target()).evaluator(evaluator).archive(archive).ledger(ledger)
                .operators(List.of(op)).limits(Limits.evaluations(7)).guard(GuardPolicy.defaults().withMaxChangedLines(5)).seed(3)
                .build().run();

        assertThat(summary.evaluations()).isEqualTo(7);
        assertThat(evaluator.calls.get()).as("only the seed and the one acceptable child ran").isEqualTo(2);
        List<Candidate> all = archive.history(0, 100);
        List<String> outcomes = all.stream().map(c -> c.evaluation().outcome().kind() + ": " + c.evaluation().outcome().reason()).toList();
        assertThat(outcomes).containsExactly(
                "passed: ",
                "rejected: guard: region values.txt#1 contains the marker EVOLVE-BLOCK-END",
                "rejected: guard: the proposal adds region values.txt#2, which the target does not have (its regions: values.txt#1)",
                "rejected: guard: region values.txt#1 does not end with a line break, so its last line would join the EVOLVE-BLOCK-END marker line",
                "passed: ",
                "rejected: guard: region values.txt#1 has 16000 characters, over the limit of 4224 (4 x its seed's 32 + 4096)",
                "rejected: guard: the proposal changes 8 lines, over the limit of 5 (guard.max_changed_lines)");
        assertThat(all).filteredOn(c -> c.evaluation().outcome().kind().equals("rejected")).allSatisfy(c -> {
            assertThat(c.evaluation().stage()).isEqualTo("guard");
            assertThat(c.evaluation().feedback()).startsWith("refused before it ran: ");
            assertThat(c.operator()).isEqualTo("scripted");
            assertThat(c.feasible()).isFalse();
        });
        assertThat(summary.outcomes()).containsEntry("rejected", 5L).containsEntry("passed", 2L);

        List<RecordingLedger.Entry> evaluations = ledger.of("evaluation");
        assertThat(evaluations).hasSize(7);
        assertThat(evaluations.stream().filter(e -> "rejected".equals(e.data().get("outcome"))).map(e -> (String) e.data().get("reason")))
                .hasSize(5).allSatisfy(r -> assertThat(r).startsWith("guard: "));
        assertThat(ledger.of("proposal")).hasSize(7);
        Map<?, ?> bandit = (Map<?, ?>) ledger.of("run.stop").get(0).data().get("operators");
        assertThat(((Map<?, ?>) bandit.get("scripted")).get("proposed")).isEqualTo(6L);
        Map<?, ?> guard = (Map<?, ?>) ledger.of("run.start").get(0).data().get("guard");
        assertThat(guard.get("max_changed_lines")).isEqualTo(5);
    }

    @Test
    void a_protected_file_changed_by_an_evaluation_stops_the_run_with_a_violation(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("kaizen.yaml"), "files: [values.txt]\n");
        Files.createDirectories(root.resolve("tests"));
        Path test = root.resolve("tests/check.py");
        Files.writeString(test, "assert score < 0\n");
        Target base = QuadraticTarget.target();
        Target target = new Target(base.name(), "", root, base.blueprint(), base.objective(), base.features());
        QuadraticTarget inner = new QuadraticTarget();
        AtomicInteger calls = new AtomicInteger();
        Evaluator tampering = new Evaluator() {
            @Override
            public Evaluation evaluate(Code code, String label) {
                if (calls.incrementAndGet() == 4) {
                    try {
                        Files.writeString(test, "pass\n");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return inner.evaluate(code, label);
            }

            @Override
            public String describe() {
                return "tampers with a test on its fourth call";
            }
        };
        MemoryArchive archive = new MemoryArchive(1);
        RecordingLedger ledger = new RecordingLedger();
        RunSummary summary = Engine.builder().target(target).evaluator(tampering).archive(archive).ledger(ledger)
                .guard(GuardPolicy.defaults().withProtect(List.of("kaizen.yaml", "tests/**"))).limits(Limits.evaluations(50)).seed(1)
                .build().run();

        assertThat(summary.reason()).isEqualTo(StopReason.PROTECTED_FILE_CHANGED);
        assertThat(summary.detail()).contains("tests/check.py").contains("Restore");
        assertThat(summary.evaluations()).isEqualTo(4).isEqualTo(archive.size());
        List<Candidate> all = archive.history(0, 100);
        assertThat(all.subList(0, 3)).allSatisfy(c -> assertThat(c.evaluation().outcome().kind()).isNotEqualTo("violation"));
        Candidate culprit = all.get(3);
        assertThat(culprit.evaluation().outcome().kind()).isEqualTo("violation");
        assertThat(culprit.evaluation().outcome().reason()).isEqualTo("modified protected file tests/check.py");
        assertThat(culprit.evaluation().feedback()).startsWith("the evaluation was ");
        assertThat(summary.outcomes()).containsEntry("violation", 1L);

        assertThat(ledger.of("evaluation")).hasSize(4);
        RecordingLedger.Entry last = ledger.entries().get(ledger.entries().size() - 1);
        assertThat(last.type()).isEqualTo("run.stop");
        assertThat(last.data().get("reason")).isEqualTo("protected_file_changed");
        assertThat(ledger.of("evaluation").get(3).data()).containsEntry("outcome", "violation").containsEntry("reason", "modified protected file tests/check.py");
        assertThat(archive.meta("ledger")).hasValue(ledger.size() + ":" + ledger.head());
        assertThat(((Map<?, ?>) ledger.of("run.start").get(0).data().get("guard")).get("protected_files")).isEqualTo(2);
    }

    @Test
    void with_parallel_evaluations_every_suspect_is_a_violation_and_nothing_in_flight_is_lost(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("kaizen.yaml"), "files: [values.txt]\n");
        Target base = QuadraticTarget.target();
        Target target = new Target(base.name(), "", root, base.blueprint(), base.objective(), base.features());
        QuadraticTarget inner = new QuadraticTarget();
        AtomicInteger calls = new AtomicInteger();
        Set<String> culprit = ConcurrentHashMap.newKeySet();
        Evaluator tampering = new Evaluator() {
            @Override
            public Evaluation evaluate(Code code, String label) {
                if (calls.incrementAndGet() == 10) {
                    culprit.add(code.id().hex());
                    try {
                        Files.writeString(root.resolve("kaizen.yaml"), "files: [other.txt]\n");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return inner.evaluate(code, label);
            }

            @Override
            public String describe() {
                return "tampers on its tenth call";
            }
        };
        MemoryArchive archive = new MemoryArchive(1);
        RunSummary summary = Engine.builder().target(target).evaluator(tampering).archive(archive).parallelism(4)
                .guard(GuardPolicy.defaults().withProtect(List.of("kaizen.yaml"))).limits(Limits.evaluations(100)).seed(2)
                .build().run();

        assertThat(summary.reason()).isEqualTo(StopReason.PROTECTED_FILE_CHANGED);
        assertThat(archive.size()).as("every evaluation that ran is stored").isEqualTo(calls.get()).isLessThan(100);
        List<Candidate> all = archive.history(0, 1000);
        Candidate tamperer = all.stream().filter(c -> culprit.contains(c.id().hex())).findFirst().orElseThrow();
        assertThat(tamperer.evaluation().outcome().kind()).isEqualTo("violation");
        assertThat(all).filteredOn(c -> c.evaluation().outcome().kind().equals("violation"))
                .allSatisfy(c -> assertThat(c.evaluation().outcome().reason()).startsWith("modified protected file kaizen.yaml"));
    }

    @Test
    void metrics_that_cannot_be_trusted_make_an_evaluation_invalid() {
        QuadraticTarget inner = new QuadraticTarget();
        AtomicInteger calls = new AtomicInteger();
        Evaluator noisy = new Evaluator() {
            @Override
            public Evaluation evaluate(Code code, String label) {
                Evaluation real = inner.evaluate(code, label);
                int n = calls.incrementAndGet();
                if (!real.passed() || n == 1) {
                    return real;
                }
                return switch (n % 5) {
                    case 0 -> Evaluation.passed(Map.of("score", Double.NaN), "nan", "evaluate", Duration.ZERO);
                    case 1 -> Evaluation.passed(Map.of("score", Double.POSITIVE_INFINITY), "", "evaluate", Duration.ZERO);
                    case 2 -> Evaluation.passed(Map.of("score", Double.NEGATIVE_INFINITY), "", "evaluate", Duration.ZERO);
                    case 3 -> Evaluation.passed(Map.of("score", 1.0E9), "", "evaluate", Duration.ZERO);
                    default -> real;
                };
            }

            @Override
            public String describe() {
                return "noisy";
            }
        };
        MemoryArchive archive = new MemoryArchive(1);
        RecordingLedger ledger = new RecordingLedger();
        Engine.builder().target(QuadraticTarget.target()).evaluator(noisy).archive(archive).ledger(ledger)
                .metricRanges(Map.of("score", new MetricRange(-100, 0))).limits(Limits.evaluations(60)).seed(4).build().run();

        List<Candidate> all = archive.history(0, 100);
        Set<String> reasons = ConcurrentHashMap.newKeySet();
        all.stream().filter(c -> c.evaluation().outcome().kind().equals("invalid")).forEach(c -> reasons.add(c.evaluation().outcome().reason()));
        assertThat(reasons).containsExactlyInAnyOrder("metric 'score' is NaN", "metric 'score' is +Infinity", "metric 'score' is -Infinity",
                "metric 'score' = 1.0E9 is outside the declared range [-100, 0]");
        assertThat(all).filteredOn(Candidate::feasible).isNotEmpty()
                .allSatisfy(c -> assertThat(c.evaluation().metrics().get("score")).isBetween(-100.0, 0.0));
        assertThat(all).allSatisfy(c -> assertThat(c.evaluation().finite()).isTrue());
        assertThat(ledger.of("evaluation")).filteredOn(e -> "invalid".equals(e.data().get("outcome"))).isNotEmpty()
                .allSatisfy(e -> assertThat((String) e.data().get("reason")).startsWith("metric 'score'"));
        assertThat(all).filteredOn(c -> "nan".equals(c.evaluation().feedback())).allSatisfy(c -> assertThat(c.evaluation().outcome().kind()).isEqualTo("invalid"));
    }

    @Test
    void a_seed_without_its_primary_metric_fails_as_invalid() {
        Evaluator missing = new Evaluator() {
            @Override
            public Evaluation evaluate(Code code, String label) {
                return Evaluation.passed(Map.of("runtime_ms", 3.0), "", "evaluate", Duration.ZERO);
            }

            @Override
            public String describe() {
                return "reports no score";
            }
        };
        RunSummary summary = Engine.builder().target(QuadraticTarget.target()).evaluator(missing).archive(new MemoryArchive(1))
                .limits(Limits.evaluations(5)).build().run();
        assertThat(summary.reason()).isEqualTo(StopReason.SEED_FAILED);
        assertThat(summary.detail()).isEqualTo("invalid: metric 'score' is missing (the objective's primary metric)");
    }
}
