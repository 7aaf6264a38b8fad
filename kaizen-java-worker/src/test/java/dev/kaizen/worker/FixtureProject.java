package dev.kaizen.worker;

import dev.kaizen.worker.wire.Setup;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A small project compiled at test time into class directories, as a user's build would leave it:
 * {@code com.acme.Sorter} (a bubble sort with a nested {@code Helper}), its JUnit 5 and JUnit 4
 * tests, a {@code Bench} with a scoring method, and a resource {@code fixture.properties}.
 */
final class FixtureProject {

    static final String BUBBLE_SORTER = """
            package com.acme;

            public class Sorter {
                public static int[] sort(int[] a) {
                    int[] r = a.clone();
                    for (int i = 0; i < r.length; i++) {
                        for (int j = 0; j + 1 < r.length - i; j++) {
                            if (r[j] > r[j + 1]) {
                                int t = r[j];
                                r[j] = r[j + 1];
                                r[j + 1] = t;
                            }
                        }
                    }
                    return r;
                }

                public static class Helper {
                    public static String tag() {
                        return "old";
                    }
                }
            }
            """;

    static final String LIBRARY_SORTER = """
            package com.acme;

            public class Sorter {
                public static int[] sort(int[] a) {
                    int[] r = a.clone();
                    java.util.Arrays.sort(r);
                    return r;
                }

                public static class Helper {
                    public static String tag() {
                        return "new";
                    }
                }
            }
            """;

    static final String SORTER_PATH = "src/main/java/com/acme/Sorter.java";

    private static final Map<String, String> MAIN = Map.of(SORTER_PATH, BUBBLE_SORTER);

    private static final Map<String, String> TESTS = Map.of(
            "src/test/java/com/acme/SorterTest.java", """
                    package com.acme;

                    import static org.junit.jupiter.api.Assertions.assertArrayEquals;
                    import static org.junit.jupiter.api.Assertions.assertEquals;

                    import org.junit.jupiter.api.Test;
                    import org.junit.jupiter.params.ParameterizedTest;
                    import org.junit.jupiter.params.provider.ValueSource;

                    class SorterTest {
                        @Test
                        void sortsSmallArrays() {
                            assertArrayEquals(new int[] {1, 2, 3}, Sorter.sort(new int[] {3, 1, 2}));
                        }

                        @Test
                        void keepsEmptyArrays() {
                            assertEquals(0, Sorter.sort(new int[0]).length);
                        }

                        @ParameterizedTest
                        @ValueSource(ints = {1, 7})
                        void sortsDescendingRuns(int n) {
                            int[] a = new int[n];
                            for (int i = 0; i < n; i++) {
                                a[i] = n - i;
                            }
                            assertEquals(1, Sorter.sort(a)[0]);
                        }
                    }
                    """,
            "src/test/java/com/acme/SorterJUnit4Test.java", """
                    package com.acme;

                    import org.junit.Assert;
                    import org.junit.Test;

                    public class SorterJUnit4Test {
                        @Test
                        public void sortsDescending() {
                            Assert.assertArrayEquals(new int[] {1, 2, 3}, Sorter.sort(new int[] {3, 2, 1}));
                        }
                    }
                    """,
            "src/test/java/com/acme/HelperTest.java", """
                    package com.acme;

                    import static org.junit.jupiter.api.Assertions.assertEquals;

                    import org.junit.jupiter.api.Test;

                    class HelperTest {
                        @Test
                        void tagIsNew() {
                            assertEquals("new", Sorter.Helper.tag());
                        }
                    }
                    """,
            "src/test/java/com/acme/Bench.java", """
                    package com.acme;

                    public class Bench {
                        public static double score() {
                            int[] a = new int[300];
                            for (int i = 0; i < a.length; i++) {
                                a[i] = (i * 7919) % 1000;
                            }
                            int[] s = Sorter.sort(a);
                            return s[s.length - 1] + 0.5;
                        }
                    }
                    """);

    final Path mainClasses;
    final Path testClasses;

    private FixtureProject(Path mainClasses, Path testClasses) {
        this.mainClasses = mainClasses;
        this.testClasses = testClasses;
    }

    /** Compiles the project under {@code dir}. */
    static FixtureProject create(Path dir) {
        Path main = dir.resolve("classes");
        Path test = dir.resolve("test-classes");
        compile(MAIN, main, workerClassPath());
        List<String> testPath = new ArrayList<>(workerClassPath());
        testPath.addFirst(main.toString());
        compile(TESTS, test, testPath);
        try {
            Files.writeString(test.resolve("fixture.properties"), "greeting=hello\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FixtureProject(main, test);
    }

    /** The setup a host would send for this project. */
    Setup setup(int outputLimit) {
        List<String> classpath = new ArrayList<>(List.of(mainClasses.toString(), testClasses.toString()));
        classpath.addAll(workerClassPath());
        return new Setup(List.of(mainClasses.toString(), testClasses.toString()), classpath, "21", outputLimit);
    }

    /** The test JVM's class path: the worker's classes, JUnit, ASM. */
    static List<String> workerClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .toList();
    }

    static void compile(Map<String, String> sources, Path out, List<String> classpath) {
        try {
            Path src = Files.createTempDirectory("fixture-src");
            List<String> args = new ArrayList<>(List.of("--release", "21", "-proc:none", "-g", "-d", out.toString(),
                    "-cp", String.join(File.pathSeparator, classpath)));
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path file = src.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                args.add(file.toString());
            }
            Files.createDirectories(out);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int rc = javac.run(null, errors, errors, args.toArray(String[]::new));
            if (rc != 0) {
                throw new IllegalStateException("fixture did not compile: " + errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
