package dev.kaizen.cli;

import static dev.kaizen.cli.CliTestSupport.kaizen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.store.SqliteArchive;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline engine makes real progress on the shipped example in another language and on every init template. */
class TargetsImproveTest {

    @TempDir
    Path tmp;

    private static Candidate[] seedAndBest(Path target) {
        try (SqliteArchive archive = SqliteArchive.openReadOnly(RunDirectory.locate(target.toString()).archive())) {
            return new Candidate[] {archive.history(0, 1).get(0), archive.best().orElseThrow()};
        }
    }

    @Test
    void the_javascript_example_improves_offline() throws Exception {
        assumeTrue(CliTestSupport.onPath("node"), "node is needed for the JavaScript example");
        Path target = CliTestSupport.example("symbolic-regression-js", tmp);
        CliTestSupport.Result r = kaizen("run", target.toString(), "--evaluations", "60", "--parallelism", "2");
        assertThat(r.code()).as(r.all()).isZero();
        Candidate[] sb = seedAndBest(target);
        assertThat(sb[0].feasible()).isTrue();
        assertThat(sb[1].fitness()).isGreaterThan(sb[0].fitness());
    }

    @ParameterizedTest
    @CsvSource({"python, python3, 60", "command, awk, 60", "java, javac, 12"})
    void each_init_template_runs_and_improves(String template, String tool, int evaluations) {
        assumeTrue(CliTestSupport.onPath(tool), tool + " is needed for the " + template + " template");
        Path target = tmp.resolve(template);
        assertThat(kaizen("init", target.toString(), "--template", template).code()).isZero();
        CliTestSupport.Result r = kaizen("run", target.toString(), "--evaluations", Integer.toString(evaluations), "--parallelism", "2");
        assertThat(r.code()).as(r.all()).isZero();
        Candidate[] sb = seedAndBest(target);
        assertThat(sb[0].feasible()).as("the template's seed passes").isTrue();
        assertThat(sb[1].fitness()).as(r.out()).isGreaterThan(sb[0].fitness());
    }
}
