package dev.kaizen.llm.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.llm.edit.EditFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTemplatesTest {

    @TempDir
    Path dir;

    @Test
    void the_shipped_templates_load_with_a_stable_version() {
        PromptTemplates a = PromptTemplates.defaults();
        assertThat(a.version()).matches("v1-[0-9a-f]{12}").isEqualTo(PromptTemplates.defaults().version());
        for (EditFormat f : EditFormat.values()) {
            String system = a.render(PromptTemplates.systemTemplate(f), Map.of("target_name", "T", "objective", "maximize s", "regions", "a.py"));
            assertThat(system).contains("\"T\"", "maximize s", "a.py", "### region: NAME").doesNotContain("{{");
        }
    }

    @Test
    void an_override_directory_replaces_a_template_and_changes_the_version() throws IOException {
        Files.writeString(dir.resolve("user.txt"), "CUSTOM {{ task }}\n{{program}}\n");
        PromptTemplates custom = new PromptTemplates(Optional.of(dir));
        assertThat(custom.version()).startsWith("v1-").isNotEqualTo(PromptTemplates.defaults().version());
        assertThat(custom.render(PromptTemplates.USER, Map.of("task", "the task", "program", "the program"))).isEqualTo("CUSTOM the task\nthe program\n");
        assertThat(custom.render(PromptTemplates.SYSTEM_DIFF, Map.of("target_name", "T", "objective", "o", "regions", "r")))
                .isEqualTo(PromptTemplates.defaults().render(PromptTemplates.SYSTEM_DIFF, Map.of("target_name", "T", "objective", "o", "regions", "r")));

        PromptBuilder builder = new PromptBuilder(custom, TokenCounter.estimate());
        var parent = PromptFixtures.candidate(PromptFixtures.code("p", 3), Map.of("score", 1.0), "");
        Prompt p = builder.build(new PromptInput(EditFormat.DIFF, PromptFixtures.target(""), parent, Optional.empty(), List.of(), List.of()), 8000, 1000);
        assertThat(p.user()).startsWith("CUSTOM ## Task").contains("### region: packing.py#1").doesNotContain("## Metrics");
        assertThat(p.templateVersion()).isEqualTo(custom.version());
    }

    @Test
    void an_unknown_placeholder_fails_at_load_time_naming_file_and_line() throws IOException {
        Files.writeString(dir.resolve("system-diff.txt"), "Improve {{target_name}}.\nUse {{bogus}} here.\n");
        assertThatThrownBy(() -> new PromptTemplates(Optional.of(dir)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("system-diff.txt line 2: unknown placeholder {{bogus}}")
                .hasMessageContaining("[objective, regions, target_name]");
    }

    @Test
    void a_placeholder_of_another_template_is_unknown_too() throws IOException {
        Files.writeString(dir.resolve("system-rewrite.txt"), "{{program}}");
        assertThatThrownBy(() -> new PromptTemplates(Optional.of(dir))).hasMessageContaining("unknown placeholder {{program}}");
    }

    @Test
    void an_unclosed_placeholder_fails_at_load_time() throws IOException {
        Files.writeString(dir.resolve("user.txt"), "{{task}}\n{{program");
        assertThatThrownBy(() -> new PromptTemplates(Optional.of(dir))).hasMessageContaining("user.txt line 2: '{{' is never closed");
    }

    @Test
    void an_override_file_that_names_no_template_or_a_missing_directory_fails() throws IOException {
        Files.writeString(dir.resolve("sytem-diff.txt"), "x");
        assertThatThrownBy(() -> new PromptTemplates(Optional.of(dir))).hasMessageContaining("sytem-diff.txt names no template");
        assertThatThrownBy(() -> new PromptTemplates(Optional.of(dir.resolve("absent")))).hasMessageContaining("does not exist");
    }

    @Test
    void values_are_inserted_verbatim_and_missing_values_fail() {
        PromptTemplates t = PromptTemplates.defaults();
        String out = t.render(PromptTemplates.SYSTEM_DIFF, Map.of("target_name", "{{objective}}", "objective", "o", "regions", "r"));
        assertThat(out).contains("\"{{objective}}\"");
        assertThatThrownBy(() -> t.render(PromptTemplates.SYSTEM_DIFF, Map.of("target_name", "T"))).hasMessageContaining("no value for {{");
        assertThatThrownBy(() -> t.render("nope.txt", Map.of())).hasMessageContaining("no prompt template named nope.txt");
    }
}
