package dev.kaizen.store;

import dev.kaizen.core.archive.Admission;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.eval.Outcome;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The victim of the kill -9 test: opens (or resumes) an archive and a ledger and adds candidates as
 * fast as it can, each followed by a ledger entry, printing {@code added SEQ} after each add has
 * returned, until it is killed.
 */
public final class ArchiveWriterMain {

    private ArchiveWriterMain() {}

    /** Arguments: archive file, ledger file, seed. */
    public static void main(String[] args) {
        Path db = Path.of(args[0]);
        Path ledgerFile = Path.of(args[1]);
        long seed = Long.parseLong(args[2]);
        SplittableRandom random = new SplittableRandom(seed);
        try (SqliteArchive archive = SqliteArchive.open(db, SqliteArchiveTest.KILL_ISLANDS);
                JsonlLedger ledger = JsonlLedger.open(ledgerFile, InstantSource.system())) {
            System.out.println("started at " + archive.size());
            System.out.flush();
            for (long n = 0; ; n++) {
                String text = "# run " + seed + " candidate " + n + "\n" + "x = " + random.nextInt() + "\n".repeat(1 + random.nextInt(3))
                        + "pad = '" + "y".repeat(random.nextInt(1500)) + "'";
                int island = (int) (n % SqliteArchiveTest.KILL_ISLANDS);
                Candidate c = random.nextInt(5) == 0
                        ? Fixtures.failed(text, new Outcome.Crashed(1, "boom " + n), island, "c" + random.nextInt(10))
                        : Fixtures.passed(text, random.nextDouble() * 100, island, "c" + random.nextInt(10));
                Admission admission = archive.add(c);
                if (n % 7 == 0 && admission.candidate().feasible()) {
                    archive.place(admission.candidate().id(), (island + 1) % SqliteArchiveTest.KILL_ISLANDS);
                }
                archive.putMeta("last.seq", Long.toString(admission.candidate().seq()));
                ledger.append("candidate", Map.of("seq", admission.candidate().seq(), "id", c.id().hex(),
                        "fitness", c.fitness(), "elite", admission.elite()));
                System.out.println("added " + admission.candidate().seq());
                System.out.flush();
            }
        }
    }
}
