package dev.kaizen.core.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.program.Code;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlueprintTest {

    private static final String PY = """
            import math
            # EVOLVE-BLOCK-START
            def f(x):
                return x * 2
            # EVOLVE-BLOCK-END
            print(f(2))
            // EVOLVE-BLOCK-START (any comment syntax)
            y = 1
            // EVOLVE-BLOCK-END
            """;

    @Test
    void finds_blocks_in_any_comment_syntax_and_renders_the_seed_back_exactly() {
        Blueprint bp = new Blueprint(List.of(Blueprint.parse("a.py", PY)));
        Code seed = bp.seed();
        assertThat(seed.regions()).containsOnlyKeys("a.py#1", "a.py#2");
        assertThat(seed.region("a.py#1")).isEqualTo("def f(x):\n    return x * 2\n");
        assertThat(seed.region("a.py#2")).isEqualTo("y = 1\n");
        assertThat(bp.render(seed)).containsEntry("a.py", PY);
    }

    @Test
    void renders_a_child_with_only_the_regions_changed() {
        Blueprint bp = new Blueprint(List.of(Blueprint.parse("a.py", PY)));
        String out = bp.render(bp.seed().withRegion("a.py#2", "y = 2\n")).get("a.py");
        assertThat(out).isEqualTo(PY.replace("y = 1", "y = 2"));
        assertThat(bp.fixedLines()).contains("import math", "print(f(2))").doesNotContain("y = 1");
    }

    @Test
    void a_file_without_markers_evolves_whole() {
        Blueprint bp = new Blueprint(List.of(Blueprint.parse("w.txt", "all\nof it")));
        assertThat(bp.seed().regions()).containsExactly(java.util.Map.entry("w.txt", "all\nof it"));
        assertThat(bp.render(bp.seed())).containsEntry("w.txt", "all\nof it");
    }

    @Test
    void marker_errors_name_the_file_and_line() {
        assertThatThrownBy(() -> Blueprint.parse("x.c", "a\n// EVOLVE-BLOCK-START\nb\n"))
                .hasMessage("x.c:2: EVOLVE-BLOCK-START is never closed by EVOLVE-BLOCK-END");
        assertThatThrownBy(() -> Blueprint.parse("x.c", "a\n// EVOLVE-BLOCK-END\n"))
                .hasMessage("x.c:2: EVOLVE-BLOCK-END without a matching EVOLVE-BLOCK-START");
        assertThatThrownBy(() -> Blueprint.parse("x.c", "// EVOLVE-BLOCK-START\n// EVOLVE-BLOCK-START\n"))
                .hasMessageContaining("x.c:2:").hasMessageContaining("do not nest");
    }
}
