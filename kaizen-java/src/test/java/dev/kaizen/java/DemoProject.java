package dev.kaizen.java;

import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A tiny project without Maven: a bubble sort in an evolve block, a benchmark that sorts 1,500
 * numbers, a JUnit 5 and a JUnit 4 test class, compiled with {@code javax.tools} against the test
 * JVM's classpath (which has JUnit) into {@code target/classes} and {@code target/test-classes}.
 */
final class DemoProject {

    static final String SORTER = "src/main/java/demo/Sorter.java";
    static final String REGION = SORTER + "#1";
    static final List<String> TESTS = List.of("demo.SorterTest", "demo.LegacySorterTest");
    static final String SCORE = "demo.Bench#score";

    /** The seed: a bubble sort. */
    static final String BUBBLE = """
                    for (int i = 0; i < a.length; i++) {
                        for (int j = 0; j + 1 < a.length - i; j++) {
                            if (a[j] > a[j + 1]) {
                                int t = a[j];
                                a[j] = a[j + 1];
                                a[j + 1] = t;
                            }
                        }
                    }
            """;
    static final String FAST = "        java.util.Arrays.sort(a);\n";
    /** Swaps the first and last element after sorting: 3 of the 6 tests fail. */
    static final String WRONG = """
                    java.util.Arrays.sort(a);
                    if (a.length > 1) {
                        int t = a[0];
                        a[0] = a[a.length - 1];
                        a[a.length - 1] = t;
                    }
            """;
    /** The bubble sort, done three times over. */
    static final String SLOW = """
                    for (int round = 0; round < 3; round++) {
                        a = input.clone();
            """ + BUBBLE + """
                    }
            """;

    private static final String SORTER_TEXT = """
            package demo;

            /** Sorts numbers. */
            public final class Sorter {
                private Sorter() {}

                public static int[] sort(int[] input) {
                    int[] a = input.clone();
                    // EVOLVE-BLOCK-START
            """ + BUBBLE + """
                    // EVOLVE-BLOCK-END
                    return a;
                }
            }
            """;

    private static final String BENCH = """
            package demo;

            public final class Bench {
                private Bench() {}

                /** Sorts 1,500 pseudo-random numbers; the score is how many adjacent pairs are in order. */
                public static double score() {
                    int[] data = new int[1500];
                    long x = 42;
                    for (int i = 0; i < data.length; i++) {
                        x = x * 6364136223846793005L + 1442695040888963407L;
                        data[i] = (int) (x >>> 40);
                    }
                    int[] sorted = Sorter.sort(data);
                    int ordered = 0;
                    for (int i = 0; i + 1 < sorted.length; i++) {
                        if (sorted[i] <= sorted[i + 1]) {
                            ordered++;
                        }
                    }
                    return ordered;
                }
            }
            """;

    private static final String JUPITER_TEST = """
            package demo;

            import static org.junit.jupiter.api.Assertions.assertArrayEquals;

            import org.junit.jupiter.api.Test;

            class SorterTest {
                @Test
                void sortsNumbers() {
                    assertArrayEquals(new int[] {1, 2, 3, 5, 8}, Sorter.sort(new int[] {5, 3, 8, 1, 2}));
                }

                @Test
                void empty() {
                    assertArrayEquals(new int[0], Sorter.sort(new int[0]));
                }

                @Test
                void single() {
                    assertArrayEquals(new int[] {7}, Sorter.sort(new int[] {7}));
                }

                @Test
                void alreadySorted() {
                    assertArrayEquals(new int[] {1, 2, 3}, Sorter.sort(new int[] {1, 2, 3}));
                }

                @Test
                void leavesInputAlone() {
                    int[] in = {2, 1};
                    Sorter.sort(in);
                    assertArrayEquals(new int[] {2, 1}, in);
                }
            }
            """;

    private static final String JUNIT4_TEST = """
            package demo;

            import static org.junit.Assert.assertArrayEquals;

            import org.junit.Test;

            public class LegacySorterTest {
                @Test
                public void sortsNegatives() {
                    assertArrayEquals(new int[] {-3, -1, 0, 4}, Sorter.sort(new int[] {0, -1, 4, -3}));
                }
            }
            """;

    private DemoProject() {}

    /** Writes and compiles the project in {@code root}. */
    static void create(Path root) throws IOException {
        write(root.resolve(SORTER), SORTER_TEXT);
        write(root.resolve("src/main/java/demo/Bench.java"), BENCH);
        write(root.resolve("src/test/java/demo/SorterTest.java"), JUPITER_TEST);
        write(root.resolve("src/test/java/demo/LegacySorterTest.java"), JUNIT4_TEST);
        Path classes = root.resolve("target/classes");
        Path testClasses = root.resolve("target/test-classes");
        compile(root.resolve("src/main/java"), classes, System.getProperty("java.class.path"));
        compile(root.resolve("src/test/java"), testClasses, classes + File.pathSeparator + System.getProperty("java.class.path"));
    }

    static Blueprint blueprint(Path root) {
        return Blueprint.read(root, List.of(SORTER));
    }

    /** The code with the sort's evolve block replaced by {@code body}. */
    static Code code(String body) {
        return Code.single(REGION, body);
    }

    /** JUnit's jars from the test JVM's classpath, as a project testing with JUnit 4 and 5 would list them. */
    static ProjectClasspath classpath(Path root) {
        List<Path> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.endsWith(".jar") && name.matches("(junit|hamcrest|opentest4j|apiguardian).*")) {
                jars.add(Path.of(entry));
            }
        }
        return new ProjectClasspath(List.of(root.resolve("target/classes"), root.resolve("target/test-classes")), jars);
    }

    private static void compile(Path sources, Path out, String classpath) throws IOException {
        Files.createDirectories(out);
        List<String> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "21", "-d", out.toString(), "-cp", classpath, "-proc:none"));
        args.addAll(files);
        StringWriter errors = new StringWriter();
        int status = javac.run(null, null, new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                errors.write(b);
            }
        }, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("the demo project does not compile: " + errors);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
