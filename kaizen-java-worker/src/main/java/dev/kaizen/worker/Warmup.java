package dev.kaizen.worker;

import dev.kaizen.worker.wire.EvaluateRequest;
import dev.kaizen.worker.wire.EvaluateResponse;
import dev.kaizen.worker.wire.Setup;
import dev.kaizen.worker.wire.TestResult;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Takes the cold start off the first real candidate: compiles a small class with the project's
 * compiler, then evaluates a tiny program of its own (a JUnit 5 test, a JUnit 4 test and a scoring
 * method, timed and counted) through every step a candidate goes through. The tiny program
 * compiles against the worker's own class path, where JUnit is, since the project's compile class
 * path need not have both JUnit versions.
 */
final class Warmup {

    private static final String PACKAGE = "dev.kaizen.worker.warmup";

    private Warmup() {}

    /**
     * Warms up {@code evaluator}.
     *
     * @throws IllegalStateException when the project's compiler or the worker's own machinery does
     *                               not work, with what went wrong
     */
    static void run(CandidateEvaluator evaluator) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            Compilation c = evaluator.compiler().compile(Map.of("Warm" + i + ".java", tinyClass("Warm" + i, i)));
            if (c instanceof Compilation.Failure f) {
                throw new IllegalStateException("cannot compile with the project's settings:\n" + f.diagnostics());
            }
        }
        String path = PACKAGE.replace('.', '/') + "/";
        Setup own = new Setup(List.of(), Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)),
                String.valueOf(Runtime.version().feature()), 1024);
        CandidateEvaluator warm = evaluator.sibling(own);
        for (int i = 0; i < 2; i++) {
            EvaluateRequest request = new EvaluateRequest(-1 - i,
                    Map.of(path + "Jupiter.java", jupiterTest(i), path + "Vintage.java", vintageTest(i),
                            path + "Bench.java", bench(i)),
                    List.of(PACKAGE + ".Jupiter", PACKAGE + ".Vintage"), 10_000, 30_000, PACKAGE + ".Bench#score",
                    Map.of(path + "Bench.java", bench(i + 1)), 2, 3, true, 1);
            EvaluateResponse response = warm.evaluate(request);
            if (response.status() != EvaluateResponse.Status.COMPLETED || response.count(TestResult.Status.PASSED) != 2) {
                throw new IllegalStateException("warm-up evaluation failed: " + response.status() + " " + response.detail()
                        + " " + response.tests());
            }
        }
    }

    private static String tinyClass(String name, int salt) {
        return """
                package %s;
                import java.util.*;
                public class %s {
                    private final List<Integer> values = new ArrayList<>();
                    public void add(int v) { values.add(v * %d); }
                    public int sum() { int s = 0; for (int v : values) { s += v; } return s; }
                    public static String describe(Map<String, Integer> m) {
                        StringBuilder b = new StringBuilder();
                        m.forEach((k, v) -> b.append(k).append('=').append(v).append(';'));
                        return b.toString();
                    }
                }
                """.formatted(PACKAGE, name, salt + 1);
    }

    private static String jupiterTest(int salt) {
        return """
                package %s;
                class Jupiter {
                    @org.junit.jupiter.api.Test
                    void adds() { org.junit.jupiter.api.Assertions.assertEquals(%d, Bench.twice(%d)); }
                }
                """.formatted(PACKAGE, 2 * salt, salt);
    }

    private static String vintageTest(int salt) {
        return """
                package %s;
                public class Vintage {
                    @org.junit.Test
                    public void adds() { org.junit.Assert.assertEquals(%d, Bench.twice(%d)); }
                }
                """.formatted(PACKAGE, 2 * salt + 2, salt + 1);
    }

    private static String bench(int salt) {
        return """
                package %s;
                public class Bench {
                    static int twice(int x) { return x + x; }
                    public static double score() {
                        long s = 0;
                        for (int i = 0; i < 100 + %d; i++) { s += twice(i) %% 7; }
                        return s;
                    }
                }
                """.formatted(PACKAGE, salt);
    }
}
