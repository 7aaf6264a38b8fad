package dev.kaizen.worker;

import static dev.kaizen.worker.FixtureProject.LIBRARY_SORTER;
import static dev.kaizen.worker.FixtureProject.SORTER_PATH;
import static dev.kaizen.worker.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.worker.wire.EvaluateResponse;
import dev.kaizen.worker.wire.GuardPolicy;
import dev.kaizen.worker.wire.EvaluateResponse.Status;
import dev.kaizen.worker.wire.TestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Candidates that leave the worker able to serve the next one, all through one real worker process. */
class WorkerTest {

    private static final int OUTPUT_LIMIT = 4096;
    private static Path dir;
    private static WorkerProcess worker;

    @BeforeAll
    static void startWorker() throws Exception {
        dir = Files.createTempDirectory("worker-test");
        // exit and environment are allowed past the bytecode guard, so that the run-time checks behind it are seen
        // at work; files too, for a marker a static initializer writes
        worker = WorkerProcess.start(FixtureProject.create(dir).setup(OUTPUT_LIMIT)
                .withGuard(GuardPolicy.defaults().allowing("exit", "environment", "files")));
    }

    @AfterAll
    static void stopWorker() throws Exception {
        worker.close();
    }

    @Test
    void ready_reports_the_worker_jvm() {
        assertThat(worker.ready.pid()).isPositive();
        assertThat(worker.ready.javaVersion()).isEqualTo(System.getProperty("java.version"));
        assertThat(worker.ready.warmupNanos()).isPositive();
    }

    @Test
    void runs_jupiter_and_junit4_tests_that_pass() {
        EvaluateResponse r = worker.evaluate(request().tests("com.acme.SorterTest", "com.acme.SorterJUnit4Test").build());

        assertThat(r.status()).isEqualTo(Status.COMPLETED);
        assertThat(r.tests()).extracting(TestResult::name).containsExactlyInAnyOrder(
                "com.acme.SorterTest#sortsSmallArrays",
                "com.acme.SorterTest#keepsEmptyArrays",
                "com.acme.SorterTest#sortsDescendingRuns [1] 1",
                "com.acme.SorterTest#sortsDescendingRuns [2] 7",
                "com.acme.SorterJUnit4Test#sortsDescending");
        assertThat(r.tests()).allMatch(t -> t.status() == TestResult.Status.PASSED && t.nanos() > 0);
        assertThat(r.violations()).isEmpty();
        assertThat(r.recycle()).isFalse();
        assertThat(r.score()).isNaN();
        assertThat(r.cost()).isEqualTo(-1);
        assertThat(r.runNanos()).isPositive();
        assertThat(r.heapUsed()).isPositive();
        assertThat(r.metaspaceUsed()).isPositive();
    }

    @Test
    void a_failing_assertion_carries_its_message_and_the_projects_frames() {
        String unsorted = LIBRARY_SORTER.replace("java.util.Arrays.sort(r);", "");

        EvaluateResponse r = worker.evaluate(request().source(SORTER_PATH, unsorted).tests("com.acme.SorterTest").build());

        assertThat(r.status()).isEqualTo(Status.COMPLETED);
        TestResult failed = r.tests().stream().filter(t -> t.name().equals("com.acme.SorterTest#sortsSmallArrays")).findFirst().orElseThrow();
        assertThat(failed.status()).isEqualTo(TestResult.Status.FAILED);
        assertThat(failed.message())
                .startsWith("org.opentest4j.AssertionFailedError: array contents differ at index [0], expected: <1> but was: <3>")
                .contains("\tat com.acme.SorterTest.sortsSmallArrays(SorterTest.java:13)")
                .doesNotContain("org.junit.");
        assertThat(r.count(TestResult.Status.PASSED)).isEqualTo(2); // empty and one-element arrays
    }

    @Test
    void a_test_class_that_fails_as_a_whole_is_reported_under_its_name() {
        String broken = """
                package com.acme;
                class BrokenSetupTest {
                    @org.junit.jupiter.api.BeforeAll
                    static void connect() {
                        throw new IllegalStateException("no database");
                    }
                    @org.junit.jupiter.api.Test void neverRuns() { }
                }
                """;

        EvaluateResponse r = worker.evaluate(request().source("src/test/java/com/acme/BrokenSetupTest.java", broken)
                .tests("com.acme.BrokenSetupTest", "com.acme.SorterJUnit4Test").build());

        assertThat(r.status()).isEqualTo(Status.COMPLETED);
        assertThat(r.tests()).extracting(TestResult::name)
                .containsExactlyInAnyOrder("com.acme.BrokenSetupTest", "com.acme.SorterJUnit4Test#sortsDescending");
        assertThat(r.tests()).filteredOn(t -> t.name().equals("com.acme.BrokenSetupTest")).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(TestResult.Status.FAILED);
            assertThat(t.message()).isEqualTo("""
                    java.lang.IllegalStateException: no database
                    	at com.acme.BrokenSetupTest.connect(BrokenSetupTest.java:5)""");
        });
    }

    @Test
    void a_compile_error_reports_path_line_source_and_caret() {
        String broken = """
                package com.acme;
                public class Sorter {
                    public static int[] sort(int[] a) {
                        int x = foo(a.length);
                        return a;
                    }
                    static int also() { return undefinedName; }
                }
                """;

        EvaluateResponse r = worker.evaluate(request().source(SORTER_PATH, broken).tests("com.acme.SorterTest").build());

        assertThat(r.status()).isEqualTo(Status.COMPILE_ERROR);
        assertThat(r.detail()).startsWith("""
                src/main/java/com/acme/Sorter.java:4: error: cannot find symbol
                        int x = foo(a.length);
                                ^
                """);
        assertThat(r.detail()).contains("src/main/java/com/acme/Sorter.java:7: error: cannot find symbol");
        assertThat(r.tests()).isEmpty();
        assertThat(r.compileNanos()).isPositive();
        assertThat(r.recycle()).isFalse();
    }

    @Test
    void the_candidates_nested_classes_shadow_the_projects() {
        EvaluateResponse before = worker.evaluate(request().tests("com.acme.HelperTest").build());
        EvaluateResponse after = worker.evaluate(request().source(SORTER_PATH, LIBRARY_SORTER).tests("com.acme.HelperTest").build());

        assertThat(before.tests()).singleElement().extracting(TestResult::status).isEqualTo(TestResult.Status.FAILED);
        assertThat(after.tests()).singleElement().extracting(TestResult::status).isEqualTo(TestResult.Status.PASSED);
    }

    @Test
    void a_nested_class_the_candidate_dropped_is_not_taken_from_the_project() {
        String withoutHelper = LIBRARY_SORTER.substring(0, LIBRARY_SORTER.indexOf("    public static class Helper")) + "}\n";

        EvaluateResponse r = worker.evaluate(request().source(SORTER_PATH, withoutHelper).tests("com.acme.HelperTest").build());

        assertThat(r.tests()).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(TestResult.Status.FAILED);
            assertThat(t.message()).startsWith("java.lang.NoClassDefFoundError: com/acme/Sorter$Helper");
        });
    }

    @Test
    void resources_come_from_the_project_and_compiled_classes_from_memory() {
        String resourceTest = """
                package com.acme;
                import static org.junit.jupiter.api.Assertions.*;
                import org.junit.jupiter.api.Test;
                class ResourceTest {
                    @Test void reads() throws Exception {
                        java.util.Properties p = new java.util.Properties();
                        try (var in = getClass().getResourceAsStream("/fixture.properties")) { p.load(in); }
                        assertEquals("hello", p.getProperty("greeting"));
                        try (var in = getClass().getResourceAsStream("Sorter.class")) {
                            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                            assertTrue(text.contains("java/util/Arrays"), "the candidate's Sorter, not the project's");
                        }
                        assertNull(getClass().getResource("Sorter$Helper.class"), "the project's Helper is shadowed");
                    }
                }
                """;
        String withoutHelper = LIBRARY_SORTER.substring(0, LIBRARY_SORTER.indexOf("    public static class Helper")) + "}\n";

        EvaluateResponse r = worker.evaluate(request().source(SORTER_PATH, withoutHelper)
                .source("src/test/java/com/acme/ResourceTest.java", resourceTest).tests("com.acme.ResourceTest").build());

        assertThat(r.tests()).singleElement().satisfies(t -> assertThat(t.status()).as(t.message()).isEqualTo(TestResult.Status.PASSED));
    }

    @Test
    void a_missing_test_class_crashes_the_candidate() {
        EvaluateResponse r = worker.evaluate(request().tests("com.acme.SorterTest", "com.acme.NoSuchTest").build());

        assertThat(r.status()).isEqualTo(Status.CRASHED);
        assertThat(r.detail()).startsWith("test class com.acme.NoSuchTest not found");
        assertThat(r.tests()).isEmpty();
        assertThat(r.recycle()).isFalse();
    }

    @Test
    void system_exit_is_stopped_reported_and_the_worker_serves_on() {
        String exitTest = """
                package com.acme;
                import org.junit.jupiter.api.Test;
                class ExitTest {
                    @Test void exits() { Quitter.quit(3); }
                    @Test void halts() { Runtime.getRuntime().halt(4); }
                    @Test void exitsThroughAMethodReference() {
                        java.util.function.IntConsumer exit = System::exit;
                        exit.accept(5);
                    }
                    @Test void swallowsTheExit() {
                        try { System.exit(6); } catch (Throwable ignored) { }
                    }
                }
                """;
        String quitter = "package com.acme; public class Quitter { public static void quit(int s) { System.exit(s); } }";

        EvaluateResponse r = worker.evaluate(request()
                .source("src/test/java/com/acme/ExitTest.java", exitTest)
                .source("src/main/java/com/acme/Quitter.java", quitter)
                .tests("com.acme.ExitTest").build());
        EvaluateResponse next = worker.evaluate(request().tests("com.acme.SorterTest").build());

        assertThat(r.status()).isEqualTo(Status.VIOLATION);
        assertThat(r.violations()).containsExactlyInAnyOrder(
                "called System.exit(3)", "called Runtime.halt(4)", "called System.exit(5)", "called System.exit(6)");
        assertThat(r.tests()).filteredOn(t -> t.status() == TestResult.Status.FAILED).hasSize(3)
                .allSatisfy(t -> assertThat(t.message()).startsWith("dev.kaizen.worker.CandidateExit: candidate called"));
        assertThat(r.recycle()).isFalse();
        assertThat(next.status()).isEqualTo(Status.COMPLETED);
        assertThat(next.served()).isEqualTo(r.served() + 1);
    }

    @Test
    void a_refused_candidate_runs_no_static_initializer_and_an_allowed_category_passes() {
        Path marker = dir.resolve("static-initializer-ran");
        String candidate = """
                package com.acme;
                public class Marker {
                    static {
                        try {
                            java.nio.file.Files.writeString(java.nio.file.Path.of("%s"), "ran");
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    public static int value() { return 1; }
                    %s
                }
                """;
        String test = """
                package com.acme;
                class MarkerTest {
                    @org.junit.jupiter.api.Test void initializes() { org.junit.jupiter.api.Assertions.assertEquals(1, Marker.value()); }
                }
                """;
        String spawn = "public static void spawn() throws Exception { new ProcessBuilder(\"true\").start(); }";

        EvaluateResponse refused = worker.evaluate(request()
                .source("src/main/java/com/acme/Marker.java", candidate.formatted(marker, spawn))
                .source("src/test/java/com/acme/MarkerTest.java", test).tests("com.acme.MarkerTest").build());

        assertThat(refused.status()).isEqualTo(Status.REFUSED);
        assertThat(refused.detail()).isEqualTo("""
                forbidden call new java.lang.ProcessBuilder(String[]) in Marker.spawn (line 11): process spawning (guard category process)
                forbidden call java.lang.ProcessBuilder.start() in Marker.spawn (line 11): process spawning (guard category process)""");
        assertThat(marker).doesNotExist();

        EvaluateResponse allowed = worker.evaluate(request()
                .source("src/main/java/com/acme/Marker.java", candidate.formatted(marker, ""))
                .source("src/test/java/com/acme/MarkerTest.java", test).tests("com.acme.MarkerTest").build());

        assertThat(allowed.status()).as(allowed.detail()).isEqualTo(Status.COMPLETED);
        assertThat(allowed.tests()).singleElement().extracting(TestResult::status).isEqualTo(TestResult.Status.PASSED);
        assertThat(marker).hasContent("ran");
    }

    @Test
    void changed_global_state_is_reported_and_restored() {
        String polluter = """
                package com.acme;
                import org.junit.jupiter.api.Test;
                class PolluteTest {
                    @Test void pollutes() {
                        System.setProperty("kaizen.fixture", "x");
                        java.util.Locale.setDefault(java.util.Locale.JAPAN);
                        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Pacific/Kiritimati"));
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> { }, "fixture-hook"));
                    }
                }
                """;
        String checker = """
                package com.acme;
                import static org.junit.jupiter.api.Assertions.*;
                import org.junit.jupiter.api.Test;
                class CleanTest {
                    @Test void isClean() {
                        assertNull(System.getProperty("kaizen.fixture"));
                        assertNotEquals(java.util.Locale.JAPAN, java.util.Locale.getDefault());
                        assertNotEquals("Pacific/Kiritimati", java.util.TimeZone.getDefault().getID());
                    }
                }
                """;

        EvaluateResponse polluted = worker.evaluate(request().source("src/test/java/com/acme/PolluteTest.java", polluter)
                .tests("com.acme.PolluteTest").build());
        EvaluateResponse clean = worker.evaluate(request().source("src/test/java/com/acme/CleanTest.java", checker)
                .tests("com.acme.CleanTest").build());

        assertThat(polluted.status()).isEqualTo(Status.VIOLATION);
        assertThat(polluted.tests()).singleElement().extracting(TestResult::status).isEqualTo(TestResult.Status.PASSED);
        assertThat(polluted.violations()).contains(
                "system property kaizen.fixture changed: (unset) -> \"x\" (restored)",
                "shutdown hook added: \"fixture-hook\" (removed)");
        assertThat(polluted.violations()).anySatisfy(v -> assertThat(v).startsWith("default locale changed:").contains("ja_JP"));
        assertThat(polluted.violations()).anySatisfy(v -> assertThat(v).startsWith("default time zone changed:").contains("Pacific/Kiritimati"));
        assertThat(polluted.recycle()).isFalse();
        assertThat(clean.status()).isEqualTo(Status.COMPLETED);
        assertThat(clean.violations()).isEmpty();
        assertThat(clean.tests()).singleElement().extracting(TestResult::status).isEqualTo(TestResult.Status.PASSED);
    }

    @Test
    void a_flood_of_output_is_captured_capped_and_keeps_the_protocol_intact() {
        String flood = """
                package com.acme;
                import org.junit.jupiter.api.Test;
                class FloodTest {
                    @Test void floods() throws Exception {
                        System.out.println("HEAD-MARK");
                        Thread t = new Thread(() -> { for (int i = 0; i < 20_000; i++) System.err.println("from a thread " + i); });
                        t.start();
                        for (int i = 0; i < 100_000; i++) System.out.println("line " + i);
                        t.join();
                        System.out.print("TAIL-MARK");
                    }
                }
                """;

        EvaluateResponse r = worker.evaluate(request().source("src/test/java/com/acme/FloodTest.java", flood)
                .tests("com.acme.FloodTest").build());
        EvaluateResponse next = worker.evaluate(request().tests("com.acme.SorterJUnit4Test").build());

        assertThat(r.status()).isEqualTo(Status.COMPLETED);
        assertThat(r.output()).startsWith("HEAD-MARK\n").endsWith("TAIL-MARK").containsPattern("\\[\\.\\.\\. \\d+ bytes dropped \\.\\.\\.]");
        assertThat(r.output().length()).isLessThan(OUTPUT_LIMIT + 100);
        assertThat(next.status()).isEqualTo(Status.COMPLETED);
        assertThat(next.output()).isEmpty();
    }

    @Test
    void the_score_method_gives_the_score_or_crashes_the_candidate() {
        String scores = """
                package com.acme;
                public class Scores {
                    public static String text() { return "not a number"; }
                    public static int boom() { throw new IllegalStateException("boom"); }
                }
                """;

        EvaluateResponse number = worker.evaluate(request().score("com.acme.Bench#score").build());
        EvaluateResponse text = worker.evaluate(request().source("src/test/java/com/acme/Scores.java", scores).score("com.acme.Scores#text").build());
        EvaluateResponse boom = worker.evaluate(request().source("src/test/java/com/acme/Scores.java", scores).score("com.acme.Scores#boom").build());
        EvaluateResponse missing = worker.evaluate(request().score("com.acme.Bench#nothing").build());

        assertThat(number.status()).isEqualTo(Status.COMPLETED);
        assertThat(number.score()).isEqualTo(996.5);
        assertThat(text.status()).isEqualTo(Status.COMPLETED);
        assertThat(text.score()).isNaN();
        assertThat(boom.status()).isEqualTo(Status.CRASHED);
        assertThat(boom.detail()).startsWith("score method com.acme.Scores#boom threw java.lang.IllegalStateException: boom")
                .contains("at com.acme.Scores.boom(Scores.java:4)");
        assertThat(missing.status()).isEqualTo(Status.CRASHED);
        assertThat(missing.detail()).contains("com.acme.Bench#nothing() not found");
    }

    @Test
    void timing_measures_a_slower_candidate_as_slower_than_its_reference() {
        String tenTimesTheWork = LIBRARY_SORTER.replace("java.util.Arrays.sort(r);",
                "for (int k = 0; k < 10; k++) { r = a.clone(); java.util.Arrays.sort(r); }");

        EvaluateResponse r = worker.evaluate(request().source(SORTER_PATH, tenTimesTheWork).score("com.acme.Bench#score")
                .reference(SORTER_PATH, LIBRARY_SORTER).timing(1000, 15).build());

        assertThat(r.status()).isEqualTo(Status.COMPLETED);
        assertThat(r.candidateNanos()).hasSize(15);
        assertThat(r.referenceNanos()).hasSize(15);
        assertThat(Arrays.stream(r.candidateNanos()).min().orElseThrow()).isPositive();
        assertThat(Arrays.stream(r.referenceNanos()).min().orElseThrow()).isPositive();
        assertThat(median(r.candidateNanos())).isGreaterThan(3 * median(r.referenceNanos()));
    }

    @Test
    void timing_without_a_reference_measures_the_candidate_alone() {
        EvaluateResponse r = worker.evaluate(request().score("com.acme.Bench#score").timing(5, 4).build());

        assertThat(r.candidateNanos()).hasSize(4);
        assertThat(r.referenceNanos()).isEmpty();
    }

    @Test
    void cost_is_deterministic_and_smaller_for_a_cheaper_algorithm() {
        EvaluateResponse bubble = worker.evaluate(request().score("com.acme.Bench#score").countCost().build());
        EvaluateResponse again = worker.evaluate(request().score("com.acme.Bench#score").countCost().build());
        EvaluateResponse library = worker.evaluate(request().source(SORTER_PATH, LIBRARY_SORTER)
                .score("com.acme.Bench#score").countCost().build());
        EvaluateResponse tests = worker.evaluate(request().tests("com.acme.SorterTest").countCost().build());
        EvaluateResponse testsAgain = worker.evaluate(request().tests("com.acme.SorterTest").countCost().build());

        assertThat(bubble.cost()).isGreaterThan(300 * 299 / 2 * 5); // every compare of a bubble sort costs several instructions
        assertThat(again.cost()).isEqualTo(bubble.cost());
        assertThat(library.cost()).isPositive().isLessThan(bubble.cost() / 20);
        assertThat(library.score()).isEqualTo(bubble.score());
        assertThat(tests.cost()).isPositive().isEqualTo(testsAgain.cost());
        assertThat(tests.tests()).hasSize(4); // the counting run's results are not reported twice
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
