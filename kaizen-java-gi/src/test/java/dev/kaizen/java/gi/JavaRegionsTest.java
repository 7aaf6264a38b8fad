package dev.kaizen.java.gi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaRegionsTest {

    private static final String PATH = "src/main/java/demo/Shapes.java";
    private static final String SHAPES = """
            package demo;

            public class Shapes {

                /** Area of a circle. */
                public static double area(double r) {
                    double a = Math.PI * r * r;
                    return a;
                }

                public static int sum(int[] xs) {
                    int s = 0;
                    for (int x : xs) {
                        s += x;
                    }
                    return s;
                }

                public static long sum(long[] xs) { long s = 0; for (long x : xs) { s += x; } return s; }

                static int twice(int x) { return 2 * x; }

                interface Shape {
                    double area();

                    default String describe() {
                        return "shape " + area();
                    }
                }

                abstract static class Base {
                    abstract int size();
                }
            }
            """;

    private static Blueprint.SourceFile methods(String... names) {
        return JavaRegions.methods(PATH, SHAPES, List.of(names));
    }

    @Test
    void holes_are_the_bodies_of_the_named_methods_and_render_the_file_back() {
        Blueprint.SourceFile file = methods("area", "twice", "sum(int[])");
        Blueprint blueprint = new Blueprint(List.of(file));
        Code seed = blueprint.seed();

        assertThat(seed.regions().keySet()).containsExactly(PATH + "#area", PATH + "#sum(int[])", PATH + "#twice");
        // Braces on their own lines: the region is the whole lines between them, like a marker block.
        assertThat(seed.region(PATH + "#area")).isEqualTo("        double a = Math.PI * r * r;\n        return a;\n");
        // A one-line method: the text between the braces.
        assertThat(seed.region(PATH + "#twice")).isEqualTo(" return 2 * x; ");
        assertThat(seed.region(PATH + "#sum(int[])")).startsWith("        int s = 0;\n").endsWith("        return s;\n");
        assertThat(blueprint.render(seed).get(PATH)).isEqualTo(SHAPES);
        assertThat(file.segments()).filteredOn(s -> s instanceof Blueprint.Fixed)
                .allSatisfy(s -> assertThat(((Blueprint.Fixed) s).text()).isNotEmpty());
    }

    @Test
    void selector_spacing_and_parameter_spelling_are_flexible() {
        assertThat(new Blueprint(List.of(methods(" sum ( long [ ] ) "))).seed().regions().keySet()).containsExactly(PATH + "#sum(long[])");
        assertThat(new Blueprint(List.of(methods("sum(long...)"))).seed().regions().keySet()).containsExactly(PATH + "#sum(long...)");
        assertThat(new Blueprint(List.of(methods("describe"))).seed().region(PATH + "#describe")).contains("return \"shape \" + area();");
    }

    @Test
    void clear_errors_name_the_file_and_method() {
        assertThatThrownBy(() -> methods("volume"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(PATH).hasMessageContaining("no method named 'volume'").hasMessageContaining("area, sum, twice");
        assertThatThrownBy(() -> methods("sum"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(PATH).hasMessageContaining("'sum' is ambiguous")
                .hasMessageContaining("sum(int[]), sum(long[])").hasMessageContaining("e.g. 'sum(int[])'");
        assertThatThrownBy(() -> methods("sum(double[])"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no method sum(double[]); declared: sum(int[]), sum(long[])");
        assertThatThrownBy(() -> methods("size"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(PATH).hasMessageContaining("'size()' has no body");
        assertThatThrownBy(() -> methods("twice", "twice(int)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("select the same method twice(int)");
        assertThatThrownBy(() -> methods("area(double"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'area(double' is not a method name");
        assertThatThrownBy(() -> JavaRegions.methods(PATH, "class {", List.of("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(PATH).hasMessageContaining("not parseable");
        assertThatThrownBy(() -> JavaRegions.methods(PATH, SHAPES, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no method names");
    }

    @Test
    void nested_selections_are_refused() {
        String text = "class A {\n    Runnable f() {\n        return new Runnable() {\n            public void run() {\n                g();\n            }\n        };\n    }\n    void g() {}\n}\n";
        assertThatThrownBy(() -> JavaRegions.methods("A.java", text, List.of("f", "run")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nest");
    }

    @Test
    void operators_edit_only_inside_the_named_bodies() {
        Blueprint.SourceFile file = methods("area", "sum(int[])", "twice");
        Target target = Fixtures.target(file);
        Code seed = target.blueprint().seed();
        String original = target.blueprint().render(seed).get(PATH);
        int made = 0;
        for (Operator op : JavaOperators.all()) {
            for (Proposal p : Fixtures.proposals(op, target, 30, 12)) {
                made++;
                String rendered = target.blueprint().render(p.code()).get(PATH);
                assertThat(Fixtures.parses(rendered)).as(p.description()).isTrue();
                // The signatures and everything outside the bodies are untouched.
                assertThat(rendered).contains("public static double area(double r) {", "public static int sum(int[] xs) {",
                        "static int twice(int x) {", "public static long sum(long[] xs) { long s = 0; for (long x : xs) { s += x; } return s; }");
                assertThat(rendered.substring(rendered.indexOf("interface Shape"))).isEqualTo(original.substring(original.indexOf("interface Shape")));
                Fixtures.assertReplays(seed, p.code());
            }
        }
        assertThat(made).isGreaterThan(150);
    }
}
