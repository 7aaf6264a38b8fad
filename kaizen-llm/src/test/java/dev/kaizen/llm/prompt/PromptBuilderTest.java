package dev.kaizen.llm.prompt;

import static dev.kaizen.llm.prompt.PromptFixtures.candidate;
import static dev.kaizen.llm.prompt.PromptFixtures.code;
import static dev.kaizen.llm.prompt.PromptFixtures.failedCandidate;
import static dev.kaizen.llm.prompt.PromptFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.target.Target;
import dev.kaizen.llm.edit.EditFormat;
import dev.kaizen.llm.edit.EditResult;
import dev.kaizen.llm.edit.FullRewrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromptBuilderTest {

    private final PromptBuilder builder = new PromptBuilder(PromptTemplates.defaults(), TokenCounter.estimate());
    private final Target target = target("Pack n circles into the unit square so that the sum of their radii is largest.");
    private final Candidate parent = failedCandidate(code("parent", 20), "packing.py:3: invalid syntax", "Traceback: line 3\nSyntaxError: invalid syntax");

    private List<Candidate> inspirations() {
        List<Candidate> out = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            out.add(candidate(code("insp" + i, 60), Map.of("score", 1.0 + i / 10.0, "seconds", 2.5), ""));
        }
        return out;
    }

    private PromptInput input(Candidate p, List<String> insights) {
        return new PromptInput(EditFormat.DIFF, target, p, Optional.empty(), inspirations(), insights);
    }

    @Test
    void every_section_is_present_when_there_is_room() {
        Prompt p = builder.build(input(parent, List.of("grids beat spirals", "keep radii positive")), 200_000, 4096);
        assertThat(p.dropped()).isEmpty();
        assertThat(p.fits()).isTrue();
        assertThat(p.templateVersion()).matches("v1-[0-9a-f]{12}");
        assertThat(p.system()).contains("circle-packing", "maximize score (higher is better), then minimize seconds (lower is better) to break ties",
                "<<<<<<< SEARCH", ">>>>>>> REPLACE", "packing.py#1").doesNotContain("{{");
        assertThat(p.user()).contains(
                "## Task\nImprove the program \"circle-packing\".\nPack n circles",
                "## Objective\nMaximize score",
                "## Current program",
                "### region: packing.py#1\n```python\ndef pack(n):\n    v_0 = parent(0)\n",
                "## Metrics\nThe current program: compile_error (packing.py:3: invalid syntax)",
                "## Evaluator feedback on the current program\n```\nTraceback: line 3\nSyntaxError: invalid syntax\n```",
                "### Inspiration 1\npassed; score = 1.1, seconds = 2.5",
                "#### region: packing.py#1\n```python\ndef pack(n):\n    v_0 = insp1(0)",
                "### Inspiration 3", "insp3(59)",
                "## Insights so far\n- grids beat spirals\n- keep radii positive").doesNotContain("{{").doesNotContain("\n\n\n");
        assertThat(p.user().indexOf("## Task")).isLessThan(p.user().indexOf("## Current program"));
        assertThat(p.tokens()).isEqualTo(TokenCounter.estimate().count(p.system()) + TokenCounter.estimate().count(p.user()));
    }

    @Test
    void the_shown_program_reads_back_as_a_rewrite_of_the_same_code() {
        Prompt p = builder.build(input(parent, List.of()), 200_000, 4096);
        int start = p.user().indexOf("### region: packing.py#1");
        int end = p.user().indexOf("## Metrics");
        List<FullRewrite.RegionText> texts = FullRewrite.parse(p.user().substring(start, end));
        assertThat(texts).hasSize(1);
        assertThat(texts.get(0).text() + "\n").isEqualTo(parent.code().region("packing.py#1"));
    }

    @Test
    void a_slightly_small_window_drops_only_the_last_inspirations_code() {
        Prompt full = builder.build(input(parent, List.of("a", "b")), 200_000, 4096);
        Prompt p = builder.build(input(parent, List.of("a", "b")), full.tokens() - 10 + 1000, 1000);
        assertThat(p.dropped()).containsExactly("code of inspiration 3");
        assertThat(p.fits()).isTrue();
        assertThat(p.user()).contains("### Inspiration 3\npassed", "insp2(59)", "- a\n- b").doesNotContain("insp3(");
    }

    @Test
    void sections_are_dropped_in_order_of_usefulness() {
        String feedback = "error: something went wrong\n".repeat(400);
        Candidate p0 = failedCandidate(code("parent", 30), "bad", feedback);
        PromptInput in = input(p0, List.of("oldest insight", "middle insight", "newest insight"));
        Prompt full = builder.build(in, 1_000_000, 4096);
        int system = TokenCounter.estimate().count(full.system());

        List<String> expectedOrder = List.of("code of inspiration 3", "code of inspiration 2", "code of inspiration 1", "insight 1 of 3",
                "insight 2 of 3", "feedback cut to its first", "inspiration 3", "inspiration 2", "inspiration 1", "insight 3 of 3", "feedback",
                "region packing.py#1 cut to its first");
        Prompt tiny = builder.build(in, system + 1250, 1000);
        assertThat(tiny.dropped()).hasSize(expectedOrder.size());
        for (int i = 0; i < expectedOrder.size(); i++) {
            assertThat(tiny.dropped().get(i)).startsWith(expectedOrder.get(i));
        }
        assertThat(tiny.fits()).isTrue();
        assertThat(tiny.dropped().get(11)).doesNotStartWith("region packing.py#1 cut to its first 0 ");
        assertThat(tiny.user()).contains("## Task", "## Objective", "### region: packing.py#1", "    v_0 = parent(0)", "lines are not shown")
                .doesNotContain("## Insights").doesNotContain("## Evaluator feedback").doesNotContain("Inspiration");

        // the size of the prompt without the inspirations' code and the oldest insight
        List<Candidate> withoutCode = new ArrayList<>();
        for (Candidate c : inspirations()) {
            withoutCode.add(candidate(p0.code(), c.evaluation().metrics(), ""));
        }
        int smaller = builder.build(new PromptInput(EditFormat.DIFF, target, p0, Optional.empty(), withoutCode,
                List.of("middle insight", "newest insight")), 1_000_000, 4096).tokens();
        Prompt medium = builder.build(in, smaller + 1000, 1000);
        assertThat(medium.dropped()).containsExactly("code of inspiration 3", "code of inspiration 2", "code of inspiration 1", "insight 1 of 3");
        assertThat(medium.user()).contains("- middle insight\n- newest insight").doesNotContain("oldest insight");
    }

    @Test
    void an_enormous_feedback_is_cut_at_its_tail_not_failed() {
        StringBuilder huge = new StringBuilder("FIRST LINE OF THE FEEDBACK\n");
        while (huge.length() < 5_000_000) {
            huge.append("java.lang.AssertionError: expected 3 but was 4 at Packing.test(Packing.java:42)\n");
        }
        huge.append("LAST LINE OF THE FEEDBACK\n");
        Candidate p0 = failedCandidate(code("parent", 20), "tests failed", huge.toString());
        Prompt p = builder.build(new PromptInput(EditFormat.DIFF, target, p0, Optional.empty(), List.of(), List.of("one insight")), 32_768, 4096);
        assertThat(p.fits()).isTrue();
        assertThat(p.tokens()).isLessThanOrEqualTo(32_768 - 4096);
        assertThat(p.dropped()).hasSize(1);
        assertThat(p.dropped().get(0)).startsWith("feedback cut to its first ");
        assertThat(p.user()).contains("FIRST LINE OF THE FEEDBACK", "characters are not shown)", "- one insight", "v_19 = parent(19)")
                .doesNotContain("LAST LINE OF THE FEEDBACK");
        assertThat(p.user().length()).isGreaterThan(50_000);
    }

    @Test
    void a_window_too_small_for_anything_still_returns_a_prompt() {
        Candidate big = failedCandidate(code("parent", 5000), "bad", "x".repeat(10_000));
        Prompt p = builder.build(new PromptInput(EditFormat.REWRITE, target(("long description ").repeat(2000)), big, Optional.empty(),
                inspirations(), List.of("i")), 1024, 1000);
        assertThat(p.fits()).isFalse();
        assertThat(p.dropped()).last().asString().startsWith("still ").contains("over the budget of 24 (the system message takes ");
        assertThat(p.dropped()).anyMatch(d -> d.startsWith("task description cut to its first 500 of "))
                .anyMatch(d -> d.equals("region packing.py#1 cut to its first 0 of 5001 lines"));
        assertThat(p.user()).contains("## Task", "### region: packing.py#1", "(the region's last 5001 lines are not shown)");
    }

    @Test
    void equal_inputs_give_equal_prompts() {
        PromptInput in = input(parent, List.of("a"));
        int context = builder.build(in, 200_000, 500).tokens();
        Prompt a = builder.build(in, context, 500);
        Prompt b = new PromptBuilder(PromptTemplates.defaults(), TokenCounter.estimate()).build(input(parent, List.of("a")), context, 500);
        assertThat(a).isEqualTo(b);
        assertThat(a.dropped()).isNotEmpty();
    }

    @Test
    void a_crossover_prompt_shows_both_parents_and_their_metrics() {
        Candidate a = candidate(code("alpha", 5), Map.of("score", 2.0), "");
        Candidate b = candidate(code("beta", 5), Map.of("score", 2.345678912), "");
        Prompt p = builder.build(PromptInput.crossover(target, a, b, List.of(), List.of()), 200_000, 4096);
        assertThat(p.system()).contains("two parents", "keep parent A's text");
        assertThat(p.user()).contains("## Parent A", "alpha(4)", "## Parent B", "beta(4)", "Parent A: passed; score = 2\nParent B: passed; score = 2.34568")
                .doesNotContain("## Evaluator feedback").doesNotContain("## Insights").doesNotContain("## Other programs");
        assertThat(p.user().indexOf("alpha(0)")).isLessThan(p.user().indexOf("beta(0)"));
        assertThatThrownBy(() -> new PromptInput(EditFormat.CROSSOVER, target, a, Optional.empty(), List.of(), List.of()))
                .hasMessageContaining("second parent");
    }

    @Test
    void an_inspiration_with_the_parents_code_shows_no_code() {
        Candidate same = candidate(parent.code(), Map.of("score", 1.0), "");
        Prompt p = builder.build(new PromptInput(EditFormat.DIFF, target, parent, Optional.empty(), List.of(same), List.of()), 200_000, 4096);
        assertThat(p.user()).contains("### Inspiration 1\npassed; score = 1").doesNotContain("#### region");
    }

    @Test
    void the_request_carries_both_messages() {
        Prompt p = builder.build(input(parent, List.of()), 200_000, 4096);
        assertThat(p.toRequest(4096, 0.7).system()).isEqualTo(p.system());
        assertThat(p.toRequest(4096, 0.7).user()).isEqualTo(p.user());
        assertThatThrownBy(() -> builder.build(input(parent, List.of()), 4096, 4096)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numbers_are_written_compactly() {
        assertThat(PromptBuilder.number(3)).isEqualTo("3");
        assertThat(PromptBuilder.number(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(PromptBuilder.number(2.6358627564136983)).isEqualTo("2.63586");
        assertThat(PromptBuilder.number(1.5e-7)).isEqualTo("1.50000e-07");
        assertThat(PromptBuilder.number(-12.5)).isEqualTo("-12.5");
    }

    @Test
    void tidy_folds_blank_lines_outside_code_blocks_only() {
        assertThat(PromptBuilder.tidy("\n\na\n\n\n\nb\n```\nx\n\n\n\ny\n```\n\n\nc\n\n")).isEqualTo("a\n\nb\n```\nx\n\n\n\ny\n```\n\nc\n");
    }

    @Test
    void an_applied_rewrite_of_the_prompt_round_trips() {
        EditResult r = FullRewrite.edit(parent.code(), "### region: packing.py#1\n```python\ndef pack(n):\n    return []\n```\n", "rewrite");
        assertThat(r.applied()).isTrue();
    }
}
