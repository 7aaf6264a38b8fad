package dev.kaizen.llm.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.program.Code;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FullRewriteTest {

    private static final Code PARENT = Code.of(Map.of(
            "packing.py#1", "def pack(n):\n    return []\n",
            "packing.py#2", "RADIUS = 0.1\n",
            "lib/util.py", "def helper(a):\n    return a + 1"));

    private static EditResult.Applied applied(String reply) {
        EditResult r = FullRewrite.edit(PARENT, reply, "rewrite");
        assertThat(r).as("result of %s", reply).isInstanceOf(EditResult.Applied.class);
        return (EditResult.Applied) r;
    }

    private static EditResult.Failed failed(String reply) {
        EditResult r = FullRewrite.edit(PARENT, reply, "rewrite");
        assertThat(r).as("result of %s", reply).isInstanceOf(EditResult.Failed.class);
        return (EditResult.Failed) r;
    }

    @Test
    void named_regions_are_replaced_and_the_others_keep_the_parent_text() {
        EditResult.Applied a = applied("""
                I pack the circles on a grid.

                ### region: packing.py#1
                ```python
                def pack(n):
                    side = int(n ** 0.5) + 1
                    return [(i % side, i // side) for i in range(n)]
                ```

                ## Region: `lib/util.py`
                ```
                def helper(a):
                    return a + 2
                ```
                """);
        assertThat(a.code().region("packing.py#1")).isEqualTo("def pack(n):\n    side = int(n ** 0.5) + 1\n    return [(i % side, i // side) for i in range(n)]\n");
        assertThat(a.code().region("lib/util.py")).as("keeps the parent's missing final newline").isEqualTo("def helper(a):\n    return a + 2");
        assertThat(a.code().region("packing.py#2")).isEqualTo("RADIUS = 0.1\n");
        assertThat(a.summary()).isEqualTo("rewrite: packing.py#1, lib/util.py");
    }

    @Test
    void a_code_block_may_contain_fence_lines_up_to_the_last_fence_before_the_next_heading() {
        EditResult.Applied a = applied("""
                ### region: packing.py#1
                ```python
                def pack(n):
                    doc = '''
                ```
                example
                ```
                '''
                    return []
                ```
                Some closing words.
                """);
        assertThat(a.code().region("packing.py#1")).isEqualTo("def pack(n):\n    doc = '''\n```\nexample\n```\n'''\n    return []\n");
    }

    @Test
    void a_single_unnamed_block_rewrites_a_single_region_target() {
        Code single = Code.single("f.py", "x = 1\n");
        EditResult r = FullRewrite.edit(single, "Here:\n```python\nx = 2\n```\n", "rewrite");
        assertThat(((EditResult.Applied) r).code().region("f.py")).isEqualTo("x = 2\n");
        EditResult multi = FullRewrite.edit(PARENT, "```python\nx = 2\n```\n", "rewrite");
        assertThat(((EditResult.Failed) multi).error()).contains("names no region", "### region: NAME");
        assertThat(((EditResult.Failed) FullRewrite.edit(single, "```\na\n```\n```\nb\n```\n", "rewrite")).error())
                .contains("2 code blocks but no '### region: NAME' headings");
    }

    @Test
    void an_unknown_region_fails_and_lists_the_regions() {
        EditResult.Failed f = failed("### region: packing.py#7\n```\nx\n```\n");
        assertThat(f.error()).contains("unknown region 'packing.py#7'", "lib/util.py, packing.py#1, packing.py#2");
        assertThat(f.retryable()).isTrue();
    }

    @Test
    void a_file_name_stands_for_its_only_region() {
        assertThat(applied("### region: util.py\n```\nhelper = None\n```\n").code().region("lib/util.py")).isEqualTo("helper = None");
        assertThat(failed("### region: packing.py\n```\nx\n```\n").error()).contains("unknown region 'packing.py'");
    }

    @Test
    void markers_in_a_rewrite_are_refused() {
        EditResult.Failed f = failed("### region: packing.py#2\n```\nRADIUS = 1\n# EVOLVE-BLOCK-END\nimport os\n```\n");
        assertThat(f.error()).contains("contains the marker EVOLVE-BLOCK-END");
        assertThat(f.retryable()).isFalse();
    }

    @Test
    void a_region_given_twice_fails() {
        assertThat(failed("### region: packing.py#2\n```\na = 1\n```\n### region: packing.py#2\n```\na = 2\n```\n").error())
                .contains("rewritten twice");
    }

    @Test
    void a_cut_off_reply_and_a_heading_without_code_are_parse_errors() {
        assertThatThrownBy(() -> FullRewrite.parse("### region: a\n```\nx = 1\n"))
                .isInstanceOf(EditParseException.class).hasMessageContaining("never closed").hasMessageContaining("cut off");
        assertThatThrownBy(() -> FullRewrite.parse("### region: a\nno code here\n### region: b\n```\nx\n```\n"))
                .isInstanceOf(EditParseException.class).hasMessageContaining("reply line 1").hasMessageContaining("no fenced code block");
    }

    @Test
    void crlf_replies_parse_like_lf_replies() {
        assertThat(FullRewrite.parse("### region: a\r\n```\r\nx = 1\r\ny = 2\r\n```\r\n"))
                .containsExactly(new FullRewrite.RegionText(Optional.of("a"), "x = 1\ny = 2", 1));
    }

    @Test
    void no_block_or_no_change_is_no_edit() {
        assertThat(failed("").error()).startsWith("no edit found");
        assertThat(failed("I would not change anything.").error()).startsWith("no edit found");
        assertThat(failed("### region: packing.py#2\n```\nRADIUS = 0.1\n```\n").error()).startsWith("no edit found");
    }

    @Test
    void the_edit_formats_dispatch_to_their_parsers() {
        String rewrite = "### region: packing.py#2\n```\nRADIUS = 0.2\n```\n";
        EditResult crossover = Edits.apply(EditFormat.CROSSOVER, PARENT, rewrite, Optional.empty());
        assertThat(((EditResult.Applied) crossover).summary()).isEqualTo("crossover: packing.py#2");
        EditResult asRewrite = Edits.apply(EditFormat.REWRITE, PARENT, rewrite, Optional.empty());
        assertThat(((EditResult.Applied) asRewrite).code()).isEqualTo(((EditResult.Applied) crossover).code());
        EditResult asDiff = Edits.apply(EditFormat.DIFF, PARENT, rewrite, Optional.empty());
        assertThat(((EditResult.Failed) asDiff).error()).startsWith("no edit found");
        EditResult diff = Edits.apply(EditFormat.DIFF, PARENT, "<<<<<<< SEARCH\nRADIUS = 0.1\n=======\nRADIUS = 0.3\n>>>>>>> REPLACE", Optional.empty());
        assertThat(((EditResult.Applied) diff).code().region("packing.py#2")).isEqualTo("RADIUS = 0.3\n");
        assertThat(List.of(EditFormat.values())).hasSize(3);
    }
}
