package dev.kaizen.java.gi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What each edit does, on small fixtures where every possible outcome can be listed. */
class JavaEditTest {

    private static final String PATH = "src/Ops.java";

    private static String method(String signature, String body) {
        return "package demo;\n\npublic class Ops {\n    " + signature + " {\n        // EVOLVE-BLOCK-START\n" + body
                + "        // EVOLVE-BLOCK-END\n    }\n}\n";
    }

    /** The distinct texts captured by {@code regex} (group 1) in the evolve region of each proposal. */
    private static Set<String> captured(List<Proposal> proposals, String regex) {
        Pattern p = Pattern.compile(regex);
        Set<String> out = new HashSet<>();
        for (Proposal proposal : proposals) {
            Matcher m = p.matcher(proposal.code().region(PATH + "#1"));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    @Test
    void binop_swaps_within_a_family_and_keeps_the_tree_with_parentheses() {
        Target target = Fixtures.target(PATH, method("static int f(int a, int b, int c, boolean x, boolean y, String p, String q)", """
                        int r = a - b * c;
                        boolean z = x & y;
                        String s = p + q;
                        return r + s.length() + (z ? 1 : 0);
                """));
        List<Proposal> proposals = Fixtures.proposals(JavaEdit.of(JavaEdit.Kind.BINOP), target, 300, 1);

        assertThat(captured(proposals, "int r = (.*);")).isSubsetOf(
                "a - b * c", "a + b * c", "a * (b * c)", "a / (b * c)", "a % (b * c)",
                "a - (b + c)", "a - (b - c)", "a - b / c", "a - b % c")
                .contains("a - (b + c)", "a * (b * c)");
        assertThat(captured(proposals, "boolean z = x (\\S+) y;")).containsExactlyInAnyOrder("&", "|", "^");
        assertThat(captured(proposals, "String s = (.*);")).containsExactly("p + q");
    }

    @Test
    void cond_relaxes_tightens_shifts_and_negates_a_loop_bound() {
        Target target = Fixtures.target(Fixtures.SORTER_PATH, Fixtures.SORTER);
        List<Proposal> proposals = Fixtures.proposals(JavaEdit.of(JavaEdit.Kind.COND), target, 400, 2);
        Set<String> bounds = new HashSet<>();
        Pattern loop = Pattern.compile("for \\(int i = 1; (.*); i\\+\\+\\)");
        for (Proposal p : proposals) {
            Matcher m = loop.matcher(p.code().region(Fixtures.SORTER_PATH + "#1"));
            assertThat(m.find()).isTrue();
            bounds.add(m.group(1));
        }
        assertThat(bounds).isSubsetOf("i < n", "i <= n", "i < n + 1", "i < n - 1", "!(i < n)")
                .contains("i <= n", "i < n + 1", "i < n - 1", "!(i < n)");
        assertThat(proposals).anySatisfy(p -> assertThat(p.description()).isEqualTo("java.cond: `i < n` -> `i <= n` in Sorter.java:13"));
        // A loop condition is never made constant (javac rejects the unreachable code that follows).
        assertThat(proposals).noneSatisfy(p -> assertThat(p.code().region(Fixtures.SORTER_PATH + "#1")).containsPattern("(while|for) \\([^)]*(true|false)"));
    }

    @Test
    void unop_changes_increments_and_removes_negations() {
        Target target = Fixtures.target(PATH, method("static int g(int i, boolean done, int[] a)", """
                        i++;
                        int k = a[i--];
                        if (!done) {
                            k = -k;
                        }
                        return k;
                """));
        List<Proposal> proposals = Fixtures.proposals(JavaEdit.of(JavaEdit.Kind.UNOP), target, 300, 3);

        assertThat(captured(proposals, "(?m)^ {8}(\\S*i\\S*);$")).containsExactlyInAnyOrder("i++", "i--", "++i", "--i");
        assertThat(captured(proposals, "a\\[(.*)\\]")).containsExactlyInAnyOrder("i--", "i++", "++i", "--i", "i");
        assertThat(captured(proposals, "if \\((.*)\\)")).containsExactlyInAnyOrder("!done", "done");
        assertThat(captured(proposals, "k = (.*);")).contains("-k", "k");
        assertThat(captured(proposals, "return (.*);")).containsExactlyInAnyOrder("k", "-k");
    }

    @Test
    void literal_moves_numbers_flips_booleans_and_steps_chars() {
        Target target = Fixtures.target(PATH, method("static double h(int n)", """
                        int limit = 10;
                        boolean on = true;
                        char c = 'a';
                        double w = 2.5;
                        long big = 0x10L;
                        int neg = -3;
                        return n < limit && on ? w : c + big + neg;
                """));
        List<Proposal> proposals = Fixtures.proposals(JavaEdit.of(JavaEdit.Kind.LITERAL), target, 400, 4);

        assertThat(captured(proposals, "int limit = (.*);")).containsExactlyInAnyOrder("10", "11", "9", "20", "5", "0", "1", "-10");
        assertThat(captured(proposals, "boolean on = (.*);")).containsExactlyInAnyOrder("true", "false");
        assertThat(captured(proposals, "char c = (.*);")).containsExactlyInAnyOrder("'a'", "'b'", "'`'");
        assertThat(captured(proposals, "double w = (.*);")).containsExactlyInAnyOrder("2.5", "3.5", "1.5", "5.0", "1.25", "0.0", "1.0", "-2.5");
        assertThat(captured(proposals, "long big = (.*);")).containsExactlyInAnyOrder("0x10L", "0x11L", "0xfL", "0x20L", "0x8L", "0x0L", "0x1L", "-0x10L");
        assertThat(captured(proposals, "int neg = (.*);")).containsExactlyInAnyOrder("-3", "-2", "-4", "-6", "-1", "0", "1", "3");
    }

    @Test
    void expr_replace_only_substitutes_expressions_of_the_same_type() {
        String file = """
                package demo;

                public class Names {
                    private int total;
                    static String tag = "x";

                    int score(int count, int limit, String name, boolean strict) {
                        // EVOLVE-BLOCK-START
                        String label = name + "!";
                        int used = count - limit;
                        if (label.length() > limit && strict) {
                            used = used + label.length();
                        }
                        total += used;
                        return used * 2;
                        // EVOLVE-BLOCK-END
                    }
                }
                """;
        Map<String, String> types = new java.util.HashMap<>();
        for (String s : List.of("name", "label", "tag", "\"!\"", "name + \"!\"", "\"x\"")) {
            types.put(s, "String");
        }
        for (String s : List.of("count", "limit", "used", "total", "2", "count - limit", "label.length()", "used + label.length()", "used * 2")) {
            types.put(s, "int");
        }
        for (String s : List.of("strict", "label.length() > limit", "label.length() > limit && strict")) {
            types.put(s, "boolean");
        }
        Target target = Fixtures.target("src/Names.java", file);
        List<Proposal> proposals = Fixtures.proposals(JavaEdit.of(JavaEdit.Kind.EXPR_REPLACE), target, 400, 5);
        Pattern d = Pattern.compile("^java\\.expr\\.replace: `(.*)` -> `(.*)` in Names\\.java:\\d+");
        Set<String> seenTypes = new HashSet<>();
        for (Proposal p : proposals) {
            Matcher m = d.matcher(p.description());
            assertThat(m.find()).as(p.description()).isTrue();
            String before = m.group(1);
            String after = m.group(2).replaceAll("^\\((.*)\\)$", "$1");
            assertThat(types).as("fixture knows %s", p.description()).containsKeys(before, after);
            assertThat(types.get(after)).as(p.description()).isEqualTo(types.get(before));
            seenTypes.add(types.get(before));
        }
        assertThat(seenTypes).containsExactlyInAnyOrder("String", "int", "boolean");
        assertThat(proposals).anySatisfy(p -> assertThat(p.description()).startsWith("java.expr.replace: `name` -> `tag`"));
        assertThat(proposals).noneSatisfy(p -> assertThat(p.description()).containsPattern("`(count|limit|used|total)` -> `(name|label|tag)`"));
    }

    @Test
    void delete_keeps_declarations_still_used_and_the_final_return() {
        Target target = Fixtures.target(Fixtures.SORTER_PATH, Fixtures.SORTER);
        List<Proposal> proposals = Fixtures.proposals(JavaEdit.of(JavaEdit.Kind.STMT_DELETE), target, 300, 6);
        assertThat(proposals).hasSizeGreaterThan(250);
        Pattern deleted = Pattern.compile("^java\\.stmt\\.delete: `(.*)` in Sorter\\.java:\\d+$");
        Set<String> seen = new HashSet<>();
        for (Proposal p : proposals) {
            Matcher m = deleted.matcher(p.description());
            assertThat(m.matches()).as(p.description()).isTrue();
            seen.add(m.group(1));
            assertThat(p.code().region(Fixtures.SORTER_PATH + "#2").stripTrailing()).endsWith("return count;");
            // the deleted statement's lines go with it: no blank line is left behind
            assertThat(p.code().region(Fixtures.SORTER_PATH + "#1") + p.code().region(Fixtures.SORTER_PATH + "#2")).doesNotContainPattern("\n\\s*\n");
        }
        // Declarations used later and the final return are never deleted; everything else is.
        assertThat(seen).doesNotContain("int n = a.length;", "int key = a[i];", "int j = i - 1;", "int count = 0;",
                        "String name = \"count\";", "char grade = count > CUTOFF ? 'A' : 'B';", "double scale = 2.5;", "return count;")
                .contains("j--;", "count++;", "a[j + 1] = key;", "count += (int) (scale * 0);");
        assertThat(seen.stream().filter(t -> t.startsWith("for ") || t.startsWith("while ") || t.startsWith("if "))).hasSize(5);
    }

    @Test
    void copy_takes_ingredients_from_fixed_text() {
        Target target = Fixtures.target(Fixtures.SORTER_PATH, Fixtures.SORTER);
        List<Proposal> proposals = Fixtures.proposals(JavaEdit.of(JavaEdit.Kind.STMT_COPY), target, 300, 7);
        // `limit = 0;` appears only in the fixed method clamp(); countAbove() also has an int limit in scope.
        assertThat(proposals).anySatisfy(p -> assertThat(p.code().region(Fixtures.SORTER_PATH + "#2")).contains("limit = 0;"));
        for (Proposal p : proposals) {
            // a copied statement lands on its own line, indented like the statement it is next to
            for (String line : p.code().region(Fixtures.SORTER_PATH + "#1").split("\n")) {
                assertThat(line).matches("( {4}){2,}\\S.*");
            }
        }
    }

    @Test
    void replace_keeps_the_final_return_a_return() {
        Target target = Fixtures.target(Fixtures.SORTER_PATH, Fixtures.SORTER);
        List<Proposal> proposals = Fixtures.proposals(JavaEdit.of(JavaEdit.Kind.STMT_REPLACE), target, 300, 8);
        assertThat(proposals).hasSizeGreaterThan(250);
        for (Proposal p : proposals) {
            assertThat(p.code().region(Fixtures.SORTER_PATH + "#2").stripTrailing()).containsPattern("(return|throw) [^\n]*;$");
        }
    }

    @Test
    void swap_exchanges_whole_statements() {
        Target target = Fixtures.target(Fixtures.SORTER_PATH, Fixtures.SORTER);
        Code seed = target.blueprint().seed();
        List<Proposal> proposals = Fixtures.proposals(JavaEdit.of(JavaEdit.Kind.STMT_SWAP), target, 200, 9);
        assertThat(proposals).hasSizeGreaterThan(100);
        for (Proposal p : proposals) {
            for (String region : seed.regions().keySet()) {
                assertThat(sortedStrippedLines(p.code().region(region))).isEqualTo(sortedStrippedLines(seed.region(region)));
            }
            assertThat(p.description()).matches("java\\.stmt\\.swap: `.*` \\(Sorter\\.java:\\d+\\) <-> `.*` \\(Sorter\\.java:\\d+\\)");
        }
    }

    private static List<String> sortedStrippedLines(String text) {
        List<String> lines = new ArrayList<>(text.lines().map(String::strip).toList());
        lines.sort(null);
        return lines;
    }

    @Test
    void non_java_regions_get_no_proposals() {
        Target python = Fixtures.target("f.py", "def f():\n    # EVOLVE-BLOCK-START\n    a = 1\n    if a < 2:\n        a = a + 1\n    # EVOLVE-BLOCK-END\n    return a\n");
        for (Operator op : JavaOperators.all()) {
            assertThat(Fixtures.proposals(op, python, 20, 10)).as(op.name()).isEmpty();
        }
        assertThat(JavaOperators.hasJavaRegions(python)).isFalse();
    }

    @Test
    void in_a_mixed_target_only_java_regions_change() {
        Target mixed = Fixtures.target(
                dev.kaizen.core.target.Blueprint.parse("f.py", "# EVOLVE-BLOCK-START\nx = 1 + 2\n# EVOLVE-BLOCK-END\n"),
                dev.kaizen.core.target.Blueprint.parse(Fixtures.SORTER_PATH, Fixtures.SORTER));
        assertThat(JavaOperators.hasJavaRegions(mixed)).isTrue();
        Code seed = mixed.blueprint().seed();
        int made = 0;
        for (Operator op : JavaOperators.all()) {
            for (Proposal p : Fixtures.proposals(op, mixed, 20, 11)) {
                made++;
                assertThat(p.code().region("f.py#1")).isEqualTo(seed.region("f.py#1"));
            }
        }
        assertThat(made).isGreaterThan(100);
    }
}
