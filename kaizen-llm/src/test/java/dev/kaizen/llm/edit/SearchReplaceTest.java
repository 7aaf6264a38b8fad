package dev.kaizen.llm.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SearchReplaceTest {

    static final String PACKING = """
            import math
            # EVOLVE-BLOCK-START
            def pack(n):
                centers = []
                for i in range(n):
                    x = i * 0.1
                    centers.append((x, 0.5))
                return centers
            # EVOLVE-BLOCK-END

            def score(centers):
                return len(centers)
            # EVOLVE-BLOCK-START
            RADIUS = 0.1
            # EVOLVE-BLOCK-END
            """;

    static final String UTIL = """
            def helper(a):
                return a + 1
            """;

    static final Blueprint BLUEPRINT = new Blueprint(List.of(Blueprint.parse("packing.py", PACKING), Blueprint.parse("lib/util.py", UTIL)));
    static final Code PARENT = BLUEPRINT.seed();

    private static Code applied(String reply) {
        EditResult r = SearchReplace.edit(PARENT, reply, Optional.of(BLUEPRINT));
        assertThat(r).as("result of %s", reply).isInstanceOf(EditResult.Applied.class);
        return ((EditResult.Applied) r).code();
    }

    private static EditResult.Failed failed(String reply) {
        EditResult r = SearchReplace.edit(PARENT, reply, Optional.of(BLUEPRINT));
        assertThat(r).as("result of %s", reply).isInstanceOf(EditResult.Failed.class);
        return (EditResult.Failed) r;
    }

    @Test
    void exact_match_replaces_the_lines() {
        Code child = applied("""
                Spread the circles further apart.
                <<<<<<< SEARCH
                        x = i * 0.1
                =======
                        x = i * 0.2
                >>>>>>> REPLACE
                """);
        assertThat(child.region("packing.py#1")).isEqualTo(PARENT.region("packing.py#1").replace("i * 0.1", "i * 0.2"));
        assertThat(child.region("packing.py#2")).isEqualTo(PARENT.region("packing.py#2"));
        assertThat(child.region("lib/util.py")).isEqualTo(UTIL);
    }

    @Test
    void search_with_less_indentation_matches_and_the_replace_is_shifted_by_the_same_offset() {
        EditResult r = SearchReplace.edit(PARENT, """
                <<<<<<< SEARCH
                for i in range(n):
                    x = i * 0.1
                =======
                for i in range(n):
                    y = 0.5
                    x = i * 0.1
                >>>>>>> REPLACE
                """, Optional.of(BLUEPRINT));
        assertThat(r).isInstanceOf(EditResult.Applied.class);
        assertThat(((EditResult.Applied) r).summary()).contains("1 matched after whitespace adjustment");
        assertThat(((EditResult.Applied) r).code().region("packing.py#1")).contains("""
                    for i in range(n):
                        y = 0.5
                        x = i * 0.1
                """);
    }

    @Test
    void search_with_more_indentation_matches_and_the_replace_is_shifted_back() {
        Code child = applied("""
                <<<<<<< SEARCH
                            return centers
                =======
                            return list(centers)
                >>>>>>> REPLACE
                """);
        assertThat(child.region("packing.py#1")).endsWith("    return list(centers)\n").doesNotContain("        return list");
    }

    @Test
    void trailing_whitespace_and_blank_lines_in_the_search_are_tolerated() {
        Code child = applied("<<<<<<< SEARCH\n    centers = []   \n\n    for i in range(n):\t\n=======\n    centers = [(0.0, 0.0)]\n    for i in range(n):\n>>>>>>> REPLACE\n");
        assertThat(child.region("packing.py#1")).startsWith("def pack(n):\n    centers = [(0.0, 0.0)]\n    for i in range(n):\n        x = i * 0.1\n");
    }

    @Test
    void a_crlf_reply_applies() {
        Code child = applied("<<<<<<< SEARCH\r\n        x = i * 0.1\r\n=======\r\n        x = i * 0.3\r\n>>>>>>> REPLACE\r\n");
        assertThat(child.region("packing.py#1")).contains("        x = i * 0.3\n").doesNotContain("\r");
    }

    @Test
    void several_blocks_in_one_region_apply_in_order() {
        Code child = applied("""
                <<<<<<< SEARCH
                        x = i * 0.1
                =======
                        x = i * 0.25
                >>>>>>> REPLACE

                Then use the new x:

                <<<<<<< SEARCH
                        x = i * 0.25
                        centers.append((x, 0.5))
                =======
                        x = i * 0.25
                        centers.append((x, 0.4))
                >>>>>>> REPLACE
                """);
        assertThat(child.region("packing.py#1")).contains("x = i * 0.25\n        centers.append((x, 0.4))");
    }

    @Test
    void blocks_across_regions_and_files_each_named_by_the_line_before() {
        EditResult r = SearchReplace.edit(PARENT, """
                ### region: packing.py#2
                ```python
                <<<<<<< SEARCH
                RADIUS = 0.1
                =======
                RADIUS = 0.12
                >>>>>>> REPLACE
                ```

                lib/util.py
                ```python
                <<<<<<< SEARCH
                    return a + 1
                =======
                    return a + 2
                >>>>>>> REPLACE
                ```

                **File: `packing.py`**
                <<<<<<< SEARCH
                    return centers
                =======
                    return centers[:n]
                >>>>>>> REPLACE
                """, Optional.of(BLUEPRINT));
        assertThat(r).isInstanceOf(EditResult.Applied.class);
        EditResult.Applied a = (EditResult.Applied) r;
        assertThat(a.code().region("packing.py#2")).isEqualTo("RADIUS = 0.12\n");
        assertThat(a.code().region("lib/util.py")).contains("return a + 2");
        assertThat(a.code().region("packing.py#1")).contains("return centers[:n]");
        assertThat(a.summary()).isEqualTo("search/replace: 3 blocks in packing.py#2, lib/util.py, packing.py#1");
    }

    @Test
    void the_parser_records_the_named_region_and_strips_fences_inside_a_block() {
        List<SearchReplace.Block> blocks = SearchReplace.parse("""
                `packing.py#1`:

                <<<<<<< SEARCH
                ```python
                a
                =======
                b
                ```
                >>>>>>> REPLACE
                """);
        assertThat(blocks).containsExactly(new SearchReplace.Block(1, 3, Optional.of("packing.py#1"), "a", "b"));
    }

    @Test
    void a_named_region_resolves_text_that_would_otherwise_be_ambiguous() {
        Code parent = Code.of(java.util.Map.of("a.py#1", "x = 1\n", "b.py", "x = 1\n"));
        String block = """
                <<<<<<< SEARCH
                x = 1
                =======
                x = 2
                >>>>>>> REPLACE
                """;
        EditResult ambiguous = SearchReplace.apply(parent, SearchReplace.parse(block));
        assertThat(ambiguous).isInstanceOf(EditResult.Failed.class);
        assertThat(((EditResult.Failed) ambiguous).error()).contains("matches 2 places", "region a.py#1 lines 1-1", "region b.py lines 1-1",
                "add surrounding lines");
        assertThat(((EditResult.Failed) ambiguous).retryable()).isTrue();
        EditResult named = SearchReplace.apply(parent, SearchReplace.parse("b.py\n" + block));
        assertThat(named).isInstanceOf(EditResult.Applied.class);
        assertThat(((EditResult.Applied) named).code().region("b.py")).isEqualTo("x = 2\n");
        assertThat(((EditResult.Applied) named).code().region("a.py#1")).isEqualTo("x = 1\n");
    }

    @Test
    void ambiguous_search_within_one_region_asks_for_more_context() {
        Code parent = Code.single("f.py", "a = 0\nb = 1\na = 0\n");
        EditResult r = SearchReplace.edit(parent, "<<<<<<< SEARCH\na = 0\n=======\na = 5\n>>>>>>> REPLACE\n", Optional.empty());
        assertThat(((EditResult.Failed) r).error()).contains("block 1 (reply line 1)", "matches 2 places", "lines 1-1", "lines 3-3");
    }

    @Test
    void a_block_matching_only_fixed_text_is_refused_as_outside_the_regions() {
        EditResult.Failed f = failed("""
                <<<<<<< SEARCH
                def score(centers):
                    return len(centers)
                =======
                def score(centers):
                    return 1000
                >>>>>>> REPLACE
                """);
        assertThat(f.error()).contains("edits outside evolve regions are not allowed", "packing.py lines 11-12");
    }

    @Test
    void a_block_reaching_across_a_region_edge_is_refused_as_outside_the_regions() {
        EditResult.Failed f = failed("""
                <<<<<<< SEARCH
                    return centers

                def score(centers):
                =======
                    return centers
                def score(centers):
                >>>>>>> REPLACE
                """);
        assertThat(f.error()).contains("edits outside evolve regions are not allowed");
        EditResult.Failed marker = failed("""
                <<<<<<< SEARCH
                    return centers
                # EVOLVE-BLOCK-END
                =======
                    return centers
                >>>>>>> REPLACE
                """);
        assertThat(marker.error()).contains("edits outside evolve regions are not allowed", "EVOLVE-BLOCK-END");
    }

    @Test
    void a_replace_that_injects_a_marker_is_refused_and_not_retryable() {
        EditResult.Failed f = failed("""
                <<<<<<< SEARCH
                    return centers
                =======
                    return centers
                # EVOLVE-BLOCK-END
                import os
                # EVOLVE-BLOCK-START
                >>>>>>> REPLACE
                """);
        assertThat(f.error()).contains("marker EVOLVE-BLOCK-", "may not appear inside a region");
        assertThat(f.retryable()).isFalse();
    }

    @Test
    void a_search_not_found_quotes_the_closest_region_lines() {
        EditResult.Failed f = failed("""
                <<<<<<< SEARCH
                    for j in range(n):
                        x = j * 0.1
                =======
                    pass
                >>>>>>> REPLACE
                """);
        assertThat(f.retryable()).isTrue();
        assertThat(f.error()).contains("block 1 (reply line 1): its SEARCH text was not found",
                "The closest lines are region packing.py#1 lines 3-4:\n```\n    for i in range(n):\n        x = i * 0.1\n```",
                "The first SEARCH line that differs is \"    for j in range(n):\"; the region has \"    for i in range(n):\" at line 3");
    }

    @Test
    void without_a_blueprint_a_block_on_fixed_text_is_not_found() {
        EditResult r = SearchReplace.edit(PARENT, "<<<<<<< SEARCH\ndef score(centers):\n=======\ndef score(c):\n>>>>>>> REPLACE\n", Optional.empty());
        assertThat(((EditResult.Failed) r).error()).contains("was not found").doesNotContain("outside");
    }

    @Test
    void one_failing_block_fails_the_whole_reply_and_is_named() {
        EditResult.Failed f = failed("""
                <<<<<<< SEARCH
                RADIUS = 0.1
                =======
                RADIUS = 0.2
                >>>>>>> REPLACE
                <<<<<<< SEARCH
                nothing like this
                =======
                x
                >>>>>>> REPLACE
                """);
        assertThat(f.error()).startsWith("1 of 2 search/replace blocks failed; none was applied.").contains("block 2 (reply line 6)")
                .doesNotContain("block 1 ");
    }

    @Test
    void an_empty_reply_or_prose_has_no_edit() {
        assertThat(failed("").error()).startsWith("no edit found");
        assertThat(failed("I think the code is fine as it is.\n```python\nprint(1)\n```\n").error()).startsWith("no edit found");
        assertThat(failed("<<<<<<< SEARCH\nRADIUS = 0.1\n=======\nRADIUS = 0.1\n>>>>>>> REPLACE\n").error()).startsWith("no edit found");
    }

    @Test
    void malformed_blocks_are_parse_errors_naming_the_line() {
        assertThatThrownBy(() -> SearchReplace.parse("x\n<<<<<<< SEARCH\na\n"))
                .isInstanceOf(EditParseException.class).hasMessageContaining("reply line 2").hasMessageContaining("no '=======' divider");
        assertThatThrownBy(() -> SearchReplace.parse("<<<<<<< SEARCH\na\n>>>>>>> REPLACE\n"))
                .isInstanceOf(EditParseException.class).hasMessageContaining("reply line 3").hasMessageContaining("before the '=======' divider");
        assertThatThrownBy(() -> SearchReplace.parse("<<<<<<< SEARCH\na\n=======\nb\n<<<<<<< SEARCH\n"))
                .isInstanceOf(EditParseException.class).hasMessageContaining("reply line 5").hasMessageContaining("inside the block opened at line 1");
        assertThatThrownBy(() -> SearchReplace.parse("<<<<<<< SEARCH\na\n=======\nb\n"))
                .isInstanceOf(EditParseException.class).hasMessageContaining("never closed");
        EditResult r = SearchReplace.edit(PARENT, ">>>>>>> REPLACE\n", Optional.empty());
        assertThat(((EditResult.Failed) r).error()).contains("malformed", "reply line 1");
    }

    @Test
    void an_empty_search_fills_only_an_empty_named_region() {
        Code parent = Code.of(java.util.Map.of("a.py#1", "", "a.py#2", "x = 1\n"));
        EditResult r = SearchReplace.edit(parent, "a.py#1\n<<<<<<< SEARCH\n=======\ny = 2\n>>>>>>> REPLACE\n", Optional.empty());
        assertThat(((EditResult.Applied) r).code().region("a.py#1")).isEqualTo("y = 2\n");
        EditResult refused = SearchReplace.edit(parent, "<<<<<<< SEARCH\n=======\ny = 2\n>>>>>>> REPLACE\n", Optional.empty());
        assertThat(((EditResult.Failed) refused).error()).contains("SEARCH section is empty");
    }

    @Test
    void a_one_megabyte_reply_is_parsed_and_applied() {
        StringBuilder reply = new StringBuilder();
        while (reply.length() < 1_000_000) {
            reply.append("This paragraph of reasoning is long; the circles could be moved = closer together.\n");
        }
        reply.append("<<<<<<< SEARCH\nRADIUS = 0.1\n=======\nRADIUS = 0.11\n>>>>>>> REPLACE\n");
        assertThat(applied(reply.toString()).region("packing.py#2")).isEqualTo("RADIUS = 0.11\n");

        StringBuilder huge = new StringBuilder("<<<<<<< SEARCH\n");
        for (int i = 0; huge.length() < 1_000_000; i++) {
            huge.append("        value_").append(i).append(" = compute(").append(i).append(")\n");
        }
        huge.append("=======\npass\n>>>>>>> REPLACE\n");
        assertThat(failed(huge.toString()).error()).contains("was not found", "The closest lines");
    }
}
