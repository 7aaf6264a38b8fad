package dev.kaizen.cli;

import static dev.kaizen.cli.CliTestSupport.kaizen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.store.JsonlLedger;
import dev.kaizen.store.LedgerEntry;
import dev.kaizen.store.SqliteArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed with SIGKILL in the middle of its work resumes with nothing evaluated lost or counted twice. */
class KillAndResumeTest {

    @TempDir
    Path tmp;

    @Test
    void kill_dash_nine_then_resume_loses_nothing_and_counts_nothing_twice() throws Exception {
        Path target = tmp.resolve("t");
        Files.createDirectories(target);
        Files.writeString(target.resolve("values.txt"), "# EVOLVE-BLOCK-START\na = 0.1\nb = 0.2\nc = 1.5\nd = 0.9\n# EVOLVE-BLOCK-END\n");
        Files.writeString(target.resolve("kaizen.yaml"), """
                files: [values.txt]
                evaluator:
                  command: "sleep 0.03; awk '/ = / { x = $3; s -= (x - 0.7) ^ 2 } END { printf \\"{\\\\\\"score\\\\\\": %f}\\\\n\\", s }' values.txt"
                  timeout: 10s
                budget: { evaluations: 100000 }
                search: { parallelism: 2 }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.kaizen.cli.Main", "run", target.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long size = 0;
            while (size < 40 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                size = storedCandidates(target);
            }
            assertThat(size).as(Files.readString(tmp.resolve("child.log"))).isGreaterThanOrEqualTo(40);
        } finally {
            new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        long killedAt = storedCandidates(target);

        CliTestSupport.Result resumed = kaizen("resume", target.toString(), "--evaluations", Long.toString(killedAt + 20));
        assertThat(resumed.code()).as(resumed.all()).isZero();
        assertThat(resumed.out()).contains("resuming with " + killedAt + " evaluations done");

        Path run = RunDirectory.locate(target.toString()).dir();
        try (SqliteArchive archive = SqliteArchive.openReadOnly(run.resolve("archive.db"))) {
            assertThat(archive.size()).isEqualTo(killedAt + 20);
            Set<String> ids = archive.history(0, 100_000).stream().map(c -> c.id().hex()).collect(Collectors.toSet());
            assertThat(ids).hasSize((int) (killedAt + 20));
        }
        List<LedgerEntry> entries = JsonlLedger.read(run.resolve("ledger.jsonl"));
        List<Long> seqs = entries.stream().filter(e -> e.type().equals("evaluation"))
                .map(e -> ((Number) e.data().get("seq")).longValue()).sorted().toList();
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, killedAt + 20).boxed().toList());
        CliTestSupport.Result audit = kaizen("audit", "verify", run.toString());
        assertThat(audit.code()).as(audit.all()).isZero();
    }

    private static long storedCandidates(Path target) {
        Path runs = target.resolve(".kaizen/runs");
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        return RunDirectory.latest(runs).map(r -> {
            try (SqliteArchive a = SqliteArchive.openReadOnly(r.archive())) {
                return a.size();
            } catch (RuntimeException e) {
                return 0L;
            }
        }).orElse(0L);
    }
}
