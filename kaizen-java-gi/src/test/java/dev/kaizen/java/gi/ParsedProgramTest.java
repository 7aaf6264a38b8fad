package dev.kaizen.java.gi;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.javaparser.ast.Node;
import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Target;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shared machinery: the parse gate, offsets under CRLF and tabs, the bounded cache. */
class ParsedProgramTest {

    /** Deletes the text of any editable node at all: names, types, operands, statements. */
    private static final class DeleteAnyNode implements Mutation {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public List<Node> sites(ParsedProgram program) {
            return program.editable();
        }

        @Override
        public Optional<Splice> mutate(ParsedProgram program, Node site, RandomGenerator random) {
            calls.incrementAndGet();
            ParsedProgram.Span span = program.spanOf(site);
            return Optional.of(Splice.replace(span, "", "delete " + SourceText.quote(span.text())));
        }
    }

    @Test
    void an_edit_that_does_not_parse_is_never_proposed() {
        Target target = Fixtures.target(Fixtures.SORTER_PATH, Fixtures.SORTER);
        Code seed = target.blueprint().seed();
        ParsedProgram program = ParsedProgram.of(target.blueprint(), seed, new JavaSource());
        String file = program.files().get(0).text();
        // In these regions most single-node deletions break the syntax (a lone type, name or operand removed).
        long broken = program.editable().stream().filter(n -> {
            ParsedProgram.Span s = program.spanOf(n);
            return !Fixtures.parses(file.substring(0, s.start()) + file.substring(s.end()));
        }).count();
        assertThat((double) broken / program.editable().size()).isGreaterThan(0.6);

        DeleteAnyNode mutation = new DeleteAnyNode();
        Operator op = new JavaEdit("test.delete-any", mutation, new ParseCache(4));
        List<Proposal> proposals = Fixtures.proposals(op, target, 200, 13);
        assertThat(proposals).hasSizeGreaterThan(100);
        for (Proposal p : proposals) {
            assertThat(Fixtures.parses(target.blueprint().render(p.code()).get(Fixtures.SORTER_PATH))).as(p.description()).isTrue();
        }
        assertThat(mutation.calls.get()).as("draws, most of them rejected").isGreaterThan(2 * proposals.size());
    }

    @Test
    void an_operator_whose_edits_never_parse_gives_up_after_a_bounded_number_of_attempts() {
        Target target = Fixtures.target(Fixtures.SORTER_PATH, Fixtures.SORTER);
        AtomicInteger calls = new AtomicInteger();
        Mutation breaking = new Mutation() {
            @Override
            public List<Node> sites(ParsedProgram program) {
                return program.editable();
            }

            @Override
            public Optional<Splice> mutate(ParsedProgram program, Node site, RandomGenerator random) {
                calls.incrementAndGet();
                return Optional.of(Splice.replace(program.spanOf(site), "{", "break it"));
            }
        };
        Operator op = new JavaEdit("test.break", breaking, new ParseCache(4));
        assertThat(op.propose(Fixtures.context(target, target.blueprint().seed(), new SplittableRandom(1)))).isEmpty();
        assertThat(calls.get()).isEqualTo(JavaEdit.ATTEMPTS);
    }

    @Test
    void offsets_hold_with_crlf_line_ends_and_tab_indentation() {
        String text = Fixtures.SORTER.replace("    ", "\t").replace("\n", "\r\n");
        Target target = Fixtures.target(Fixtures.SORTER_PATH, text);
        Code seed = target.blueprint().seed();
        List<String> parentLines = List.of(target.blueprint().render(seed).get(Fixtures.SORTER_PATH).split("\r\n"));
        Pattern cited = Pattern.compile("`([^`]*)` (?:in|at) Sorter\\.java:(\\d+)");
        for (Operator op : JavaOperators.all()) {
            List<Proposal> proposals = Fixtures.proposals(op, target, 40, 14);
            assertThat(proposals).as(op.name()).hasSizeGreaterThan(25);
            for (Proposal p : proposals) {
                String rendered = target.blueprint().render(p.code()).get(Fixtures.SORTER_PATH);
                assertThat(Fixtures.parses(rendered)).isTrue();
                assertThat(rendered.replace("\r\n", "")).as("no bare line feed after %s", p.description()).doesNotContain("\n");
                assertThat(rendered).doesNotContain("    ");
                Matcher m = cited.matcher(p.description());
                if (m.find() && !p.description().contains("` -> `")) {
                    String line = parentLines.get(Integer.parseInt(m.group(2)) - 1);
                    assertThat(Fixtures.oneLine(line)).as(p.description()).contains(m.group(1).split("[ (]")[0]);
                }
            }
        }
    }

    @Test
    void the_parse_cache_is_bounded_and_reused() {
        Target target = Fixtures.target(Fixtures.SORTER_PATH, Fixtures.SORTER);
        Blueprint bp = target.blueprint();
        Code seed = bp.seed();
        ParseCache cache = new ParseCache(3);
        ParsedProgram first = cache.get(bp, seed);
        assertThat(cache.get(bp, seed)).isSameAs(first);
        assertThat(first.original()).isSameAs(first);
        Code parent = seed;
        for (int i = 0; i < 6; i++) {
            parent = parent.withRegion(Fixtures.SORTER_PATH + "#1", parent.region(Fixtures.SORTER_PATH + "#1") + "        // " + i + "\n");
            ParsedProgram p = cache.get(bp, parent);
            assertThat(p.original().code()).isEqualTo(seed);
        }
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get(bp, seed)).isNotSameAs(first);
        Blueprint other = new Blueprint(bp.files());
        assertThat(cache.get(other, seed).blueprint()).isSameAs(other);
    }

    @Test
    void a_file_that_does_not_parse_is_left_alone() {
        Target target = Fixtures.target("src/Bad.java", "class Bad {\n    void f() {\n        // EVOLVE-BLOCK-START\n        int x = 1\n        // EVOLVE-BLOCK-END\n    }\n}\n");
        for (Operator op : JavaOperators.all()) {
            assertThat(Fixtures.proposals(op, target, 5, 15)).as(op.name()).isEmpty();
        }
    }
}
