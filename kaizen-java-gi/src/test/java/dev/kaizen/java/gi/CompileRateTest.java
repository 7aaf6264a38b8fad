package dev.kaizen.java.gi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.target.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How often each edit's proposals compile, measured with javac (through flow analysis, so
 * unreachable code and unassigned locals count) on one batch of children, each in its own package.
 * Parsing is guaranteed; compiling is what the checks on scope, types and jumps are for.
 */
class CompileRateTest {

    private static final int DRAWS = 12;

    @Test
    void most_proposals_of_every_edit_compile() {
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, String> labelOf = new LinkedHashMap<>();
        Map<String, String> descriptionOf = new LinkedHashMap<>();
        int k = 0;
        for (String[] fixture : List.of(new String[] {Fixtures.SORTER_PATH, Fixtures.SORTER}, new String[] {Fixtures.LEDGER_PATH, Fixtures.LEDGER})) {
            Target target = Fixtures.target(fixture[0], fixture[1]);
            for (JavaEdit.Kind kind : JavaEdit.Kind.values()) {
                for (Proposal p : Fixtures.proposals(JavaEdit.of(kind), target, DRAWS, 11)) {
                    String pkg = "c" + (k++);
                    String text = target.blueprint().render(p.code()).get(fixture[0]).replace("package demo;", "package " + pkg + ";");
                    String cls = pkg + "." + fixture[0].substring(fixture[0].lastIndexOf('/') + 1).replace(".java", "");
                    sources.put(cls, text);
                    labelOf.put(cls, kind.operatorName());
                    descriptionOf.put(cls, p.description());
                }
            }
        }
        InMemoryJavac.Result result = new InMemoryJavac().check(sources);
        StringBuilder report = new StringBuilder("compile rate per edit (" + DRAWS + " draws each on Sorter.java and Ledger.java):\n");
        for (JavaEdit.Kind kind : JavaEdit.Kind.values()) {
            List<String> mine = labelOf.entrySet().stream().filter(e -> e.getValue().equals(kind.operatorName())).map(Map.Entry::getKey).toList();
            long ok = mine.stream().filter(n -> !result.failed().contains(n)).count();
            double rate = mine.isEmpty() ? 0 : (double) ok / mine.size();
            report.append(String.format(Locale.ROOT, "  %-18s %3d/%3d  %3.0f%%%n", kind.operatorName(), ok, mine.size(), 100 * rate));
            mine.stream().filter(result.failed()::contains).limit(3).forEach(n -> report.append("      fails: ").append(descriptionOf.get(n)).append('\n'));
        }
        System.out.print(report);
        for (JavaEdit.Kind kind : JavaEdit.Kind.values()) {
            List<String> mine = labelOf.entrySet().stream().filter(e -> e.getValue().equals(kind.operatorName())).map(Map.Entry::getKey).toList();
            assertThat(mine).as("proposals of %s", kind).hasSizeGreaterThan(DRAWS + DRAWS / 2);
            long ok = mine.stream().filter(n -> !result.failed().contains(n)).count();
            assertThat((double) ok / mine.size()).as("compile rate of %s", kind).isGreaterThanOrEqualTo(0.6);
        }
    }
}
