package dev.kaizen.core.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CodeTest {

    @Test
    void equal_content_has_equal_ids_and_any_change_changes_the_id() {
        Code a = Code.of(Map.of("x", "1\n", "y", "2\n"));
        Code b = Code.of(Map.of("y", "2\n", "x", "1\n"));
        assertThat(a.id()).isEqualTo(b.id());
        assertThat(a.withRegion("x", "1").id()).isNotEqualTo(a.id());
        // moving text between regions is a different program
        assertThat(Code.of(Map.of("x", "1\n2\n", "y", "")).id()).isNotEqualTo(Code.of(Map.of("x", "1\n", "y", "2\n")).id());
    }

    @Test
    void names_the_missing_region() {
        assertThatThrownBy(() -> Code.single("a", "").region("b")).hasMessageContaining("no region named 'b'");
        assertThatThrownBy(() -> Code.of(Map.of())).hasMessageContaining("no evolvable region");
    }

    @Test
    void program_ids_are_validated() {
        assertThatThrownBy(() -> new ProgramId("xyz")).hasMessageContaining("64 lowercase hex");
    }
}
