package dev.kaizen.java.gi;

import static dev.kaizen.java.gi.Fixtures.SORTER;
import static dev.kaizen.java.gi.Fixtures.SORTER_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every Java edit promises, checked over many random draws on a realistic class. */
class JavaEditContractTest {

    private static final Pattern SNIPPET = Pattern.compile("`([^`]*)`");

    @ParameterizedTest
    @EnumSource(JavaEdit.Kind.class)
    void proposals_parse_change_one_region_keep_fixed_text_and_replay(JavaEdit.Kind kind) {
        Target target = Fixtures.target(SORTER_PATH, SORTER);
        Blueprint.SourceFile original = target.blueprint().files().get(0);
        Code seed = target.blueprint().seed();
        List<Proposal> proposals = Fixtures.proposals(JavaEdit.of(kind), target, 100, 7);

        assertThat(proposals).as("proposals made by %s", kind).hasSizeGreaterThan(70);
        Set<Code> distinct = new HashSet<>();
        for (Proposal p : proposals) {
            Code child = p.code();
            distinct.add(child);
            assertThat(child).isNotEqualTo(seed);
            assertThat(child.regions().keySet()).isEqualTo(seed.regions().keySet());
            long changed = seed.regions().keySet().stream().filter(r -> !seed.region(r).equals(child.region(r))).count();
            assertThat(changed).as("regions changed by %s", p.description()).isEqualTo(1);

            String rendered = target.blueprint().render(child).get(SORTER_PATH);
            assertThat(Fixtures.parses(rendered)).as("parses after %s", p.description()).isTrue();
            // Reading the rendered file back finds the same markers, the same fixed text byte for byte, and the child's regions.
            Blueprint.SourceFile reread = Blueprint.parse(SORTER_PATH, rendered);
            assertThat(reread.segments()).hasSameSizeAs(original.segments());
            for (int i = 0; i < original.segments().size(); i++) {
                switch (original.segments().get(i)) {
                    case Blueprint.Fixed f -> assertThat(reread.segments().get(i)).isEqualTo(f);
                    case Blueprint.Hole h -> assertThat(((Blueprint.Hole) reread.segments().get(i)).seed()).isEqualTo(child.region(h.region()));
                }
            }
            Fixtures.assertReplays(seed, child);
            assertDescribes(kind, p, target.blueprint().render(seed).get(SORTER_PATH), rendered);
        }
        assertThat(distinct).as("distinct children of %s", kind).hasSizeGreaterThan(8);
    }

    /** The description names the operator, the file and line, and what was there before (and after, for a replacement). */
    private static void assertDescribes(JavaEdit.Kind kind, Proposal p, String parent, String child) {
        String d = p.description();
        assertThat(d).startsWith(kind.operatorName() + ": ").containsPattern("Sorter\\.java:\\d+");
        Matcher m = SNIPPET.matcher(d);
        assertThat(m.find()).as("a quoted snippet in %s", d).isTrue();
        String first = m.group(1);
        if (!first.endsWith("…")) {
            assertThat(Fixtures.oneLine(parent)).as("before-snippet of %s", d).contains(first);
        }
        boolean replacement = d.contains("` -> `");
        if (replacement && m.find() && !m.group(1).endsWith("…")) {
            assertThat(Fixtures.oneLine(child)).as("after-snippet of %s", d).contains(m.group(1));
        }
        Matcher line = Pattern.compile("`([^`]*)` (?:in|at) Sorter\\.java:(\\d+)").matcher(d);
        if (line.find()) {
            int n = Integer.parseInt(line.group(2));
            String cited = parent.lines().skip(n - 1).findFirst().orElseThrow();
            String head = (replacement ? first : line.group(1)).split("[ (]")[0];
            assertThat(Fixtures.oneLine(cited)).as("line %d cited by %s", n, d).contains(head);
        }
    }
}
