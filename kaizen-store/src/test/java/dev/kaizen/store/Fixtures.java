package dev.kaizen.store;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Candidates for tests, with times in whole milliseconds (as archives store them). */
final class Fixtures {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123Z");

    private Fixtures() {}

    /** A passed candidate whose code is {@code text}. */
    static Candidate passed(String text, double fitness, int island, String cell) {
        Map<String, Double> metrics = Double.isFinite(fitness) ? Map.of("score", fitness, "runtime_ms", 12.5) : Map.of("runtime_ms", 12.5);
        Evaluation evaluation = Evaluation.passed(metrics, "ok", "full", Duration.ofMillis(1234));
        return candidate(Code.single("main.py", text), evaluation, fitness, island, cell);
    }

    /** A candidate that failed with {@code outcome} (fitness NaN). */
    static Candidate failed(String text, Outcome outcome, int island, String cell) {
        Evaluation evaluation = Evaluation.failed(outcome, "stderr: boom", "quick", Duration.ofMillis(50));
        return candidate(Code.single("main.py", text), evaluation, Double.NaN, island, cell);
    }

    static Candidate candidate(Code code, Evaluation evaluation, double fitness, int island, String cell) {
        return new Candidate(0, code.id(), code, List.of(), "test-operator", "made for a test", Patch.empty(), evaluation, fitness,
                island, cell, 3, T0);
    }
}
