package dev.kaizen.core.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Lines;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Objective;
import dev.kaizen.core.target.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LineEditTest {

    private static final String FILE = "def f():\n    # EVOLVE-BLOCK-START\n    a = 1\n    if a:\n        b = 2\n    c = 3\n    # EVOLVE-BLOCK-END\n    return 0\n";

    @ParameterizedTest
    @EnumSource(LineEdit.Kind.class)
    void edits_stay_inside_the_region_and_replay_as_patches(LineEdit.Kind kind) {
        Blueprint bp = new Blueprint(List.of(Blueprint.parse("f.py", FILE)));
        Target target = new Target("t", "", Path.of("."), bp, Objective.maximize("score"), List.of());
        Code seed = bp.seed();
        Candidate parent = new Candidate(1, seed.id(), seed, List.of(), "seed", "", Patch.empty(),
                Evaluation.passed(Map.of("score", 1.0), "", "", Duration.ZERO), 1.0, 0, "0", 0, Instant.EPOCH);
        SplittableRandom random = new SplittableRandom(9);
        int made = 0;
        for (int i = 0; i < 50; i++) {
            var proposal = LineEdit.of(kind).propose(new ProposalContext(target, parent, List.of(), random));
            if (proposal.isEmpty()) {
                continue;
            }
            made++;
            Code child = proposal.get().code();
            assertThat(child).isNotEqualTo(seed);
            assertThat(Patch.between(seed, child).applyTo(seed)).isEqualTo(child);
            String rendered = bp.render(child).get("f.py");
            assertThat(rendered).startsWith("def f():\n    # EVOLVE-BLOCK-START\n").endsWith("    # EVOLVE-BLOCK-END\n    return 0\n");
            // every line keeps an indentation that some line of the region had
            for (String line : Lines.split(child.region("f.py#1"))) {
                assertThat(line).matches("( {4}| {8}).*");
            }
        }
        assertThat(made).isGreaterThan(10);
    }
}
