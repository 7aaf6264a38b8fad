package dev.kaizen.store;

import static dev.kaizen.store.Fixtures.failed;
import static dev.kaizen.store.Fixtures.passed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.archive.Archive;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.program.Code;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite archive keeps the archive contract, survives reopening and being killed, and shares its file with readers. */
class SqliteArchiveTest extends ArchiveContract {

    static final int KILL_ISLANDS = 3;

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected Archive newArchive(int islands) {
        return SqliteArchive.open(dir.resolve("archive-" + opened++ + ".db"), islands);
    }

    @Test
    void reopening_restores_elites_best_size_and_meta_exactly() {
        Path file = dir.resolve("runs/one/archive.db");
        SplittableRandom random = new SplittableRandom(7);
        List<List<Candidate>> elites = new ArrayList<>();
        List<Candidate> history;
        Candidate best;
        try (SqliteArchive archive = SqliteArchive.open(file, 4)) {
            for (int i = 0; i < 400; i++) {
                double fitness = random.nextInt(6) == 0 ? Double.NaN : random.nextInt(40) / 4.0;
                Candidate c = archive.add(passed("c" + i, fitness, random.nextInt(4), "cell" + random.nextInt(8))).candidate();
                if (c.feasible() && random.nextInt(4) == 0) {
                    archive.place(c.id(), random.nextInt(4));
                }
            }
            archive.putMeta("ledger.head", "f".repeat(64));
            archive.putMeta("note", "ünïcødé\nline two");
            for (int i = 0; i < 4; i++) {
                elites.add(archive.elites(i));
            }
            history = archive.history(0, 1000);
            best = archive.best().orElseThrow();
        }

        try (SqliteArchive archive = SqliteArchive.open(file, 4)) {
            for (int i = 0; i < 4; i++) {
                assertThat(archive.elites(i)).as("elites of island %d", i).containsExactlyElementsOf(elites.get(i));
            }
            assertThat(archive.best()).contains(best);
            assertThat(archive.size()).isEqualTo(400);
            assertThat(archive.history(0, 1000)).containsExactlyElementsOf(history);
            assertThat(archive.meta("ledger.head")).contains("f".repeat(64));
            assertThat(archive.meta("note")).contains("ünïcødé\nline two");
            assertThat(archive.add(passed("after reopening", 1, 0, "x")).candidate().seq()).isEqualTo(401);
        }
    }

    @Test
    void keeps_code_text_exactly() {
        List<String> texts = List.of("", "no newline at the end", "trailing newline\n", "two\n\n", "crlf\r\nline\r\n",
                "tabs\tand\u0000nul and \u001b escape", "漢字 ünïcødé 🎉 \u2028 \uFEFFbom", "\"quotes\" and \\backslashes\\ and {\"json\": 1}");
        Path file = dir.resolve("text.db");
        try (SqliteArchive archive = SqliteArchive.open(file, 1)) {
            for (int i = 0; i < texts.size(); i++) {
                archive.add(Fixtures.candidate(Code.of(Map.of("a.py", texts.get(i), "b/c.txt#" + i, texts.get(i) + i)),
                        failed("x", new Outcome.Rejected("r"), 0, "a").evaluation(), Double.NaN, 0, "a"));
            }
        }
        try (SqliteArchive archive = SqliteArchive.open(file, 1)) {
            List<Candidate> all = archive.history(0, 100);
            assertThat(all).hasSize(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                assertThat(all.get(i).code().region("a.py")).isEqualTo(texts.get(i));
                assertThat(all.get(i).code().region("b/c.txt#" + i)).isEqualTo(texts.get(i) + i);
            }
        }
    }

    @Test
    void stores_times_in_whole_milliseconds_and_returns_what_it_stored() {
        Candidate precise = new Candidate(0, passed("p", 1, 0, "a").id(), passed("p", 1, 0, "a").code(), List.of(), "op", "",
                passed("p", 1, 0, "a").patch(),
                new dev.kaizen.core.eval.Evaluation(new Outcome.TimedOut(Duration.ofNanos(1_500_999_999)), Map.of(), "", "full",
                        Duration.ofNanos(2_000_777_000)),
                Double.NaN, 0, "a", 0, Instant.parse("2025-01-01T00:00:00.123456789Z"));
        try (SqliteArchive archive = SqliteArchive.open(dir.resolve("ms.db"), 1)) {
            Candidate stored = archive.add(precise).candidate();

            assertThat(stored.createdAt()).isEqualTo(Instant.parse("2025-01-01T00:00:00.123Z"));
            assertThat(stored.evaluation().elapsed()).isEqualTo(Duration.ofMillis(2000));
            assertThat(stored.evaluation().outcome()).isEqualTo(new Outcome.TimedOut(Duration.ofMillis(1500)));
            assertThat(archive.find(precise.id())).contains(stored);
        }
    }

    @Test
    void keeps_infinite_and_negative_zero_fitness() {
        try (SqliteArchive archive = SqliteArchive.open(dir.resolve("inf.db"), 1)) {
            Candidate inf = archive.add(passed("inf", Double.POSITIVE_INFINITY, 0, "a")).candidate();
            Candidate zero = archive.add(passed("zero", -0.0, 0, "b")).candidate();

            assertThat(archive.find(inf.id())).contains(inf);
            assertThat(archive.find(zero.id())).contains(zero);
            assertThat(archive.best()).contains(inf);
        }
    }

    @Test
    void a_reader_sees_what_the_writer_commits() {
        Path file = dir.resolve("shared.db");
        try (SqliteArchive writer = SqliteArchive.open(file, 2)) {
            writer.add(passed("one", 1, 0, "a"));
            writer.add(passed("two", 2, 1, "a"));
            writer.putMeta("phase", "running");

            try (SqliteArchive reader = SqliteArchive.openReadOnly(file)) {
                assertThat(reader.readOnly()).isTrue();
                assertThat(reader.islands()).isEqualTo(2);
                assertThat(reader.size()).isEqualTo(2);
                assertThat(reader.best()).isEqualTo(writer.best());
                assertThat(reader.meta("phase")).contains("running");

                Candidate three = writer.add(passed("three", 3, 0, "b")).candidate();
                writer.putMeta("phase", "done");

                assertThat(reader.size()).isEqualTo(3);
                assertThat(reader.best()).contains(three);
                assertThat(reader.elites(0)).isEqualTo(writer.elites(0));
                assertThat(reader.find(three.id())).contains(three);
                assertThat(reader.history(2, 10)).containsExactly(three);
                assertThat(reader.meta("phase")).contains("done");
                assertThatThrownBy(() -> reader.add(passed("four", 4, 0, "c"))).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("read-only");
                assertThatThrownBy(() -> reader.putMeta("phase", "x")).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("read-only");
            }
        }
    }

    @Test
    void a_reader_opens_an_archive_no_one_is_writing() {
        Path file = dir.resolve("closed.db");
        try (SqliteArchive writer = SqliteArchive.open(file, 1)) {
            writer.add(passed("one", 1, 0, "a"));
        }
        try (SqliteArchive reader = SqliteArchive.openReadOnly(file)) {
            assertThat(reader.size()).isEqualTo(1);
            assertThat(reader.best()).isPresent();
        }
    }

    @Test
    void refuses_to_resume_with_another_island_count() {
        Path file = dir.resolve("islands.db");
        SqliteArchive.open(file, 4).close();

        assertThatThrownBy(() -> SqliteArchive.open(file, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("created with 4 islands")
                .hasMessageContaining("3 were asked for");
        SqliteArchive.open(file, 4).close();
    }

    @Test
    void refuses_a_second_writer() {
        Path file = dir.resolve("busy.db");
        try (SqliteArchive first = SqliteArchive.open(file, 1)) {
            assertThatThrownBy(() -> SqliteArchive.open(file, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already open for writing");
            first.add(passed("still works", 1, 0, "a"));
        }
        try (SqliteArchive again = SqliteArchive.open(file, 1)) {
            assertThat(again.size()).isEqualTo(1);
        }
    }

    @Test
    void refuses_files_that_are_not_archives() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "this is not a database, just some text that is long enough to have a header.\n".repeat(20));
        assertThatThrownBy(() -> SqliteArchive.open(text, 1)).isInstanceOf(StoreException.class)
                .hasMessageContaining(text.toString());

        Path other = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x)");
        }
        assertThatThrownBy(() -> SqliteArchive.open(other, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Kaizen archive");
        assertThatThrownBy(() -> SqliteArchive.openReadOnly(dir.resolve("missing.db"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no archive at");
    }

    @Test
    void rejects_an_infeasible_candidate_for_an_island_that_does_not_exist() {
        try (SqliteArchive archive = SqliteArchive.open(dir.resolve("bad-island.db"), 2)) {
            Candidate stored = archive.add(failed("ok", new Outcome.Rejected("guard"), 1, "a")).candidate();

            assertThatThrownBy(() -> archive.add(failed("bad", new Outcome.Rejected("guard"), 2, "a")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("island 2 does not exist");
            assertThatThrownBy(() -> archive.place(stored.id(), 5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("island 5 does not exist");
            assertThat(archive.size()).isEqualTo(1);
        }
    }

    @Test
    void reserves_the_island_count_meta_key() {
        try (SqliteArchive archive = SqliteArchive.open(dir.resolve("meta.db"), 2)) {
            assertThat(archive.meta(SqliteArchive.ISLANDS_KEY)).contains("2");
            assertThatThrownBy(() -> archive.putMeta(SqliteArchive.ISLANDS_KEY, "5")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reserved");
        }
    }

    @Test
    void fails_clearly_after_closing() {
        SqliteArchive archive = SqliteArchive.open(dir.resolve("closing.db"), 1);
        archive.close();
        archive.close();

        assertThatThrownBy(() -> archive.add(passed("late", 1, 0, "a"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(archive::size).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void a_kill_9_at_any_moment_leaves_the_archive_and_ledger_whole() throws Exception {
        Path db = dir.resolve("killed/archive.db");
        Path ledger = dir.resolve("killed/ledger.jsonl");
        long acknowledged = 0;
        for (int round = 1; round <= 3; round++) {
            acknowledged = Math.max(acknowledged, runAndKill(db, ledger, round, 150 + 100 * round));

            assertIntact(db);
            try (SqliteArchive archive = SqliteArchive.open(db, KILL_ISLANDS)) {
                long size = archive.size();
                assertThat(size).as("every acknowledged add survives (round %d)", round).isGreaterThanOrEqualTo(acknowledged);
                List<Candidate> all = new ArrayList<>();
                for (long after = 0; after < size; after += 500) {
                    all.addAll(archive.history(after, 500));
                }
                assertThat(all).extracting(Candidate::seq).as("seqs are 1..size").hasSize((int) size)
                        .isSorted().first().isEqualTo(1L);
                assertThat(all.get(all.size() - 1).seq()).isEqualTo(size);
                double bestFitness = all.stream().filter(Candidate::feasible).mapToDouble(Candidate::fitness).max().orElseThrow();
                assertThat(archive.best()).hasValueSatisfying(b -> assertThat(b.fitness()).isEqualTo(bestFitness));
                for (int island = 0; island < KILL_ISLANDS; island++) {
                    for (Candidate elite : archive.elites(island)) {
                        int isl = island;
                        double fittestAdded = all.stream()
                                .filter(c -> c.feasible() && c.island() == isl && c.cell().equals(elite.cell()))
                                .mapToDouble(Candidate::fitness).max().orElse(Double.NEGATIVE_INFINITY);
                        assertThat(elite.fitness()).as("elite of island %d cell %s", island, elite.cell())
                                .isGreaterThanOrEqualTo(fittestAdded);
                        assertThat(archive.find(elite.id())).isPresent();
                    }
                }
                assertThat(archive.meta("last.seq")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(size - 1, size));
            }
            try (JsonlLedger opened = JsonlLedger.open(ledger, InstantSource.system())) {
                assertThat(opened.size()).isPositive();
            }
            LedgerVerification verification = JsonlLedger.verify(ledger);
            assertThat(verification.ok()).as("%s", verification).isTrue();
        }
    }

    /** Starts a writer in another JVM, waits until it has acknowledged {@code adds} adds, kills it with SIGKILL. */
    private static long runAndKill(Path db, Path ledger, long seed, int adds) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(java, "-cp", classpath, ArchiveWriterMain.class.getName(), db.toString(), ledger.toString(),
                Long.toString(seed)).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process was killed
            }
        });
        List<String> output = new ArrayList<>();
        long lastSeq = 0;
        int seen = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (seen < adds) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("the writer did not get to " + adds + " adds in time; output:\n" + String.join("\n", output));
                }
                if (line.startsWith("added ")) {
                    lastSeq = Long.parseLong(line.substring(6));
                    seen++;
                } else {
                    output.add(line);
                }
                if (!process.isAlive() && lines.isEmpty()) {
                    throw new AssertionError("the writer stopped by itself:\n" + String.join("\n", output));
                }
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            reader.join(5_000);
        }
        assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        return lastSeq;
    }

    /** SQLite's own check, plus: every elite refers to a stored, feasible candidate of its cell. */
    private static void assertIntact(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA foreign_key_check")) {
                assertThat(rs.next()).as("foreign key violations").isFalse();
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM members m LEFT JOIN candidates c ON c.seq = m.seq "
                    + "WHERE c.seq IS NULL OR c.cell <> m.cell OR c.fitness IS NULL")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).as("members without a feasible candidate of their cell").isZero();
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*), COALESCE(max(seq), 0) FROM candidates")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).as("no gaps in seq").isEqualTo(rs.getLong(2));
            }
        }
    }
}
