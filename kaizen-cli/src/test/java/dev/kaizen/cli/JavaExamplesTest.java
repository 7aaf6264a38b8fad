package dev.kaizen.cli;

import static dev.kaizen.cli.CliTestSupport.kaizen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.store.SqliteArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Java examples, run through the command line with their own Maven builds and warm
 * workers: the offline engine repairs the buggy class and makes the slow one cheaper. Budgets are
 * smaller than the examples' own; the thresholds are well inside what full runs reach (all 16
 * tests in about 1,100 evaluations; an 11x lower cost after about 130).
 */
class JavaExamplesTest {

    @TempDir
    Path tmp;

    private static List<Candidate> history(Path target) {
        try (SqliteArchive archive = SqliteArchive.openReadOnly(RunDirectory.locate(target.toString()).archive())) {
            return archive.history(0, 100_000);
        }
    }

    @Test
    void the_repair_example_makes_failing_tests_pass() throws IOException {
        assumeTrue(CliTestSupport.onPath("mvn"), "the example resolves its classpath with Maven");
        Path target = CliTestSupport.example("java-repair", tmp);

        CliTestSupport.Result r = kaizen("run", target.toString(), "--evaluations", "400", "--parallelism", "2");

        assertThat(r.code()).as(r.all()).isZero();
        List<Candidate> all = history(target);
        Candidate seed = all.get(0);
        assertThat(seed.evaluation().metrics()).as("5 of the 16 tests pass at the seed")
                .containsEntry("tests_passed", 5.0).containsEntry("tests_total", 16.0);
        double best = all.stream().filter(Candidate::feasible).mapToDouble(c -> c.evaluation().metrics().get("tests_passed")).max().orElseThrow();
        assertThat(best).as(r.out()).isGreaterThanOrEqualTo(11.0);
        assertThat(all).as("no evaluation is lost to the evaluator itself")
                .noneMatch(c -> c.evaluation().outcome().reason().startsWith("evaluator error"));
    }

    @Test
    void the_speedup_example_gets_cheaper_without_failing_a_test() throws IOException {
        assumeTrue(CliTestSupport.onPath("mvn"), "the example resolves its classpath with Maven");
        Path target = CliTestSupport.example("java-speedup", tmp);
        // the search is driven by the deterministic cost; timing is tested in kaizen-java
        Path yaml = target.resolve("kaizen.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("timing: { warmup: 3, rounds: 11, confidence: 0.99 }", "timing: false"));

        CliTestSupport.Result r = kaizen("run", target.toString(), "--evaluations", "300", "--parallelism", "2");

        assertThat(r.code()).as(r.all()).isZero();
        List<Candidate> all = history(target);
        double seedCost = all.get(0).evaluation().metrics().get("cost");
        Candidate best = all.stream().filter(Candidate::feasible).max((a, b) -> Double.compare(a.fitness(), b.fitness())).orElseThrow();
        assertThat(best.evaluation().metrics()).containsEntry("tests_failed", 0.0);
        assertThat(best.evaluation().metrics().get("cost")).as(r.out()).isLessThan(seedCost / 5);
        assertThat(best.evaluation().metrics().get("score")).as("the workload's answers are unchanged")
                .isEqualTo(all.get(0).evaluation().metrics().get("score"));
    }
}
