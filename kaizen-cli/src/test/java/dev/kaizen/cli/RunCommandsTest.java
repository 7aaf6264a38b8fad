package dev.kaizen.cli;

import static dev.kaizen.cli.CliTestSupport.kaizen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.store.JsonlLedger;
import dev.kaizen.store.LedgerEntry;
import dev.kaizen.store.SqliteArchive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's path through the command line, on the shipped circle-packing example. */
class RunCommandsTest {

    @TempDir
    static Path tmp;

    static Path target;
    static CliTestSupport.Result first;

    @BeforeAll
    static void run_the_example() throws Exception {
        assumeTrue(CliTestSupport.onPath("python3"), "python3 is needed for the circle-packing example");
        target = CliTestSupport.example("circle-packing", tmp);
        first = kaizen("run", target.toString(), "--evaluations", "80", "--parallelism", "2");
    }

    private static Path runDir() {
        return RunDirectory.locate(target.toString()).dir();
    }

    @Test
    void a_run_improves_the_seed_and_reports_where_it_went() throws Exception {
        assertThat(first.code()).as(first.all()).isZero();
        assertThat(first.out()).contains("seed score").contains("best score").contains("evaluations: 80");
        try (SqliteArchive archive = SqliteArchive.openReadOnly(runDir().resolve("archive.db"))) {
            Candidate seed = archive.history(0, 1).get(0);
            assertThat(seed.operator()).isEqualTo("seed");
            assertThat(archive.best().orElseThrow().fitness()).isGreaterThan(seed.fitness());
            assertThat(archive.size()).isEqualTo(80);
        }
    }

    @Test
    void status_best_diff_and_lineage_read_the_run() {
        CliTestSupport.Result status = kaizen("status", target.toString());
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.out()).contains("evaluations: 80 of 80").contains("best:").contains("state:       stopped");

        CliTestSupport.Result best = kaizen("best", target.toString());
        assertThat(best.out()).contains("# ---- packing.py").contains("EVOLVE-BLOCK-START").contains("def run_packing");

        CliTestSupport.Result diff = kaizen("diff", target.toString());
        assertThat(diff.out()).contains("--- a/packing.py").contains("+++ b/packing.py").containsPattern("(?m)^\\+");

        CliTestSupport.Result lineage = kaizen("lineage", target.toString());
        assertThat(lineage.out()).contains("seed").containsPattern("\\d+ improving step\\(s\\) from the seed");
    }

    @Test
    void the_report_is_one_html_file_with_plots() throws Exception {
        Path out = tmp.resolve("report.html");
        CliTestSupport.Result r = kaizen("report", target.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.all()).isZero();
        String html = Files.readString(out);
        assertThat(html).startsWith("<!doctype html>").contains("<svg").contains("Score over evaluations").contains("Lineage")
                .contains("Seed → best").doesNotContain("<script");
    }

    @Test
    void audit_verify_accepts_the_ledger_and_then_catches_a_tampered_line() throws Exception {
        Path copy = tmp.resolve("tamper");
        Files.createDirectories(copy);
        for (String f : List.of("archive.db", "ledger.jsonl", "kaizen.yaml")) {
            Files.copy(runDir().resolve(f), copy.resolve(f));
        }
        CliTestSupport.Result ok = kaizen("audit", "verify", copy.toString());
        assertThat(ok.code()).as(ok.all()).isZero();
        assertThat(ok.out()).contains("ledger OK").contains("matches the archive's anchor");

        List<String> lines = Files.readAllLines(copy.resolve("ledger.jsonl"), StandardCharsets.UTF_8);
        int victim = lines.size() / 2;
        while (!lines.get(victim).contains("\"type\":\"evaluation\"")) {
            victim++;
        }
        String altered = lines.get(victim).replace("\"type\":\"evaluation\"", "\"type\":\"evaluatiom\"");
        assertThat(altered).isNotEqualTo(lines.get(victim));
        lines.set(victim, altered);
        Files.write(copy.resolve("ledger.jsonl"), lines, StandardCharsets.UTF_8);
        CliTestSupport.Result bad = kaizen("audit", "verify", copy.toString());
        assertThat(bad.code()).isEqualTo(3);
        assertThat(bad.out()).contains("FAILED").contains("line " + (victim + 1));
    }

    @Test
    void the_ledger_holds_the_config_every_proposal_and_every_evaluation() {
        List<LedgerEntry> entries = JsonlLedger.read(runDir().resolve("ledger.jsonl"));
        assertThat(entries.get(0).type()).isEqualTo("config");
        assertThat(entries.stream().filter(e -> e.type().equals("evaluation")).count()).isEqualTo(80);
        assertThat(entries.stream().filter(e -> e.type().equals("proposal")).count()).isEqualTo(80);
        assertThat(entries.get(entries.size() - 1).type()).isEqualTo("run.stop");
    }

    @Test
    void resume_with_a_larger_budget_carries_on_without_double_counting() throws Exception {
        Path copy = CliTestSupport.example("circle-packing", tmp.resolve("resume"));
        CliTestSupport.Result r1 = kaizen("run", copy.toString(), "--evaluations", "20");
        assertThat(r1.code()).as(r1.all()).isZero();
        CliTestSupport.Result r2 = kaizen("resume", copy.toString(), "--evaluations", "35");
        assertThat(r2.code()).as(r2.all()).isZero();
        assertThat(r2.out()).contains("resuming with 20 evaluations done").contains("evaluations: 35 (15 this session)");
        Path run = RunDirectory.locate(copy.toString()).dir();
        List<LedgerEntry> entries = JsonlLedger.read(run.resolve("ledger.jsonl"));
        assertThat(entries.stream().filter(e -> e.type().equals("evaluation")).map(e -> e.data().get("seq")).distinct().count()).isEqualTo(35);
        assertThat(kaizen("audit", "verify", run.toString()).code()).isZero();
    }
}
