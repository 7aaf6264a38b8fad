package dev.kaizen.cli;

import dev.kaizen.config.ConfigLoader;
import dev.kaizen.config.KaizenConfig;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.engine.Engine;
import dev.kaizen.core.engine.EngineListener;
import dev.kaizen.core.engine.Limits;
import dev.kaizen.core.engine.RunSummary;
import dev.kaizen.core.engine.StopReason;
import dev.kaizen.core.program.ProgramId;
import dev.kaizen.core.eval.Evaluator;
import dev.kaizen.llm.budget.Spending;
import dev.kaizen.llm.operator.LlmSession;
import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.sandbox.SandboxException;
import dev.kaizen.store.JsonlLedger;
import dev.kaizen.store.SqliteArchive;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** Wires a target's configuration, a run directory, the archive, the ledger and the evaluator into an engine, and drives it. */
final class Runner {

    /** Command-line values that take precedence over kaizen.yaml (and, on resume, over what the run started with). */
    record Overrides(Long evaluations, Duration time, Integer parallelism, Long seed, Double target, boolean unsafeNoSandbox) {
        static Overrides none() {
            return new Overrides(null, null, null, null, null, false);
        }
    }

    private Runner() {}

    /** Starts a new run of the target in {@code targetDir}. */
    static RunSummary start(Path targetDir, Overrides overrides, PrintStream out, boolean tty) {
        return start(targetDir, overrides, out, tty, Sandbox::detect);
    }

    /**
     * Starts a new run, with the sandbox {@code detect} finds. Nothing is created when there is no
     * sandbox (and no {@code --unsafe-no-sandbox}).
     */
    static RunSummary start(Path targetDir, Overrides overrides, PrintStream out, boolean tty, Supplier<Sandbox> detect) {
        Path root = targetDir.toAbsolutePath().normalize();
        KaizenConfig config = ConfigLoader.load(root);
        try (Sandbox sandbox = sandbox(overrides, out, detect).readingAlso(config.sandbox().readOnly())) {
            return start(root, config, overrides, out, tty, sandbox);
        }
    }

    private static RunSummary start(Path root, KaizenConfig config, Overrides overrides, PrintStream out, boolean tty, Sandbox sandbox) {
        RunDirectory run = RunDirectory.create(root);
        try {
            Files.writeString(run.config(), config.source(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot write " + run.config() + ": " + e.getMessage());
        }
        out.println("run " + run.id() + " of " + config.target().name() + " in " + display(run.dir()));
        return drive(run, config, overrides, false, out, tty, sandbox);
    }

    /** Carries on a run that stopped (or was killed). */
    static RunSummary resume(RunDirectory run, Overrides overrides, PrintStream out, boolean tty) {
        String root;
        try (SqliteArchive archive = SqliteArchive.openReadOnly(run.archive())) {
            root = archive.meta("target_root").orElseThrow(() -> new CliException("run " + run.id() + " does not record its target directory"));
        }
        KaizenConfig config;
        try {
            config = ConfigLoader.parse(Files.readString(run.config()), Path.of(root), "kaizen.yaml (snapshot in " + run.id() + ")");
        } catch (IOException e) {
            throw new CliException("cannot read the run's configuration snapshot " + run.config() + ": " + e.getMessage());
        }
        try (Sandbox sandbox = sandbox(overrides, out, Sandbox::detect).readingAlso(config.sandbox().readOnly())) {
            out.println("resuming run " + run.id() + " of " + config.target().name());
            return drive(run, config, overrides, true, out, tty, sandbox);
        }
    }

    private static RunSummary drive(RunDirectory run, KaizenConfig config, Overrides overrides, boolean resuming, PrintStream out, boolean tty,
            Sandbox sandbox) {
        try (RunDirectory.Lock lock = run.lock();
             SqliteArchive archive = SqliteArchive.open(run.archive(), config.strategy().islands());
             JsonlLedger ledger = JsonlLedger.open(run.ledger(), InstantSource.system())) {
            int parallelism = overrides.parallelism() != null ? overrides.parallelism()
                    : archive.meta("parallelism").map(Integer::parseInt).orElse(config.parallelism());
            try (Evaluator evaluator = Evaluators.open(config, run.work(), parallelism, sandbox);
                 LlmHolder llm = new LlmHolder(Llms.open(config, run.dir(), archive))) {
                return drive(run, config, overrides, resuming, out, tty, archive, ledger, evaluator, sandbox, llm.session(), parallelism);
            }
        }
    }

    private static RunSummary drive(RunDirectory run, KaizenConfig config, Overrides overrides, boolean resuming, PrintStream out, boolean tty,
            SqliteArchive archive, JsonlLedger ledger, Evaluator evaluator, Sandbox sandbox, Optional<LlmSession> llm, int parallelism) {
        {
            Limits limits = limits(config, archive, overrides);
            long seed = overrides.seed() != null ? overrides.seed() : archive.meta("seed").map(Long::parseLong).orElse(config.seed());
            if (ledger.recoveredTornLine()) {
                ledger.append("ledger.recovered", Map.of("note", "a torn last line (a write interrupted by a kill) was removed on open"));
                out.println("note: the ledger's last line was cut off by a kill and was removed; the chain is intact");
            }
            if (resuming) {
                checkSameSeed(archive, config);
            } else {
                archive.putMeta("target_root", config.target().root().toString());
                archive.putMeta("target_name", config.target().name());
                archive.putMeta("objective", config.target().objective().describe());
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("target", config.target().name());
                entry.put("root", config.target().root().toString());
                entry.put("yaml_sha256", sha256(config.source()));
                entry.put("yaml", config.source());
                entry.put("overrides", overridesMap(overrides));
                ledger.append("config", entry);
            }
            Map<String, Object> isolation = new LinkedHashMap<>();
            isolation.put("namespaces", sandbox.isolation().namespaces());
            isolation.put("limits", sandbox.isolation().limits());
            isolation.put("detail", sandbox.isolation().detail());
            isolation.put("unsafe_no_sandbox", overrides.unsafeNoSandbox());
            ledger.append("sandbox", isolation);
            archive.putMeta("isolation", sandbox.isolation().describe());
            out.println("sandbox: " + sandbox.isolation().describe());
            config.llm().ifPresent(l -> {
                ledger.append("llm", Llms.describe(l));
                out.println("models: " + String.join(", ", l.models().stream().map(m -> m.label()).toList())
                        + (l.replay().isPresent() ? " (replayed from " + display(l.replay().get()) + ", no network)" : ""));
            });
            archive.putMeta("limit.evaluations", Long.toString(limits.evaluations()));
            archive.putMeta("limit.time_ms", Long.toString(limits.time().toMillis()));
            archive.putMeta("limit.target", limits.target().isPresent() ? Double.toString(limits.target().getAsDouble()) : "");
            archive.putMeta("parallelism", Integer.toString(parallelism));
            archive.putMeta("seed", Long.toString(seed));
            out.println("evaluator: " + evaluator.describe());
            out.println("budget: " + limits.evaluations() + " evaluations" + (limits.time().toDays() > 365 ? "" : ", " + Progress.human(limits.time()))
                    + (limits.target().isPresent() ? ", target " + limits.target().getAsDouble() : "") + "; " + parallelism + " in parallel");

            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stop.set(true);
                try {
                    done.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "kaizen-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            Progress progress = new Progress(out, config.target().objective(), tty);
            EngineListener listener = progress;
            RunSummary summary;
            try {
                summary = Engine.builder()
                        .target(config.target())
                        .evaluator(evaluator)
                        .operators(Evaluators.operators(config, llm))
                        .archive(archive)
                        .ledger(ledger)
                        .strategy(config.strategy())
                        .guard(config.guard().policy())
                        .metricRanges(config.metricRanges())
                        .limits(limits)
                        .seed(seed)
                        .parallelism(parallelism)
                        .listener(listener)
                        .stopWhen(stop::get)
                        .spendingLimit(() -> llm.flatMap(LlmSession::exhaustion))
                        .build()
                        .run();
            } finally {
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is already running; it waits for us
                }
            }
            printSummary(summary, config, run, out);
            llm.ifPresent(session -> printSpending(session, out));
            return summary;
        }
    }

    /** Closes the language-model session, if there is one, with the run. */
    private record LlmHolder(Optional<LlmSession> session) implements AutoCloseable {
        @Override
        public void close() {
            session.ifPresent(LlmSession::close);
        }
    }

    /**
     * The sandbox every evaluation runs in. Without one Kaizen refuses to evaluate, unless the user
     * said {@code --unsafe-no-sandbox}, which is printed loudly here and recorded in the ledger.
     */
    private static Sandbox sandbox(Overrides overrides, PrintStream out, Supplier<Sandbox> detect) {
        if (overrides.unsafeNoSandbox()) {
            out.println("WARNING: --unsafe-no-sandbox: candidates run WITHOUT a sandbox. Code nobody has read can read and");
            out.println("WARNING: write your files, reach the network and outlive the run. This is recorded in the ledger.");
            return Sandbox.unsafeNone();
        }
        try {
            return detect.get();
        } catch (SandboxException e) {
            throw new CliException("refusing to evaluate: no sandbox can be made on this machine: " + e.getMessage());
        }
    }

    private static Limits limits(KaizenConfig config, SqliteArchive archive, Overrides o) {
        Limits l = config.limits();
        l = l.withEvaluations(o.evaluations() != null ? o.evaluations()
                : archive.meta("limit.evaluations").map(Long::parseLong).orElse(l.evaluations()));
        l = l.withTime(o.time() != null ? o.time()
                : archive.meta("limit.time_ms").map(ms -> Duration.ofMillis(Long.parseLong(ms))).orElse(l.time()));
        if (o.target() != null) {
            l = l.withTarget(o.target());
        } else {
            Optional<String> stored = archive.meta("limit.target");
            if (stored.isPresent()) {
                l = new Limits(l.evaluations(), l.time(), stored.get().isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(stored.get())));
            }
        }
        return l;
    }

    private static void checkSameSeed(SqliteArchive archive, KaizenConfig config) {
        Optional<Candidate> first = archive.history(0, 1).stream().findFirst();
        ProgramId now = config.target().blueprint().seed().id();
        if (first.isPresent() && first.get().operator().equals("seed") && !first.get().id().equals(now)) {
            throw new CliException("the target's evolvable files changed since this run started (seed "
                    + first.get().id().shortHex() + ", now " + now.shortHex() + "); restore them or start a new run");
        }
    }

    static void printSummary(RunSummary s, KaizenConfig config, RunDirectory run, PrintStream out) {
        var objective = config.target().objective();
        out.println();
        out.println("stopped: " + s.reason().text() + (s.detail().isEmpty() ? "" : "\n  " + s.detail().replace("\n", "\n  ")));
        out.println("evaluations: " + s.evaluations() + " (" + s.sessionEvaluations() + " this session) in " + Progress.human(s.elapsed()) + " total");
        out.println("outcomes this session: " + s.outcomes());
        Optional<Double> seedScore = s.seed().filter(Candidate::feasible).map(c -> objective.score(c.evaluation()));
        s.best().ifPresent(b -> out.println("best " + objective.primary() + ": " + Progress.fmt(objective.score(b.evaluation()))
                + seedScore.map(v -> " (seed " + Progress.fmt(v) + ")").orElse("") + "  candidate #" + b.seq() + " " + b.id().shortHex()));
        out.println("run: " + display(run.dir()));
        if (s.reason() != StopReason.SEED_FAILED) {
            out.println("next: kaizen diff " + display(run.dir()) + "   |   kaizen report " + display(run.dir()));
        }
    }

    /** What the models cost in this run, and whether a budget cap stopped it. */
    private static void printSpending(LlmSession session, PrintStream out) {
        Spending s = session.spending();
        Llms.printSpending(out, "models: ", s);
        if (!s.unpriced().isEmpty()) {
            out.println("  no price known for " + String.join(", ", s.unpriced()) + ": their dollars are not counted");
        }
        if (session.approximateReplays() > 0) {
            out.println("  replay: " + session.approximateReplays() + " prompts differed from the recording (measured differently);"
                    + " each got the reply its proposal recorded");
        }
    }

    static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private static Map<String, Object> overridesMap(Overrides o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("evaluations", o.evaluations());
        m.put("time_ms", o.time() == null ? null : o.time().toMillis());
        m.put("parallelism", o.parallelism());
        m.put("seed", o.seed());
        m.put("target", o.target());
        return m;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
