package dev.kaizen.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.RegionReader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GuardTest {

    private static final String PY = """
            import math
            # EVOLVE-BLOCK-START
            def f(x):
                return x + 1
            # EVOLVE-BLOCK-END
            print(f(2))
            # EVOLVE-BLOCK-START
            y = 1
            # EVOLVE-BLOCK-END
            """;

    private static final String JAVA = """
            class Foo {
                static int sum(int[] a) {
                    return 0;
                }

                static void untouched() {}
            }
            """;

    /** A method-body region as the Java region selection makes it: the lines between the braces. */
    private static Blueprint.SourceFile javaFile() {
        int open = JAVA.indexOf("{\n", JAVA.indexOf("sum(")) + 2;
        int close = JAVA.indexOf("    }\n", open);
        return new Blueprint.SourceFile("Foo.java", List.of(
                new Blueprint.Fixed(JAVA.substring(0, open)),
                new Blueprint.Hole("Foo.java#sum", JAVA.substring(open, close)),
                new Blueprint.Fixed(JAVA.substring(close))));
    }

    private final Blueprint blueprint = new Blueprint(List.of(Blueprint.parse("src/a.py", PY), javaFile()));
    private final Code seed = blueprint.seed();
    private final Guard guard = new Guard(blueprint, GuardPolicy.defaults());

    private String refusal(Guard g, Code child) {
        Guard.Verdict v = g.check(seed, child);
        assertThat(v.passed()).as("refused").isFalse();
        return v.refusal().orElseThrow();
    }

    @Test
    void passes_an_ordinary_edit_and_returns_its_patch() {
        Code child = seed.withRegion("src/a.py#1", "def f(x):\n    return x * 2\n").withRegion("Foo.java#sum", "        int s = 0;\n        for (int v : a) { s += v; }\n        return s;\n");
        Guard.Verdict v = guard.check(seed, child);
        assertThat(v.refusal()).isEmpty();
        assertThat(v.patch().changedLines()).isEqualTo(6);
    }

    @Test
    void refuses_a_region_that_contains_a_marker() {
        Code child = seed.withRegion("src/a.py#2", "y = 1\n# EVOLVE-BLOCK-END\nimport os\nos.system('rm -rf ~')\n");
        assertThat(refusal(guard, child)).isEqualTo("region src/a.py#2 contains the marker EVOLVE-BLOCK-END");
        Code start = seed.withRegion("src/a.py#1", "# EVOLVE-BLOCK-START\ndef f(x):\n    return 0\n");
        assertThat(refusal(guard, start)).isEqualTo("region src/a.py#1 contains the marker EVOLVE-BLOCK-START");
    }

    @Test
    void refuses_a_block_whose_last_line_would_join_the_marker_line() {
        Code child = seed.withRegion("src/a.py#2", "y = 2");
        assertThat(refusal(guard, child)).isEqualTo("region src/a.py#2 does not end with a line break, so its last line would join the EVOLVE-BLOCK-END marker line");
    }

    @Test
    void refuses_a_missing_or_an_extra_region() {
        Map<String, String> fewer = new TreeMap<>(seed.regions());
        fewer.remove("src/a.py#2");
        assertThat(refusal(guard, Code.of(fewer))).startsWith("the proposal drops region src/a.py#2");
        Map<String, String> more = new TreeMap<>(seed.regions());
        more.put("src/a.py#3", "z = 3\n");
        assertThat(refusal(guard, Code.of(more))).startsWith("the proposal adds region src/a.py#3, which the target does not have");
        Map<String, String> renamed = new TreeMap<>(seed.regions());
        renamed.put("src/b.py#2", renamed.remove("src/a.py#2"));
        assertThat(refusal(guard, Code.of(renamed))).startsWith("the proposal drops region src/a.py#2 and adds src/b.py#2");
    }

    @Test
    void refuses_a_method_region_that_closes_its_body() {
        Code child = seed.withRegion("Foo.java#sum", "        return 1;\n    }\n    public static void evil() {\n        System.exit(3);\n");
        assertThat(refusal(guard, child)).isEqualTo("region Foo.java#sum closes its method body (unbalanced '}' at line 2)");
        Code comment = seed.withRegion("Foo.java#sum", "        return 1; /*\n");
        assertThat(refusal(guard, comment)).isEqualTo("region Foo.java#sum is not a self-contained method body (unterminated comment opened at line 1)");
    }

    @Test
    void refuses_an_oversized_region_with_the_numbers() {
        int seedLength = seed.region("src/a.py#2").length();
        long limit = 4L * seedLength + 4096;
        Code big = seed.withRegion("src/a.py#2", "y = 1\n".repeat((int) (limit / 6) + 1));
        assertThat(refusal(guard, big)).isEqualTo("region src/a.py#2 has " + big.region("src/a.py#2").length() + " characters, over the limit of "
                + limit + " (4 x its seed's " + seedLength + " + 4096)");
        Guard strict = new Guard(blueprint, GuardPolicy.defaults().withMaxRegionChars(30));
        Code medium = seed.withRegion("src/a.py#2", "y = 12345678901234567890123456\n");
        assertThat(refusal(strict, medium)).isEqualTo("region src/a.py#2 has 31 characters, over the limit of 30 (guard.max_region_chars)");
    }

    @Test
    void refuses_too_many_changed_lines_with_the_numbers() {
        Guard strict = new Guard(blueprint, GuardPolicy.defaults().withMaxChangedLines(3));
        Code child = seed.withRegion("src/a.py#2", "y = 2\nz = 3\nw = 4\n");
        assertThat(refusal(strict, child)).isEqualTo("the proposal changes 4 lines, over the limit of 3 (guard.max_changed_lines)");
        assertThat(strict.check(seed, seed.withRegion("src/a.py#2", "y = 2\nz = 3\n")).passed()).isTrue();
    }

    @Test
    void method_files_are_read_back_with_the_blueprints_reader_when_it_has_one() {
        // stands in for a Java parser: finds the body of sum by counting braces, blind to literals
        RegionReader naive = (path, text) -> {
            int open = text.indexOf("{\n", text.indexOf("sum(")) + 2;
            int depth = 1;
            int i = open;
            while (depth > 0) {
                char c = text.charAt(i++);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            }
            int close = text.lastIndexOf('\n', i - 1) + 1;
            return new Blueprint.SourceFile(path, List.of(new Blueprint.Fixed(text.substring(0, open)),
                    new Blueprint.Hole(path + "#sum", text.substring(open, close)), new Blueprint.Fixed(text.substring(close))));
        };
        Blueprint bp = new Blueprint(List.of(javaFile()), naive);
        Guard withReader = new Guard(bp, GuardPolicy.defaults());
        Code s = bp.seed();
        assertThat(withReader.check(s, s.withRegion("Foo.java#sum", "        return a.length;\n")).passed()).isTrue();
        // lexically fine, but this reader reads the file differently: the guard trusts the reader
        assertThat(withReader.check(s, s.withRegion("Foo.java#sum", "        return \"}\".length();\n")).refusal().orElseThrow())
                .startsWith("file Foo.java does not read back as the same regions: ");
        // the marker reader cannot read method regions, so the default guard relies on the lexer alone
        assertThat(guard.check(seed, seed.withRegion("Foo.java#sum", "        return \"}\".length();\n")).passed()).isTrue();

        RegionReader failing = (path, text) -> {
            throw new IllegalArgumentException(path + ": not parseable as Java 21");
        };
        Guard strict = new Guard(bp.withReader(failing), GuardPolicy.defaults());
        assertThat(strict.check(s, s.withRegion("Foo.java#sum", "        return 1;\n")).refusal().orElseThrow())
                .isEqualTo("file Foo.java no longer reads as its regions: Foo.java: not parseable as Java 21");
    }

    @Test
    void refuses_a_whole_file_region_that_would_read_back_as_blocks() {
        Blueprint whole = new Blueprint(List.of(Blueprint.parse("w.txt", "all\nof it\n")));
        Guard g = new Guard(whole, GuardPolicy.defaults());
        Code s = whole.seed();
        assertThat(g.check(s, s.withRegion("w.txt", "all\nof it\nand more\n")).passed()).isTrue();
        assertThat(g.check(s, s.withRegion("w.txt", "# EVOLVE-BLOCK-START\nx\n# EVOLVE-BLOCK-END\n")).refusal().orElseThrow())
                .isEqualTo("region w.txt contains the marker EVOLVE-BLOCK-START");
    }

    @Test
    void region_names_tell_method_bodies_from_marker_blocks() {
        assertThat(Blueprint.isMethodRegion("Foo.java", "Foo.java#sum")).isTrue();
        assertThat(Blueprint.isMethodRegion("Foo.java", "Foo.java#merge(int[],int)")).isTrue();
        assertThat(Blueprint.isMethodRegion("Foo.java", "Foo.java#2")).isFalse();
        assertThat(Blueprint.isMethodRegion("Foo.java", "Foo.java")).isFalse();
    }
}
