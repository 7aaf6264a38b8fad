package dev.kaizen.cli;

import dev.kaizen.config.ConfigLoader;
import dev.kaizen.config.KaizenConfig;
import dev.kaizen.core.archive.Archive;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.archive.MemoryArchive;
import dev.kaizen.core.engine.Engine;
import dev.kaizen.core.engine.Limits;
import dev.kaizen.core.engine.RunSummary;
import dev.kaizen.core.engine.Strategy;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.target.Target;
import dev.kaizen.eval.CommandEvaluator;
import dev.kaizen.eval.CommandStage;
import dev.kaizen.java.JavaEvaluator;
import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.sandbox.SandboxLimits;
import dev.kaizen.sandbox.Trees;
import dev.kaizen.store.ArchiveBenchmark;
import dev.kaizen.store.JsonlLedger;
import dev.kaizen.store.SqliteArchive;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kaizen bench}: "does the search find better programs?" (the engine against random
 * sampling and hill climbing at the same evaluation budget) and "is it fast?" (evaluation
 * throughput, archive latency, resume time), each against a baseline measured in the same process.
 */
@Command(name = "bench", description = "Benchmarks: search quality against baselines, and speed.",
        subcommands = {Bench.Search.class, Bench.Throughput.class, Bench.ArchiveSize.class, Bench.Resume.class, Bench.SandboxCost.class, Bench.LlmOverhead.class})
final class Bench implements Callable<Integer> {

    @Override
    public Integer call() {
        Main.Context.out().println("choose one: kaizen bench search | throughput | archive | resume | sandbox | llm   (see kaizen bench --help)");
        return 0;
    }

    @Command(name = "search", description = "The engine vs random sampling from the seed vs hill climbing: same operators, same evaluation budget, several seeds.")
    static final class Search implements Callable<Integer> {
        @Option(names = "--target", description = "Target directory (default: the circle-packing example).")
        Path target;

        @Option(names = "--evaluations", defaultValue = "300", description = "Evaluations per run.")
        int evaluations;

        @Option(names = "--seeds", defaultValue = "5", description = "Runs per method, seeds 1..N.")
        int seeds;

        @Option(names = "--parallelism", defaultValue = "2")
        int parallelism;

        @Option(names = "--csv", description = "Also write every run's result to this CSV file.")
        Path csv;

        @Option(names = "--methods", split = ",", defaultValue = "kaizen,random,hill-climbing",
                description = "Which of kaizen, random, hill-climbing to run.")
        List<String> methods;

        @Override
        public Integer call() throws IOException {
            PrintStream out = Main.Context.out();
            Path dir = target != null ? target : Path.of(System.getProperty("kaizen.home", ".")).resolve("examples/circle-packing");
            KaizenConfig config = ConfigLoader.load(dir.toAbsolutePath().normalize());
            Target t = config.target();
            for (String m : methods) {
                if (!List.of("kaizen", "random", "hill-climbing").contains(m)) {
                    throw new CliException("unknown method '" + m + "'; choose from kaizen, random, hill-climbing");
                }
            }
            Map<String, List<Double>> results = new LinkedHashMap<>();
            StringBuilder rows = new StringBuilder("method,seed,evaluations,best,seed_score,seconds\n");
            Path work = Files.createTempDirectory("kaizen-bench-");
            double seedScore = Double.NaN;
            out.printf(Locale.ROOT, "bench search: %s, %d evaluations per run, seeds 1..%d, parallelism %d%n", t.name(), evaluations, seeds, parallelism);
            try {
                for (String method : methods) {
                    for (int s = 1; s <= seeds; s++) {
                        long t0 = System.nanoTime();
                        RunSummary summary = runOnce(config, method, s, work);
                        double secs = (System.nanoTime() - t0) / 1e9;
                        double best = summary.best().map(b -> t.objective().score(b.evaluation())).orElse(Double.NaN);
                        seedScore = summary.seed().filter(Candidate::feasible).map(c -> t.objective().score(c.evaluation())).orElse(Double.NaN);
                        results.computeIfAbsent(method, k -> new ArrayList<>()).add(best);
                        rows.append(String.format(Locale.ROOT, "%s,%d,%d,%.8g,%.8g,%.2f%n", method, s, summary.evaluations(), best, seedScore, secs));
                        out.printf(Locale.ROOT, "  %-14s seed %d: best %s after %d evaluations (%.1fs)%n", method, s, Progress.fmt(best), summary.evaluations(), secs);
                    }
                }
            } finally {
                Trees.delete(work);
            }
            out.println();
            out.printf(Locale.ROOT, "%-14s %12s %22s %12s %12s%n", "method", "mean best", "95% CI", "min", "max");
            for (Map.Entry<String, List<Double>> e : results.entrySet()) {
                double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
                double mean = mean(v);
                double half = halfWidth(v);
                out.printf(Locale.ROOT, "%-14s %12.6g   [%9.6g, %9.6g] %12.6g %12.6g%n", e.getKey(), mean, mean - half, mean + half,
                        java.util.Arrays.stream(v).min().orElse(Double.NaN), java.util.Arrays.stream(v).max().orElse(Double.NaN));
            }
            out.printf(Locale.ROOT, "seed score: %s (%s, %s)%n", Progress.fmt(seedScore), t.objective().primary(), t.objective().direction().name().toLowerCase(Locale.ROOT));
            if (csv != null) {
                Files.writeString(csv, rows);
                out.println("wrote " + csv);
            }
            return 0;
        }

        private RunSummary runOnce(KaizenConfig config, String method, long seed, Path work) {
            Target t = config.target();
            Strategy strategy = config.strategy();
            Archive archive;
            switch (method) {
                case "kaizen" -> archive = new MemoryArchive(strategy.islands());
                case "random" -> {
                    strategy = strategy.withIslands(1).withSelection("uniform");
                    archive = new SeedOnlyArchive(new MemoryArchive(1));
                }
                case "hill-climbing" -> {
                    strategy = strategy.withIslands(1).withSelection("hill-climbing");
                    t = new Target(t.name(), t.description(), t.root(), t.blueprint(), t.objective(), List.of());
                    archive = new MemoryArchive(1);
                }
                default -> throw new IllegalArgumentException(method);
            }
            try (Sandbox sandbox = Sandbox.detect().readingAlso(config.sandbox().readOnly());
                 CommandEvaluator evaluator = CommandEvaluator.of(t.blueprint(), t.root(), config.stages(), t.objective(), work, config.exclude(),
                         sandbox, Evaluators.limits(config))) {
                return Engine.builder().target(t).evaluator(evaluator).archive(archive).strategy(strategy)
                        .limits(Limits.evaluations(evaluations)).seed(seed).parallelism(parallelism).build().run();
            }
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Half width of the 95% confidence interval of the mean (Student's t). */
    static double halfWidth(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        double sd = Math.sqrt(ss / (v.length - 1));
        double[] t = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
        double crit = v.length - 1 <= t.length ? t[v.length - 2] : 1.96;
        return crit * sd / Math.sqrt(v.length);
    }

    @Command(name = "throughput", description = "Evaluations per second with a trivial command evaluator, against bare process spawning in the same process.")
    static final class Throughput implements Callable<Integer> {
        @Option(names = "--evaluations", defaultValue = "400")
        int evaluations;

        @Override
        public Integer call() throws IOException {
            PrintStream out = Main.Context.out();
            Path dir = Files.createTempDirectory("kaizen-throughput-");
            try {
                Path targetDir = dir.resolve("target");
                Files.createDirectories(targetDir);
                StringBuilder values = new StringBuilder("# EVOLVE-BLOCK-START\n");
                for (int i = 0; i < 12; i++) {
                    values.append("v").append(i).append(" = ").append(0.5 + i).append('\n');
                }
                values.append("# EVOLVE-BLOCK-END\n");
                Files.writeString(targetDir.resolve("values.txt"), values);
                String command = "echo '{\"score\": 1.0}'";
                // baseline: the same command spawned bare, sequentially
                int spawns = Math.min(evaluations, 200);
                long t0 = System.nanoTime();
                for (int i = 0; i < spawns; i++) {
                    Process p = new ProcessBuilder("/bin/sh", "-c", command).directory(targetDir.toFile()).redirectErrorStream(true).start();
                    p.getInputStream().readAllBytes();
                    p.waitFor();
                }
                double bare = spawns / ((System.nanoTime() - t0) / 1e9);
                out.printf(Locale.ROOT, "bare /bin/sh spawn, sequential:   %8.1f per second%n", bare);
                for (int parallelism : new int[] {1, 2, 4}) {
                    Target t = new Target("throughput", "", targetDir, dev.kaizen.core.target.Blueprint.read(targetDir, List.of("values.txt")),
                            dev.kaizen.core.target.Objective.maximize("score"), List.of());
                    Path work = dir.resolve("work-" + parallelism);
                    try (Sandbox sandbox = Sandbox.detect();
                         CommandEvaluator evaluator = CommandEvaluator.of(t.blueprint(), targetDir,
                            List.of(CommandStage.of("evaluate", command, Duration.ofSeconds(10))), t.objective(), work, List.of(),
                            sandbox, SandboxLimits.defaults())) {
                        long s0 = System.nanoTime();
                        RunSummary summary = Engine.builder().target(t).evaluator(evaluator).archive(new MemoryArchive(1))
                                .strategy(Strategy.defaults().withIslands(1)).limits(Limits.evaluations(evaluations)).parallelism(parallelism).build().run();
                        double rate = summary.evaluations() / ((System.nanoTime() - s0) / 1e9);
                        out.printf(Locale.ROOT, "engine + command evaluator, parallelism %d: %8.1f evaluations per second (%.2fx bare spawn)%n",
                                parallelism, rate, rate / bare);
                    }
                }
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            } finally {
                Trees.delete(dir);
            }
        }
    }

    @Command(name = "sandbox", description = "What the sandbox costs per evaluation: a trivial command evaluator and the Java worker path, "
            + "each sandboxed and unsandboxed, interleaved in this process.")
    static final class SandboxCost implements Callable<Integer> {
        @Option(names = "--evaluations", defaultValue = "300", description = "Command evaluations per mode.")
        int evaluations;

        @Option(names = "--candidates", defaultValue = "300", description = "Java candidates per mode (after 50 of warm-up each).")
        int candidates;

        @Option(names = "--skip-java", description = "Measure the command evaluator only.")
        boolean skipJava;

        @Override
        public Integer call() throws Exception {
            PrintStream out = Main.Context.out();
            Path dir = Files.createTempDirectory("kaizen-sandbox-bench-");
            try (Sandbox sandboxed = Sandbox.detect(); Sandbox none = Sandbox.unsafeNone()) {
                out.println("sandbox: " + sandboxed.isolation().describe());
                commandPath(out, dir, sandboxed, none);
                if (!skipJava) {
                    javaPath(out, dir, sandboxed, none);
                }
                return 0;
            } finally {
                Trees.delete(dir);
            }
        }

        /** The same trivial stage through two evaluators, alternating in blocks of 20 so that load drifts hit both alike. */
        private void commandPath(PrintStream out, Path dir, Sandbox sandboxed, Sandbox none) throws IOException {
            Path targetDir = Files.createDirectories(dir.resolve("target"));
            Files.writeString(targetDir.resolve("values.txt"), "# EVOLVE-BLOCK-START\nv = 0.5\n# EVOLVE-BLOCK-END\n");
            Target t = new Target("sandbox-cost", "", targetDir, dev.kaizen.core.target.Blueprint.read(targetDir, List.of("values.txt")),
                    dev.kaizen.core.target.Objective.maximize("score"), List.of());
            List<CommandStage> stage = List.of(CommandStage.of("evaluate", "echo '{\"score\": 1.0}'", Duration.ofSeconds(10)));
            try (CommandEvaluator in = CommandEvaluator.of(t.blueprint(), targetDir, stage, t.objective(), dir.resolve("work-in"), List.of(),
                    sandboxed, SandboxLimits.defaults());
                 CommandEvaluator out2 = CommandEvaluator.of(t.blueprint(), targetDir, stage, t.objective(), dir.resolve("work-out"), List.of(),
                         none, SandboxLimits.defaults())) {
                double[] a = new double[evaluations];
                double[] b = new double[evaluations];
                for (int i = 0; i < 10; i++) {
                    in.evaluate(variant(i), "warm-" + i);
                    out2.evaluate(variant(i), "warm-" + i);
                }
                for (int block = 0; block < evaluations; block += 20) {
                    for (int i = block; i < Math.min(evaluations, block + 20); i++) {
                        a[i] = timed(in, variant(i));
                    }
                    for (int i = block; i < Math.min(evaluations, block + 20); i++) {
                        b[i] = timed(out2, variant(i));
                    }
                }
                report(out, "command evaluator, trivial echo stage", a, b);
            }
        }

        private static Code variant(int i) {
            return Code.single("values.txt#1", "v = " + (0.5 + i) + "\n");
        }

        private static double timed(dev.kaizen.core.eval.Evaluator evaluator, Code code) {
            long t0 = System.nanoTime();
            Evaluation e = evaluator.evaluate(code, "c");
            double ms = (System.nanoTime() - t0) / 1e6;
            if (!e.passed()) {
                throw new CliException("bench candidate did not pass: " + e.outcome().kind() + ": " + e.outcome().reason());
            }
            return ms;
        }

        /**
         * The repair example's class and 16 tests in two evaluators (one worker each), a distinct
         * candidate per call (a changed comment, so each one is compiled), alternating one by one.
         */
        private void javaPath(PrintStream out, Path dir, Sandbox sandboxed, Sandbox none) throws Exception {
            Path example = Path.of(System.getProperty("kaizen.home", ".")).resolve("examples/java-repair").toAbsolutePath().normalize();
            KaizenConfig config = ConfigLoader.load(example);
            Target t = config.target();
            String region = t.blueprint().seed().regions().firstKey();
            String seed = t.blueprint().seed().region(region);
            try (JavaEvaluator in = JavaEvaluator.of(t.blueprint(), Evaluators.javaSettings(config, 1, sandboxed), t.objective());
                 JavaEvaluator out2 = JavaEvaluator.of(t.blueprint(), Evaluators.javaSettings(config, 1, none), t.objective())) {
                in.awaitWorkers(Duration.ofMinutes(2));
                out2.awaitWorkers(Duration.ofMinutes(2));
                int n = 0;
                for (int i = 0; i < 50; i++) {
                    in.evaluate(Code.single(region, seed + "// warm " + n++ + "\n"), "warm");
                    out2.evaluate(Code.single(region, seed + "// warm " + n++ + "\n"), "warm");
                }
                double[] a = new double[candidates];
                double[] b = new double[candidates];
                for (int i = 0; i < candidates; i++) {
                    a[i] = timed(in, Code.single(region, seed + "// candidate " + n++ + "\n"));
                    b[i] = timed(out2, Code.single(region, seed + "// candidate " + n++ + "\n"));
                }
                out.printf(Locale.ROOT, "java worker start (launch to ready, warm-up included): sandboxed %d ms, unsandboxed %d ms (%.2fx)%n",
                        in.stats().meanStart().toMillis(), out2.stats().meanStart().toMillis(),
                        (double) in.stats().meanStart().toMillis() / Math.max(1, out2.stats().meanStart().toMillis()));
                report(out, "java worker path, compile + load + 16 tests", a, b);
            }
        }

        private static void report(PrintStream out, String what, double[] sandboxed, double[] none) {
            double[] a = sandboxed.clone();
            double[] b = none.clone();
            java.util.Arrays.sort(a);
            java.util.Arrays.sort(b);
            double ma = a[a.length / 2];
            double mb = b[b.length / 2];
            out.printf(Locale.ROOT, "%s: median sandboxed %.2f ms, unsandboxed %.2f ms, ratio %.2fx (+%.2f ms); p90 %.2f vs %.2f ms; mean %.2f vs %.2f ms%n",
                    what, ma, mb, ma / mb, ma - mb, a[a.length * 9 / 10], b[b.length * 9 / 10], mean(a), mean(b));
        }
    }

    @Command(name = "llm", description = "What a language-model proposal costs besides the model (building the prompt, parsing the reply, "
            + "applying the edit), and how much of a model's latency proposals made at once hide.")
    static final class LlmOverhead implements Callable<Integer> {
        @Option(names = "--iterations", defaultValue = "20000", description = "Measured iterations (after as many of warm-up).")
        int iterations;

        @Option(names = "--latency-ms", defaultValue = "200", description = "The model latency stood in for by a sleep, for the concurrency part; 0 skips it.")
        int latencyMs;

        @Option(names = "--evaluations", defaultValue = "40", description = "Evaluations per run of the concurrency part.")
        int evaluations;

        @Option(names = "--parallelism", defaultValue = "4", description = "Proposals in flight at once in the concurrency part.")
        int parallelism;

        @Override
        public Integer call() throws IOException {
            if (iterations < 1) {
                throw new CliException("--iterations must be >= 1, got " + iterations);
            }
            if (latencyMs < 0 || evaluations < 2 || parallelism < 1) {
                throw new CliException("--latency-ms must be >= 0, --evaluations >= 2 and --parallelism >= 1");
            }
            dev.kaizen.llm.edit.EditBench.main(new String[] {Integer.toString(iterations)});
            if (latencyMs > 0) {
                concurrency(Main.Context.out());
            }
            return 0;
        }

        /**
         * The circle-packing example, sandboxed, with the offline operators behind a model-like
         * latency: once proposed on the engine's thread (each proposal waits its turn, as before
         * slow operators existed) and once as slow operators made on worker threads. Runs alternate,
         * two of each.
         */
        private void concurrency(PrintStream out) throws IOException {
            KaizenConfig config = ConfigLoader.load(Path.of(System.getProperty("kaizen.home", ".")).resolve("examples/circle-packing").toAbsolutePath().normalize());
            Target t = config.target();
            Path work = Files.createTempDirectory("kaizen-llm-bench-");
            out.printf(Locale.ROOT, "proposals made at once: %s, a %d ms model latency (a sleep), %d evaluations per run, parallelism %d%n",
                    t.name(), latencyMs, evaluations, parallelism);
            Map<Boolean, List<Double>> seconds = new LinkedHashMap<>();
            try (Sandbox sandbox = Sandbox.detect().readingAlso(config.sandbox().readOnly());
                 CommandEvaluator evaluator = CommandEvaluator.of(t.blueprint(), t.root(), config.stages(), t.objective(), work, config.exclude(),
                         sandbox, Evaluators.limits(config))) {
                for (int round = 0; round < 2; round++) {
                    for (boolean slow : new boolean[] {false, true}) {
                        List<dev.kaizen.core.operator.Operator> ops = dev.kaizen.core.operator.Operators.offline().stream()
                                .<dev.kaizen.core.operator.Operator>map(op -> new Latent(op, latencyMs, slow)).toList();
                        long t0 = System.nanoTime();
                        RunSummary summary = Engine.builder().target(t).evaluator(evaluator).archive(new MemoryArchive(config.strategy().islands()))
                                .strategy(config.strategy()).operators(ops).limits(Limits.evaluations(evaluations)).seed(round + 1)
                                .parallelism(parallelism).build().run();
                        double secs = (System.nanoTime() - t0) / 1e9;
                        seconds.computeIfAbsent(slow, k -> new ArrayList<>()).add(secs);
                        out.printf(Locale.ROOT, "  %-28s %d evaluations in %.2f s (%.0f ms each)%n",
                                slow ? "made on worker threads:" : "made on the engine's thread:", summary.sessionEvaluations(), secs,
                                1000 * secs / summary.sessionEvaluations());
                    }
                }
            } finally {
                Trees.delete(work);
            }
            double before = seconds.get(false).stream().mapToDouble(Double::doubleValue).sum();
            double after = seconds.get(true).stream().mapToDouble(Double::doubleValue).sum();
            out.printf(Locale.ROOT, "made at once: %.2fx the evaluations per second of proposing on the engine's thread%n", before / after);
        }
    }

    /** An offline operator behind a model's latency: a sleep, on the engine's thread or (slow) on a worker thread. */
    private record Latent(dev.kaizen.core.operator.Operator inner, int latencyMs, boolean slow) implements dev.kaizen.core.operator.Operator {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public java.util.Optional<dev.kaizen.core.operator.Proposal> propose(dev.kaizen.core.operator.ProposalContext context) {
            pause();
            return inner.propose(context);
        }

        @Override
        public dev.kaizen.core.operator.Deferred start(dev.kaizen.core.operator.ProposalContext context) {
            java.util.Optional<dev.kaizen.core.operator.Proposal> proposal = inner.propose(context);
            return () -> {
                pause();
                return proposal;
            };
        }

        @Override
        public void observe(Candidate child, Candidate parent) {
            inner.observe(child, parent);
        }

        private void pause() {
            try {
                Thread.sleep(latencyMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Command(name = "archive", description = "SQLite archive insert and parent-sampling latency, reopen time and size at a given size.")
    static final class ArchiveSize implements Callable<Integer> {
        @Option(names = "--size", defaultValue = "100000", split = ",", description = "Candidate counts, e.g. 100000,1000000.")
        List<Integer> sizes;

        @Override
        public Integer call() throws IOException {
            for (int n : sizes) {
                Path dir = Files.createTempDirectory("kaizen-archive-bench-");
                try {
                    Main.Context.out().println(ArchiveBenchmark.run(dir, n, 1));
                } finally {
                    Trees.delete(dir);
                }
            }
            return 0;
        }
    }

    @Command(name = "resume", description = "Time to resume a run of a given size: open the archive and ledger and rebuild the engine's state.")
    static final class Resume implements Callable<Integer> {
        @Option(names = "--size", defaultValue = "100000")
        int size;

        @Override
        public Integer call() throws IOException {
            PrintStream out = Main.Context.out();
            Path dir = Files.createTempDirectory("kaizen-resume-bench-");
            try {
                Target t = new Target("resume", "", dir, new dev.kaizen.core.target.Blueprint(List.of(dev.kaizen.core.target.Blueprint.parse("x.txt", "x = 1.0\n"))),
                        dev.kaizen.core.target.Objective.maximize("score"), List.of());
                Strategy strategy = Strategy.defaults();
                long f0 = System.nanoTime();
                try (SqliteArchive archive = SqliteArchive.open(dir.resolve("archive.db"), strategy.islands());
                     JsonlLedger ledger = JsonlLedger.open(dir.resolve("ledger.jsonl"), InstantSource.system())) {
                    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
                    Code previous = null;
                    for (int i = 0; i < size; i++) {
                        StringBuilder text = new StringBuilder();
                        for (int l = 0; l < 30; l++) {
                            text.append("value_").append(l).append(" = ").append(random.nextDouble()).append('\n');
                        }
                        Code code = Code.single("x.txt", text.toString());
                        double score = random.nextDouble();
                        Candidate c = new Candidate(0, code.id(), code, previous == null ? List.of() : List.of(previous.id()),
                                previous == null ? "seed" : "tune.perturb", "synthetic", Patch.empty(),
                                Evaluation.passed(Map.of("score", score), "", "evaluate", Duration.ofMillis(5)), score,
                                i % strategy.islands(), Integer.toString(random.nextInt(100)), 0, Instant.now());
                        archive.add(c);
                        ledger.append("evaluation", Map.of("seq", i + 1, "id", code.id().hex(), "outcome", "passed", "score", score));
                        previous = code;
                    }
                    archive.putMeta("ledger", ledger.size() + ":" + ledger.head());
                }
                double fill = (System.nanoTime() - f0) / 1e9;
                long r0 = System.nanoTime();
                RunSummary summary;
                try (SqliteArchive archive = SqliteArchive.open(dir.resolve("archive.db"), strategy.islands());
                     JsonlLedger ledger = JsonlLedger.open(dir.resolve("ledger.jsonl"), InstantSource.system())) {
                    long opened = System.nanoTime();
                    summary = Engine.builder().target(t).archive(archive).ledger(ledger).strategy(strategy)
                            .evaluator(new dev.kaizen.core.eval.Evaluator() {
                                @Override
                                public Evaluation evaluate(Code code, String label) {
                                    throw new IllegalStateException("a resume at its budget evaluates nothing");
                                }

                                @Override
                                public String describe() {
                                    return "none";
                                }
                            })
                            .limits(Limits.evaluations(size)).build().run();
                    double open = (opened - r0) / 1e9;
                    double total = (System.nanoTime() - r0) / 1e9;
                    out.printf(Locale.ROOT, "resume of a %d-candidate run: %.2f s (open archive + ledger %.2f s, rebuild engine state %.2f s); built in %.1f s; stopped: %s%n",
                            size, total, open, total - open, fill, summary.reason().text());
                }
                return 0;
            } finally {
                Trees.delete(dir);
            }
        }
    }
}
