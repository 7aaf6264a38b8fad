package dev.kaizen.store;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.archive.ParentSelector;
import dev.kaizen.core.archive.Selectors;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.program.ProgramId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * How {@link SqliteArchive} performs as a run grows: fills an archive the way the engine does (one
 * {@code add} per evaluated candidate, 4 islands of 100 cells, code of 1–2 KB derived from a parent
 * picked among the island's elites, a quarter of the candidates failing) and measures the add
 * latency at the end, parent sampling, lookups, the cost of reopening (resuming) and the file size.
 * A plain timing harness, not JMH: it answers "does it stay fast at a million candidates", not
 * nanosecond questions. Run it with {@code java -cp ... dev.kaizen.store.ArchiveBenchmark 100000}.
 */
public final class ArchiveBenchmark {

    /** Islands of the benchmark archive. */
    public static final int ISLANDS = 4;
    /** Cells per island. */
    public static final int CELLS = 100;
    /** Adds at the end of the run whose mean latency is reported. */
    public static final int TAIL = 10_000;
    /** Samples for each read-side measurement. */
    public static final int SAMPLES = 10_000;

    private static final String REGION = "src/main/java/dev/example/Solver.java";
    private static final int POOL = 4_000;

    private ArchiveBenchmark() {}

    /**
     * The measurements of one run.
     *
     * @param candidates candidates added
     * @param insertTotal time spent in {@code add}, summed over all adds
     * @param meanAddMicros mean {@code add} latency over the whole run
     * @param tailAddMicros mean {@code add} latency over the last {@link #TAIL} adds: the latency at this size
     * @param selectMicros mean time of {@code elites(island)} plus picking a parent from them (power law)
     * @param containsMicros mean {@code contains} time, half hits, half misses
     * @param findMicros mean {@code find} time of a stored candidate
     * @param reopen time to open the filled archive again: the cost of resuming a run
     * @param fileBytes size of the archive's files after closing
     */
    public record Result(int candidates, Duration insertTotal, double meanAddMicros, double tailAddMicros, double selectMicros,
            double containsMicros, double findMicros, Duration reopen, long fileBytes) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "%,d candidates: adds took %.1f s (mean %.1f µs, last %,d: %.1f µs/add); elites+select %.1f µs; "
                            + "contains %.1f µs; find %.1f µs; reopen %d ms; file %.1f MiB",
                    candidates, insertTotal.toNanos() / 1e9, meanAddMicros, Math.min(TAIL, candidates), tailAddMicros,
                    selectMicros, containsMicros, findMicros, reopen.toMillis(), fileBytes / (1024.0 * 1024.0));
        }
    }

    /** Fills a new archive {@code archive.db} in {@code dir} with {@code candidates} candidates and measures it. */
    public static Result run(Path dir, int candidates, long seed) {
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates must be >= 1, got " + candidates);
        }
        Path file = dir.resolve("archive.db");
        if (Files.exists(file)) {
            throw new IllegalArgumentException("the benchmark needs a fresh archive, but " + file + " exists");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<String> pool = linePool(random);
        ParentSelector selector = Selectors.powerLaw(1.0);
        Instant start = Instant.parse("2025-01-01T00:00:00Z");

        long totalNanos = 0;
        long tailNanos = 0;
        int tailFrom = Math.max(0, candidates - TAIL);
        List<ProgramId> sample = new ArrayList<>(SAMPLES);
        double selectMicros;
        double containsMicros;
        double findMicros;
        try (SqliteArchive archive = SqliteArchive.open(file, ISLANDS)) {
            for (int n = 0; n < candidates; n++) {
                int island = n % ISLANDS;
                List<Candidate> elites = archive.elites(island);
                Candidate parent = elites.isEmpty() ? null : selector.select(elites, random);
                Candidate child = child(n, seed, parent, island, pool, random, start);
                long t0 = System.nanoTime();
                archive.add(child);
                long took = System.nanoTime() - t0;
                totalNanos += took;
                if (n >= tailFrom) {
                    tailNanos += took;
                }
                if (sample.size() < SAMPLES) {
                    sample.add(child.id());
                } else {
                    int slot = random.nextInt(n + 1);
                    if (slot < SAMPLES) {
                        sample.set(slot, child.id());
                    }
                }
            }

            long t0 = System.nanoTime();
            for (int i = 0; i < SAMPLES; i++) {
                List<Candidate> elites = archive.elites(i % ISLANDS);
                if (!elites.isEmpty()) {
                    selector.select(elites, random);
                }
            }
            selectMicros = (System.nanoTime() - t0) / 1e3 / SAMPLES;

            HexFormat hex = HexFormat.of();
            byte[] bytes = new byte[32];
            t0 = System.nanoTime();
            for (int i = 0; i < SAMPLES; i++) {
                if (i % 2 == 0) {
                    archive.contains(sample.get(random.nextInt(sample.size())));
                } else {
                    random.nextBytes(bytes);
                    archive.contains(new ProgramId(hex.formatHex(bytes)));
                }
            }
            containsMicros = (System.nanoTime() - t0) / 1e3 / SAMPLES;

            t0 = System.nanoTime();
            for (int i = 0; i < SAMPLES; i++) {
                archive.find(sample.get(random.nextInt(sample.size())));
            }
            findMicros = (System.nanoTime() - t0) / 1e3 / SAMPLES;
        }

        long t0 = System.nanoTime();
        Duration reopen;
        try (SqliteArchive reopened = SqliteArchive.open(file, ISLANDS)) {
            reopen = Duration.ofNanos(System.nanoTime() - t0);
            if (reopened.size() != candidates) {
                throw new IllegalStateException("reopened archive has " + reopened.size() + " candidates, expected " + candidates);
            }
        }
        return new Result(candidates, Duration.ofNanos(totalNanos), totalNanos / 1e3 / candidates,
                tailNanos / 1e3 / (candidates - tailFrom), selectMicros, containsMicros, findMicros, reopen, filesSize(file));
    }

    /**
     * Runs the benchmark: {@code ArchiveBenchmark [candidates [directory [seed]]]}, by default 100,000
     * candidates in a temporary directory (deleted afterwards) with seed 42.
     */
    public static void main(String[] args) throws IOException {
        int candidates = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
        if (args.length > 1) {
            Path dir = Path.of(args[1]);
            Files.createDirectories(dir);
            System.out.println(run(dir, candidates, seed));
            return;
        }
        Path dir = Files.createTempDirectory("kaizen-archive-benchmark");
        try {
            System.out.println(run(dir, candidates, seed));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // ---------------------------------------------------------------- a realistic workload

    /** Source-like lines of 20–70 characters to build programs from. */
    private static List<String> linePool(SplittableRandom random) {
        String[] words = {"int", "long", "double", "var", "final", "return", "for", "if", "else", "while", "result", "index",
                "count", "value", "items", "score", "best", "next", "total", "Math.max", "Math.min", "List.of", "size()", "get(i)"};
        List<String> pool = new ArrayList<>(POOL);
        for (int i = 0; i < POOL; i++) {
            StringBuilder line = new StringBuilder("        ");
            int target = 20 + random.nextInt(50);
            while (line.length() < target) {
                line.append(words[random.nextInt(words.length)]).append(random.nextInt(4) == 0 ? " = " : " ");
            }
            line.append(random.nextInt(1000)).append(';');
            pool.add(line.toString());
        }
        return pool;
    }

    private static Candidate child(int n, long seed, Candidate parent, int island, List<String> pool, SplittableRandom random, Instant start) {
        List<String> lines;
        if (parent == null) {
            lines = new ArrayList<>();
            int count = 20 + random.nextInt(16);
            lines.add("");
            for (int i = 0; i < count; i++) {
                lines.add(pool.get(random.nextInt(POOL)));
            }
        } else {
            lines = new ArrayList<>(parent.code().lines(REGION));
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                lines.set(1 + random.nextInt(lines.size() - 1), pool.get(random.nextInt(POOL)));
            }
        }
        lines.set(0, "// candidate " + n + " of run " + seed);
        Code code = Code.single(REGION, String.join("\n", lines) + "\n");
        Patch patch = parent == null ? Patch.empty() : Patch.between(parent.code(), code);
        int roll = random.nextInt(100);
        Evaluation evaluation;
        double fitness = Double.NaN;
        Duration elapsed = Duration.ofMillis(200 + random.nextInt(5_000));
        if (roll < 75) {
            fitness = random.nextDouble() * 100;
            evaluation = Evaluation.passed(Map.of("score", fitness, "runtime_ms", (double) elapsed.toMillis()), "", "full", elapsed);
        } else {
            Outcome outcome = switch (roll % 4) {
                case 0 -> new Outcome.Incorrect("expected 42 but got " + random.nextInt(100) + " in testSmallInstance");
                case 1 -> new Outcome.Crashed(1, "Exception in thread \"main\" java.lang.ArrayIndexOutOfBoundsException");
                case 2 -> new Outcome.TimedOut(Duration.ofSeconds(30));
                default -> new Outcome.Rejected("the edit does not apply: line " + random.nextInt(40) + " does not match");
            };
            String feedback = outcome.reason() + "\n\tat dev.example.Solver.solve(Solver.java:" + random.nextInt(60) + ")\n"
                    + "\tat dev.example.Main.main(Main.java:12)\n".repeat(3);
            evaluation = Evaluation.failed(outcome, feedback, "quick", elapsed);
        }
        return new Candidate(0, code.id(), code, parent == null ? List.of() : List.of(parent.id()),
                parent == null ? "seed" : "llm-diff", "candidate " + n, patch, evaluation, fitness, island,
                "c" + random.nextInt(CELLS), n / 1_000, start.plusMillis(n * 1_000L));
    }

    private static long filesSize(Path db) {
        long total = 0;
        for (String suffix : List.of("", "-wal", "-shm")) {
            Path p = db.resolveSibling(db.getFileName() + suffix);
            try {
                if (Files.exists(p)) {
                    total += Files.size(p);
                }
            } catch (IOException e) {
                throw new StoreException("cannot measure " + p + ": " + e, e);
            }
        }
        return total;
    }
}
