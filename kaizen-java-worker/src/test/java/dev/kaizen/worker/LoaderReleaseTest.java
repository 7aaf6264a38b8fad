package dev.kaizen.worker;

import static dev.kaizen.worker.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.worker.wire.EvaluateRequest;
import dev.kaizen.worker.wire.EvaluateResponse;
import dev.kaizen.worker.wire.TestResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of candidates through one evaluator, in this JVM: every candidate's class loaders
 * (the one its tests ran in and the counting one) must become unreachable once it is done, so
 * that their classes can be unloaded and a long-lived worker does not fill its metaspace.
 */
class LoaderReleaseTest {

    private static final int CANDIDATES = 200;

    @TempDir
    Path dir;

    @Test
    void candidate_class_loaders_are_released() throws Exception {
        CandidateEvaluator evaluator = CandidateEvaluator.create(FixtureProject.create(dir).setup(1024), new OutputCapture());
        String probe = """
                package com.acme;
                class ProbeTest {
                    static final ThreadLocal<Object> LOCAL = ThreadLocal.withInitial(() -> new ProbeTest());
                    @org.junit.jupiter.api.Test
                    void records() {
                        LOCAL.get();
                        dev.kaizen.worker.LoaderProbe.record(getClass().getClassLoader());
                        org.junit.jupiter.api.Assertions.assertEquals(3, Sorter.sort(new int[] {3, 1, 2})[2]);
                    }
                }
                """;
        EvaluateRequest request = request()
                .source("src/test/java/com/acme/ProbeTest.java", probe)
                .source(FixtureProject.SORTER_PATH, FixtureProject.LIBRARY_SORTER)
                .tests("com.acme.ProbeTest", "com.acme.SorterJUnit4Test")
                .score("com.acme.Bench#score").countCost()
                .build();

        for (int i = 0; i < CANDIDATES; i++) {
            EvaluateResponse r = evaluator.evaluate(request);
            assertThat(r.status()).isEqualTo(EvaluateResponse.Status.COMPLETED);
            assertThat(r.tests()).allMatch(t -> t.status() == TestResult.Status.PASSED).hasSize(2);
        }
        for (int i = 0; i < 5 && LoaderProbe.alive() > 1; i++) {
            System.gc();
            Thread.sleep(50);
        }

        assertThat(LoaderProbe.recorded()).isEqualTo(CANDIDATES);
        assertThat(LoaderProbe.alive()).isLessThanOrEqualTo(1);
    }
}
