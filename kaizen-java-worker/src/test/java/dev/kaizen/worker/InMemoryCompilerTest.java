package dev.kaizen.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryCompilerTest {

    private final InMemoryCompiler compiler = new InMemoryCompiler(FixtureProject.workerClassPath(), "21");

    @Test
    void compiles_to_class_bytes_and_names_the_top_level_classes() {
        Compilation result = compiler.compile(Map.of("src/a/Outer.java", """
                package a;
                public class Outer {
                    static class Inner { }
                    Runnable r = new Runnable() { public void run() { } };
                }
                record Second(int x) { }
                """));

        assertThat(result).isInstanceOfSatisfying(Compilation.Success.class, s -> {
            assertThat(s.program().classes()).containsOnlyKeys("a.Outer", "a.Outer$Inner", "a.Outer$1", "a.Second");
            assertThat(s.program().topLevel()).containsExactlyInAnyOrder("a.Outer", "a.Second");
            assertThat(s.program().shadows("a.Outer$Gone")).isTrue();
            assertThat(s.program().shadows("a.Outers")).isFalse();
            assertThat(s.program().shadows("b.Outer")).isFalse();
        });
    }

    @Test
    void the_same_sources_come_from_the_cache() {
        Map<String, String> sources = Map.of("A.java", "class A { }");

        Compilation first = compiler.compile(sources);
        Compilation second = compiler.compile(Map.copyOf(sources));

        assertThat(((Compilation.Success) second).program()).isSameAs(((Compilation.Success) first).program());
    }

    @Test
    void diagnostics_are_capped_and_say_how_many_were_left_out() {
        StringBuilder source = new StringBuilder("class Many {\n");
        for (int i = 0; i < 200; i++) {
            source.append("    int f").append(i).append(" = missing").append(i).append(";\n");
        }
        source.append("}\n");

        Compilation result = compiler.compile(Map.of("Many.java", source.toString()));

        assertThat(result).isInstanceOfSatisfying(Compilation.Failure.class, f -> {
            assertThat(f.diagnostics()).startsWith("Many.java:2: error: cannot find symbol\n    int f0 = missing0;\n             ^\n");
            assertThat(f.diagnostics()).containsPattern("\\.\\.\\. and \\d+ more errors\n$");
            assertThat(f.diagnostics().length()).isLessThanOrEqualTo(InMemoryCompiler.MAX_DIAGNOSTICS + 50);
        });
    }

    @Test
    void an_unknown_release_is_a_failure_not_an_exception() {
        InMemoryCompiler bad = new InMemoryCompiler(FixtureProject.workerClassPath(), "7000");

        assertThat(bad.compile(Map.of("A.java", "class A { }"))).isInstanceOfSatisfying(Compilation.Failure.class,
                f -> assertThat(f.diagnostics()).contains("7000"));
    }
}
