package dev.kaizen.llm.prompt;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Objective;
import dev.kaizen.core.target.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Targets and candidates for prompt and operator tests. */
public final class PromptFixtures {

    private PromptFixtures() {}

    /** A small Python region, the circle-packing example in miniature. */
    public static final String PACKING = """
            import math
            # EVOLVE-BLOCK-START
            def pack(n):
                centers = []
                for i in range(n):
                    centers.append((i * 0.1, 0.5))
                return centers
            # EVOLVE-BLOCK-END
            """;

    static Target target(String description) {
        Blueprint blueprint = new Blueprint(List.of(Blueprint.parse("packing.py", PACKING)));
        return new Target("circle-packing", description, Path.of("circle-packing"), blueprint, Objective.maximize("score").thenBy("seconds",
                dev.kaizen.core.target.Direction.MINIMIZE), List.of());
    }

    static Candidate candidate(Code code, Map<String, Double> metrics, String feedback) {
        Evaluation e = Evaluation.passed(metrics, feedback, "run", Duration.ofMillis(5));
        return new Candidate(0, code.id(), code, List.of(), "seed", "", Patch.empty(), e, metrics.getOrDefault("score", 0.0), 0, "", 0, Instant.EPOCH);
    }

    static Candidate failedCandidate(Code code, String reason, String feedback) {
        Evaluation e = Evaluation.failed(new Outcome.CompileError(reason), feedback, "compile", Duration.ofMillis(5));
        return new Candidate(0, code.id(), code, List.of(), "seed", "", Patch.empty(), e, Double.NaN, 0, "", 0, Instant.EPOCH);
    }

    /** A region of {@code lines} numbered lines. */
    static Code code(String tag, int lines) {
        StringBuilder b = new StringBuilder("def pack(n):\n");
        for (int i = 0; i < lines; i++) {
            b.append("    v_").append(i).append(" = ").append(tag).append("(").append(i).append(")\n");
        }
        return Code.single("packing.py#1", b.toString());
    }
}
