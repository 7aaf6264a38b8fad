package dev.kaizen.cli;

import dev.kaizen.config.ConfigLoader;
import dev.kaizen.config.KaizenConfig;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.target.Objective;
import dev.kaizen.store.JsonlLedger;
import dev.kaizen.store.LedgerVerification;
import dev.kaizen.store.SqliteArchive;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands that read a run: status, best, diff, lineage, audit, report. */
final class Inspect {

    private Inspect() {}

    /** A run opened for reading: its archive (read-only) and, when it still parses, its configuration. */
    record Opened(RunDirectory run, SqliteArchive archive, Optional<KaizenConfig> config, Objective objective) implements AutoCloseable {

        static Opened of(String spec) {
            RunDirectory run = RunDirectory.locate(spec);
            SqliteArchive archive = SqliteArchive.openReadOnly(run.archive());
            Optional<KaizenConfig> config = Optional.empty();
            try {
                String root = archive.meta("target_root").orElse(".");
                config = Optional.of(ConfigLoader.parse(Files.readString(run.config()), Path.of(root), "kaizen.yaml"));
            } catch (IOException | RuntimeException e) {
                // the target moved or changed: the archive still answers, files are shown by region
            }
            Objective objective = config.map(c -> c.target().objective()).orElseGet(() -> {
                return Objective.parse(archive.meta("objective").orElse("score maximize"));
            });
            return new Opened(run, archive, config, objective);
        }

        double score(Candidate c) {
            return objective.score(c.evaluation());
        }

        /** A candidate by sequence number, id prefix, "best" or "seed". */
        Candidate candidate(String which) {
            if (which == null || which.equals("best")) {
                return archive.best().orElseThrow(() -> new CliException("run " + run.id() + " has no passing candidate yet"));
            }
            if (which.equals("seed")) {
                return archive.history(0, 1).stream().findFirst().orElseThrow(() -> new CliException("run " + run.id() + " is empty"));
            }
            if (which.matches("#?\\d+")) {
                long seq = Long.parseLong(which.replace("#", ""));
                return archive.history(seq - 1, 1).stream().filter(c -> c.seq() == seq).findFirst()
                        .orElseThrow(() -> new CliException("run " + run.id() + " has no candidate #" + seq));
            }
            List<Candidate> hits = new ArrayList<>();
            forEach(c -> {
                if (c.id().hex().startsWith(which)) {
                    hits.add(c);
                }
            });
            if (hits.size() != 1) {
                throw new CliException(hits.isEmpty() ? "no candidate id starts with '" + which + "'" : "candidate id prefix '" + which + "' is ambiguous");
            }
            return hits.get(0);
        }

        void forEach(java.util.function.Consumer<Candidate> action) {
            long after = 0;
            while (true) {
                List<Candidate> page = archive.history(after, 5_000);
                if (page.isEmpty()) {
                    return;
                }
                page.forEach(action);
                after = page.get(page.size() - 1).seq();
            }
        }

        /** The files of a candidate as the evaluator saw them, or its regions when the target is gone. */
        Map<String, String> files(Code code) {
            if (config.isPresent()) {
                try {
                    return config.get().target().blueprint().render(code);
                } catch (RuntimeException e) {
                    // fall through to regions
                }
            }
            return code.regions();
        }

        @Override
        public void close() {
            archive.close();
        }
    }

    @Command(name = "status", description = "Where a run stands: evaluations, best score, outcomes, operators.")
    static final class Status implements Callable<Integer> {
        @Parameters(paramLabel = "RUN")
        String run;

        @Override
        public Integer call() {
            PrintStream out = Main.Context.out();
            try (Opened o = Opened.of(run)) {
                Tally tally = Tally.of(o);
                SqliteArchive a = o.archive();
                out.println("run:         " + o.run().id() + "  (" + Runner.display(o.run().dir()) + ")");
                out.println("target:      " + a.meta("target_name").orElse("?") + "  (" + a.meta("target_root").orElse("?") + ")");
                out.println("state:       " + (locked(o.run()) ? "running" : "stopped"));
                long budget = a.meta("limit.evaluations").map(Long::parseLong).orElse(0L);
                long elapsed = a.meta("elapsed_ms").map(Long::parseLong).orElse(0L);
                out.println("evaluations: " + a.size() + (budget > 0 ? " of " + budget : "") + " in " + Progress.human(java.time.Duration.ofMillis(elapsed)));
                Optional<Candidate> seed = a.history(0, 1).stream().findFirst();
                seed.filter(Candidate::feasible).ifPresent(s -> out.println("seed:        " + o.objective().primary() + " " + Progress.fmt(o.score(s))));
                a.best().ifPresent(b -> out.println("best:        " + o.objective().primary() + " " + Progress.fmt(o.score(b)) + "  #" + b.seq() + " " + b.id().shortHex()
                        + " by " + b.operator() + seed.filter(Candidate::feasible).map(s -> String.format(Locale.ROOT, "  (%+.6g vs seed)", o.score(b) - o.score(s))).orElse("")));
                out.println("outcomes:    " + tally.outcomes);
                out.println("operators:   proposed / improved on parent");
                tally.operators.forEach((op, n) -> out.printf(Locale.ROOT, "  %-14s %7d / %d%n", op, n.proposed, n.improved));
                Llms.spending(a).ifPresent(s -> Llms.printSpending(out, "models:      ", s));
                for (int i = 0; i < a.islands(); i++) {
                    List<Candidate> elites = a.elites(i);
                    out.printf(Locale.ROOT, "island %d:    %d elites%s%n", i, elites.size(),
                            elites.isEmpty() ? "" : ", best " + Progress.fmt(o.score(elites.get(0))));
                }
                return 0;
            }
        }

        private static boolean locked(RunDirectory run) {
            try (RunDirectory.Lock lock = run.lock()) {
                return false;
            } catch (CliException e) {
                return true;
            }
        }
    }

    @Command(name = "best", description = "Print the best candidate's files (or --out DIR to write them).")
    static final class Best implements Callable<Integer> {
        @Parameters(paramLabel = "RUN")
        String run;

        @Option(names = "--out", description = "Write the files into this directory instead of printing them.")
        Path outDir;

        @Override
        public Integer call() throws IOException {
            PrintStream out = Main.Context.out();
            try (Opened o = Opened.of(run)) {
                Candidate best = o.candidate("best");
                Map<String, String> files = o.files(best.code());
                if (outDir != null) {
                    for (Map.Entry<String, String> f : files.entrySet()) {
                        Path p = outDir.resolve(f.getKey().replace('#', '_'));
                        Files.createDirectories(p.getParent() == null ? outDir : p.getParent());
                        Files.writeString(p, f.getValue());
                    }
                    out.println("wrote " + files.size() + " file(s) of candidate #" + best.seq() + " to " + outDir);
                    return 0;
                }
                out.println("# candidate #" + best.seq() + " " + best.id().shortHex() + "  " + o.objective().primary() + " " + Progress.fmt(o.score(best)));
                files.forEach((path, text) -> {
                    out.println("# ---- " + path);
                    out.print(text.endsWith("\n") ? text : text + "\n");
                });
                return 0;
            }
        }
    }

    @Command(name = "diff", description = "Show the change from the seed (or --from) to the best candidate (or --to) as a unified diff.")
    static final class Diff implements Callable<Integer> {
        @Parameters(paramLabel = "RUN")
        String run;

        @Option(names = "--from", defaultValue = "seed", description = "seed, best, #SEQ or an id prefix.")
        String from;

        @Option(names = "--to", defaultValue = "best", description = "seed, best, #SEQ or an id prefix.")
        String to;

        @Override
        public Integer call() {
            PrintStream out = Main.Context.out();
            try (Opened o = Opened.of(run)) {
                Candidate a = o.candidate(from);
                Candidate b = o.candidate(to);
                Patch patch = Patch.between(Code.of(o.files(a.code())), Code.of(o.files(b.code())));
                out.println("# #" + a.seq() + " (" + fmtScore(o, a) + ") -> #" + b.seq() + " (" + fmtScore(o, b) + ")");
                out.print(patch.isEmpty() ? "(no difference)\n" : patch.text());
                return 0;
            }
        }
    }

    static String fmtScore(Opened o, Candidate c) {
        return c.feasible() ? o.objective().primary() + " " + Progress.fmt(o.score(c)) : c.evaluation().outcome().kind();
    }

    @Command(name = "lineage", description = "The chain of edits from the seed to the best candidate (or --of).")
    static final class Lineage implements Callable<Integer> {
        @Parameters(paramLabel = "RUN")
        String run;

        @Option(names = "--of", defaultValue = "best", description = "best, #SEQ or an id prefix.")
        String of;

        @Override
        public Integer call() {
            PrintStream out = Main.Context.out();
            try (Opened o = Opened.of(run)) {
                List<Candidate> chain = chain(o, o.candidate(of));
                out.printf(Locale.ROOT, "%6s  %-12s  %-13s  %-14s  %s%n", "#", "id", "score", "operator", "edit");
                for (Candidate c : chain) {
                    out.printf(Locale.ROOT, "%6d  %-12s  %-13s  %-14s  %s%n", c.seq(), c.id().shortHex(),
                            c.feasible() ? Progress.fmt(o.score(c)) : c.evaluation().outcome().kind(), c.operator(), Progress.abbreviate(c.description(), 80));
                }
                out.println(chain.size() - 1 + " improving step(s) from the seed");
                return 0;
            }
        }
    }

    /** From the seed to {@code last}, following first parents. */
    static List<Candidate> chain(Opened o, Candidate last) {
        List<Candidate> chain = new ArrayList<>();
        Candidate c = last;
        while (c != null && chain.size() < 1_000_000) {
            chain.add(0, c);
            c = c.parents().isEmpty() ? null : o.archive().find(c.parents().get(0)).orElse(null);
        }
        return chain;
    }

    @Command(name = "audit", description = "Audit a run's ledger.", subcommands = Audit.Verify.class)
    static final class Audit {
        @Command(name = "verify", description = "Check the ledger's hash chain: any altered, removed, reordered or truncated entry is reported.")
        static final class Verify implements Callable<Integer> {
            @Parameters(paramLabel = "RUN")
            String run;

            @Override
            public Integer call() {
                PrintStream out = Main.Context.out();
                RunDirectory dir = RunDirectory.locate(run);
                String anchor;
                try (SqliteArchive archive = SqliteArchive.openReadOnly(dir.archive())) {
                    anchor = archive.meta("ledger").orElse("");
                }
                LedgerVerification v;
                if (anchor.contains(":")) {
                    String[] parts = anchor.split(":", 2);
                    v = JsonlLedger.verify(dir.ledger(), parts[1], Long.parseLong(parts[0]));
                } else {
                    v = JsonlLedger.verify(dir.ledger());
                }
                if (v.ok()) {
                    out.println("ledger OK: " + v.entries() + " entries, chain intact, head " + v.head()
                            + (anchor.contains(":") ? " (matches the archive's anchor)" : ""));
                    return 0;
                }
                out.println("ledger FAILED verification (" + v.entries() + " entries read):");
                v.problems().forEach(p -> out.println("  " + p));
                return 3;
            }
        }
    }

    @Command(name = "report", description = "Write a self-contained HTML report with plots (score over time, lineage).")
    static final class Report implements Callable<Integer> {
        @Parameters(paramLabel = "RUN")
        String run;

        @Option(names = "--out", description = "Where to write it (default: report.html in the run directory).")
        Path outFile;

        @Override
        public Integer call() throws IOException {
            try (Opened o = Opened.of(run)) {
                Path file = outFile != null ? outFile : o.run().report();
                Files.writeString(file, ReportWriter.html(o));
                Main.Context.out().println("wrote " + Runner.display(file));
                return 0;
            }
        }
    }
}
