package dev.kaizen.core.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class PatchTest {

    @Test
    void a_patch_replays_to_the_child_and_reads_as_a_unified_diff() {
        Code parent = Code.of(Map.of("a.py#1", "x = 1\ny = 2\nz = 3\n", "b.py", "keep\n"));
        Code child = parent.withRegion("a.py#1", "x = 1\ny = 5\nz = 3\n");
        Patch patch = Patch.between(parent, child);
        assertThat(patch.text()).isEqualTo("--- a/a.py#1\n+++ b/a.py#1\n@@ -1,3 +1,3 @@\n x = 1\n-y = 2\n+y = 5\n z = 3\n");
        assertThat(patch.applyTo(parent)).isEqualTo(child);
        assertThat(patch.changedLines()).isEqualTo(2);
    }

    @Test
    void equal_code_gives_the_empty_patch() {
        Code c = Code.single("r", "a\n");
        assertThat(Patch.between(c, c).isEmpty()).isTrue();
        assertThat(Patch.empty().applyTo(c)).isEqualTo(c);
    }

    @Test
    void refuses_to_apply_to_a_parent_it_was_not_made_from() {
        Code parent = Code.single("r", "a\nb\nc\n");
        Patch patch = Patch.between(parent, Code.single("r", "a\nB\nc\n"));
        assertThatThrownBy(() -> patch.applyTo(Code.single("r", "a\nX\nc\n")))
                .isInstanceOf(Patch.PatchException.class)
                .hasMessageContaining("region 'r' line 2 does not match");
        assertThatThrownBy(() -> patch.applyTo(Code.single("other", "a\n")))
                .hasMessageContaining("no region 'r'");
    }

    @Test
    void keeps_a_change_of_final_newline() {
        Code parent = Code.single("r", "a\nb");
        Code child = Code.single("r", "a\nb\n");
        assertThat(Patch.between(parent, child).applyTo(parent)).isEqualTo(child);
    }

    @Test
    void lines_that_look_like_patch_headers_round_trip() {
        Code parent = Code.single("r", "-- a/x\n+++ b\n@@ -1 @@\n");
        Code child = Code.single("r", "--- a/y\n@@ -1 @@\n");
        assertThat(Patch.between(parent, child).applyTo(parent)).isEqualTo(child);
    }

    @RepeatedTest(200)
    void random_line_edits_round_trip(org.junit.jupiter.api.RepetitionInfo info) {
        SplittableRandom random = new SplittableRandom(info.getCurrentRepetition());
        List<String> lines = new ArrayList<>();
        int n = random.nextInt(0, 40);
        for (int i = 0; i < n; i++) {
            lines.add(random.nextInt(4) == 0 ? "" : "line " + random.nextInt(8));
        }
        List<String> edited = new ArrayList<>(lines);
        int edits = random.nextInt(1, 6);
        for (int e = 0; e < edits; e++) {
            int op = random.nextInt(3);
            if (op == 0 && !edited.isEmpty()) {
                edited.remove(random.nextInt(edited.size()));
            } else if (op == 1) {
                edited.add(random.nextInt(edited.size() + 1), "new " + random.nextInt(5));
            } else if (!edited.isEmpty()) {
                edited.set(random.nextInt(edited.size()), "changed " + random.nextInt(5));
            }
        }
        Code parent = Code.of(Map.of("r", Lines.join(lines, random.nextBoolean()), "s", "fixed\n"));
        Code child = parent.withRegion("r", Lines.join(edited, random.nextBoolean()));
        assertThat(Patch.between(parent, child).applyTo(parent)).isEqualTo(child);
    }
}
