package dev.kaizen.core.engine;

import dev.kaizen.core.archive.Admission;
import dev.kaizen.core.archive.Archive;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.archive.ParentSelector;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Evaluator;
import dev.kaizen.core.eval.Reference;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.guard.Guard;
import dev.kaizen.core.guard.GuardPolicy;
import dev.kaizen.core.guard.MetricRange;
import dev.kaizen.core.guard.MetricSanity;
import dev.kaizen.core.guard.ProtectedFiles;
import dev.kaizen.core.ledger.Ledger;
import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.operator.OperatorBandit;
import dev.kaizen.core.operator.Operators;
import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.operator.ProposalContext;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.program.ProgramId;
import dev.kaizen.core.target.Target;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * The search engine: an immutable value made by {@link #builder()}; {@link #run()} carries a run
 * forward from whatever its archive holds (a fresh run evaluates the seed first) until a limit is
 * reached or a stop is requested.
 *
 * <p>One step: pick an island (round robin), select a parent among its elites, let the bandit pick
 * an operator, propose a child, drop it if its program was ever evaluated, log the proposal, and
 * evaluate it on a worker thread. Up to {@code parallelism} evaluations run at once; results are
 * taken in the order the proposals were made, so a run is reproducible from its seed whatever the
 * timing. Every evaluated candidate is stored in the archive before it is written to the ledger; a
 * resumed run writes any stored candidate the ledger missed, so a kill at any point loses nothing
 * that was evaluated and counts nothing twice.
 *
 * <p>Nothing a proposal contains runs before the {@link Guard} passes it: a refused child is not
 * evaluated but stored as {@link Outcome.Rejected} ({@code guard: ...}), and counts as a failure
 * of its operator. Every evaluation's metrics pass through {@link MetricSanity} before they are
 * stored. The files the guard policy protects are fingerprinted when the run starts and checked
 * after every evaluation; when one changed, every candidate whose evaluation ran since the last
 * clean check is recorded as {@link Outcome.Violation} and the run stops with
 * {@link StopReason#PROTECTED_FILE_CHANGED}.
 */
public final class Engine {

    private static final int MAX_CONSECUTIVE_SKIPS = 5_000;
    private static final double BANDIT_DISCOUNT = 0.995;

    private final Target target;
    private final Evaluator evaluator;
    private final Archive archive;
    private final Ledger ledger;
    private final List<Operator> operators;
    private final Strategy strategy;
    private final Limits limits;
    private final long seed;
    private final int parallelism;
    private final InstantSource clock;
    private final EngineListener listener;
    private final BooleanSupplier stopRequested;
    private final Guard guard;
    private final MetricSanity sanity;

    private Engine(Builder b) {
        this.target = Objects.requireNonNull(b.target, "target");
        this.evaluator = Objects.requireNonNull(b.evaluator, "evaluator");
        this.archive = Objects.requireNonNull(b.archive, "archive");
        this.ledger = b.ledger;
        this.operators = List.copyOf(b.operators);
        this.strategy = b.strategy;
        this.limits = b.limits;
        this.seed = b.seed;
        this.parallelism = b.parallelism;
        this.clock = b.clock;
        this.listener = b.listener;
        this.stopRequested = b.stopRequested;
        this.guard = new Guard(target.blueprint(), b.guard);
        this.sanity = new MetricSanity(target.objective(), b.metricRanges);
        if (archive.islands() != strategy.islands()) {
            throw new IllegalArgumentException("the archive has " + archive.islands() + " islands but the strategy asks for " + strategy.islands());
        }
        Set<String> names = new HashSet<>();
        for (Operator op : operators) {
            if (!names.add(op.name())) {
                throw new IllegalArgumentException("two operators are named '" + op.name() + "'");
            }
        }
        for (String named : strategy.operatorWeights().keySet()) {
            if (!names.contains(named)) {
                throw new IllegalArgumentException("the strategy weighs an unknown operator '" + named + "'; operators: " + names);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Target target() {
        return target;
    }

    public Strategy strategy() {
        return strategy;
    }

    public Limits limits() {
        return limits;
    }

    public GuardPolicy guard() {
        return guard.policy();
    }

    public Map<String, MetricRange> metricRanges() {
        return sanity.ranges();
    }

    /** Runs until a limit or a stop request; see the class comment. */
    public RunSummary run() {
        return new Session().run();
    }

    /** The mutable state of one call to {@link #run()}. */
    private final class Session {
        private final Instant started = clock.instant();
        private final long priorElapsedMs = archive.meta("elapsed_ms").map(Long::parseLong).orElse(0L);
        private final long priorEvaluations = archive.size();
        private final RandomGenerator random = new SplittableRandom(mix64(seed) ^ mix64(~priorEvaluations));
        private final ParentSelector selector = strategy.selector();
        private final Map<String, Operator> byName = new LinkedHashMap<>();
        private final OperatorBandit bandit;
        private final Map<String, Long> outcomes = new TreeMap<>();
        private final Deque<InFlight> inFlight = new ArrayDeque<>();
        private final Set<ProgramId> inFlightIds = new HashSet<>();
        private long proposals;
        private int consecutiveSkips;
        private ProtectedFiles protectedFiles;
        private List<String> tampered = List.of();

        Session() {
            Map<String, Double> weights = new LinkedHashMap<>();
            for (Operator op : operators) {
                byName.put(op.name(), op);
                weights.put(op.name(), strategy.weight(op.name()));
            }
            bandit = new OperatorBandit(weights, strategy.exploration(), BANDIT_DISCOUNT);
        }

        RunSummary run() {
            boolean resumed = priorEvaluations > 0;
            if (resumed) {
                replayHistory();
            }
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("target", target.name());
            start.put("resumed", resumed);
            start.put("evaluations", priorEvaluations);
            start.put("evaluator", evaluator.describe());
            start.put("strategy", strategyMap());
            start.put("limits", limitsMap());
            start.put("seed", seed);
            start.put("parallelism", parallelism);
            start.put("operators", List.copyOf(byName.keySet()));
            protectedFiles = guard.policy().protect().isEmpty() ? null
                    : ProtectedFiles.snapshot(target.root(), guard.policy().protect(), target.blueprint().files().stream().map(f -> f.path()).toList());
            start.put("guard", guardMap(protectedFiles));
            start.put("metric_ranges", rangesMap());
            ledger.append("run.start", start);
            listener.on(new EngineEvent.Started(resumed, priorEvaluations, limits));

            ExecutorService pool = Executors.newFixedThreadPool(parallelism, daemonThreads());
            try {
                if (archive.size() == 0) {
                    Candidate seedCandidate = evaluateSeed(pool);
                    if (!tampered.isEmpty()) {
                        return finish(StopReason.PROTECTED_FILE_CHANGED, tamperDetail());
                    }
                    if (!seedCandidate.feasible()) {
                        return finish(StopReason.SEED_FAILED, seedFailure(seedCandidate));
                    }
                } else if (archive.best().isEmpty()) {
                    return finish(StopReason.SEED_FAILED, "no stored candidate passes: nothing to start from");
                }
                StopReason reason = loop(pool);
                return finish(reason, reason == StopReason.PROTECTED_FILE_CHANGED ? tamperDetail() : "");
            } finally {
                pool.shutdownNow();
            }
        }

        private StopReason loop(ExecutorService pool) {
            StopReason reason = null;
            while (true) {
                if (reason == null) {
                    reason = limitReached();
                }
                while (reason == null && inFlight.size() < parallelism && archive.size() + inFlight.size() < limits.evaluations()) {
                    if (consecutiveSkips >= MAX_CONSECUTIVE_SKIPS) {
                        reason = StopReason.EXHAUSTED;
                        break;
                    }
                    proposeOne(pool);
                }
                if (inFlight.isEmpty()) {
                    return reason == null ? StopReason.EVALUATION_BUDGET : reason;
                }
                InFlight head = inFlight.poll();
                inFlightIds.remove(head.code().id());
                Evaluation evaluation = await(head);
                if (tamperedDuring(head)) {
                    stopAfterTampering(head, evaluation);
                    return StopReason.PROTECTED_FILE_CHANGED;
                }
                integrate(head, evaluation);
                if (strategy.islands() > 1 && archive.size() % strategy.migrationInterval() == 0) {
                    migrate();
                }
            }
        }

        private StopReason limitReached() {
            if (stopRequested.getAsBoolean()) {
                return StopReason.STOPPED;
            }
            if (archive.size() >= limits.evaluations()) {
                return StopReason.EVALUATION_BUDGET;
            }
            if (elapsed().compareTo(limits.time()) >= 0) {
                return StopReason.TIME_BUDGET;
            }
            if (limits.target().isPresent()) {
                Optional<Candidate> best = archive.best();
                if (best.isPresent() && target.objective().reaches(best.get().evaluation(), limits.target().getAsDouble())) {
                    return StopReason.TARGET_REACHED;
                }
            }
            return null;
        }

        private void proposeOne(ExecutorService pool) {
            int island = (int) (proposals++ % strategy.islands());
            List<Candidate> elites = archive.elites(island);
            if (elites.isEmpty()) {
                elites = List.of(archive.best().orElseThrow());
            }
            Candidate parent = selector.select(elites, random);
            List<Candidate> inspirations = inspirations(island, parent, elites);
            String opName = bandit.choose(random);
            Operator op = byName.get(opName);
            Optional<Proposal> proposal;
            try {
                proposal = op.propose(new ProposalContext(target, parent, inspirations, random));
            } catch (RuntimeException e) {
                skip(opName, "operator failed: " + e, parent);
                return;
            }
            if (proposal.isEmpty()) {
                skip(opName, "no applicable edit", parent);
                return;
            }
            Code child = proposal.get().code();
            ProgramId id = child.id();
            if (archive.contains(id) || inFlightIds.contains(id)) {
                skip(opName, "duplicate of " + id.shortHex(), parent);
                return;
            }
            consecutiveSkips = 0;
            Guard.Verdict verdict = guard.check(parent.code(), child);
            Patch patch = verdict.patch();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", id.hex());
            entry.put("parent", parent.id().hex());
            entry.put("operator", opName);
            entry.put("description", proposal.get().description());
            entry.put("island", island);
            entry.put("patch", patch.text());
            ledger.append("proposal", entry);
            String label = "c" + (archive.size() + inFlight.size() + 1);
            if (verdict.refusal().isPresent()) {
                String reason = "guard: " + verdict.refusal().get();
                Evaluation refused = Evaluation.failed(new Outcome.Rejected(reason), "refused before it ran: " + verdict.refusal().get(), "guard", Duration.ZERO);
                inFlight.add(new InFlight(child, parent, op, proposal.get().description(), patch, island, clock.instant(),
                        CompletableFuture.completedFuture(refused), label, false));
                inFlightIds.add(id);
                return;
            }
            Future<Evaluation> future = pool.submit(() -> safeEvaluate(child, label, parent));
            inFlight.add(new InFlight(child, parent, op, proposal.get().description(), patch, island, clock.instant(), future, label, true));
            inFlightIds.add(id);
        }

        private void skip(String operator, String reason, Candidate parent) {
            consecutiveSkips++;
            bandit.record(operator, false);
            ledger.append("proposal.skipped", Map.of("operator", operator, "parent", parent.id().hex(), "reason", reason));
            listener.on(new EngineEvent.Skipped(operator, reason));
        }

        private List<Candidate> inspirations(int island, Candidate parent, List<Candidate> elites) {
            int k = strategy.inspirations();
            List<Candidate> out = new ArrayList<>();
            if (k == 0) {
                return out;
            }
            for (Candidate c : elites) {
                if (!c.id().equals(parent.id())) {
                    out.add(c);
                    break;
                }
            }
            int attempts = 0;
            while (out.size() < k && attempts++ < 4 * k) {
                List<Candidate> pool = strategy.islands() > 1 && random.nextInt(3) == 0
                        ? archive.elites(random.nextInt(strategy.islands()))
                        : elites;
                if (pool.isEmpty()) {
                    continue;
                }
                Candidate c = pool.get(random.nextInt(pool.size()));
                if (!c.id().equals(parent.id()) && out.stream().noneMatch(o -> o.id().equals(c.id()))) {
                    out.add(c);
                }
            }
            return out;
        }

        private Evaluation await(InFlight f) {
            try {
                return f.future().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Evaluation.failed(new Outcome.Crashed(-1, "interrupted while waiting for the evaluation"), "", "", Duration.ZERO);
            } catch (ExecutionException e) {
                return Evaluation.failed(new Outcome.Crashed(-1, "evaluator error: " + e.getCause()), "", "", Duration.ZERO);
            }
        }

        private Evaluation safeEvaluate(Code code, String label, Candidate parent) {
            long t0 = System.nanoTime();
            try {
                Evaluation e = parent == null
                        ? evaluator.evaluate(code, label)
                        : evaluator.evaluate(code, label, new Reference(parent.code(), parent.evaluation().metrics()));
                return Objects.requireNonNull(e, "the evaluator returned null");
            } catch (RuntimeException | Error e) {
                return Evaluation.failed(new Outcome.Crashed(-1, "evaluator error: " + e), "", "", Duration.ofNanos(System.nanoTime() - t0));
            }
        }

        private Candidate evaluateSeed(ExecutorService pool) {
            Code code = target.blueprint().seed();
            ledger.append("proposal", Map.of("id", code.id().hex(), "operator", "seed", "description", "the unmodified target", "island", 0, "patch", ""));
            Future<Evaluation> future = pool.submit(() -> safeEvaluate(code, "seed", null));
            InFlight f = new InFlight(code, null, null, "the unmodified target", Patch.empty(), 0, clock.instant(), future, "seed", true);
            Evaluation evaluation = await(f);
            if (tamperedDuring(f)) {
                evaluation = violation(evaluation, f, List.of());
            }
            Candidate stored = integrate(f, evaluation);
            for (int i = 1; i < strategy.islands(); i++) {
                archive.place(stored.id(), i);
            }
            return stored;
        }

        private String seedFailure(Candidate seedCandidate) {
            Evaluation e = seedCandidate.evaluation();
            if (e.passed()) {
                return "the seed passed but is infeasible for the objective (metric '" + target.objective().primary()
                        + "' missing or a constraint violated); metrics: " + e.metrics();
            }
            String feedback = e.feedback().isBlank() ? "" : "\n" + e.feedback().strip();
            return e.outcome().kind() + ": " + e.outcome().reason() + feedback;
        }

        /**
         * Checks the protected files after {@code ended} finished. A clean check clears every
         * evaluation that has ended by now; when a file changed, {@link #tampered} lists the
         * changes and the evaluations not yet cleared are the suspects.
         */
        private boolean tamperedDuring(InFlight ended) {
            if (protectedFiles == null || !ended.ran()) {
                return false;
            }
            // only what had ended before the check began is covered by it
            List<InFlight> endedBefore = inFlight.stream().filter(other -> other.future().isDone()).toList();
            List<String> changed = protectedFiles.verify();
            if (changed.isEmpty()) {
                ended.cleared().set(true);
                endedBefore.forEach(other -> other.cleared().set(true));
                return false;
            }
            tampered = changed;
            return true;
        }

        /**
         * A protected file changed after {@code head} ended: waits for every evaluation still in
         * flight, then records {@code head} and every other evaluation that ran since the last clean
         * check as violations (the change cannot be pinned on one of them), and the rest as they are.
         */
        private void stopAfterTampering(InFlight head, Evaluation headEvaluation) {
            List<InFlight> rest = new ArrayList<>(inFlight);
            inFlight.clear();
            inFlightIds.clear();
            List<Evaluation> restEvaluations = new ArrayList<>();
            for (InFlight f : rest) {
                restEvaluations.add(await(f));
            }
            List<String> again = protectedFiles.verify();
            java.util.TreeSet<String> all = new java.util.TreeSet<>(tampered);
            all.addAll(again);
            tampered = List.copyOf(all);
            List<InFlight> suspects = new ArrayList<>();
            suspects.add(head);
            for (InFlight f : rest) {
                if (f.ran() && !f.cleared().get()) {
                    suspects.add(f);
                }
            }
            integrate(head, violation(headEvaluation, head, suspects));
            for (int i = 0; i < rest.size(); i++) {
                InFlight f = rest.get(i);
                integrate(f, suspects.contains(f) ? violation(restEvaluations.get(i), f, suspects) : restEvaluations.get(i));
            }
        }

        private Evaluation violation(Evaluation original, InFlight f, List<InFlight> suspects) {
            String files = (tampered.size() == 1 ? "modified protected file " : "modified protected files ") + String.join(", ", tampered);
            List<String> others = suspects.stream().filter(s -> s != f).map(InFlight::label).toList();
            String reason = others.isEmpty() ? files
                    : files + ", or one of the evaluations that ran at the same time did (" + String.join(", ", others) + ")";
            String feedback = "the evaluation was " + original.outcome().kind() + (original.feedback().isBlank() ? "" : ":\n" + original.feedback());
            return Evaluation.failed(new Outcome.Violation(reason), feedback, original.stage(), original.elapsed());
        }

        private String tamperDetail() {
            return "protected files changed during an evaluation: " + String.join(", ", tampered)
                    + ". The evaluation did not contain a candidate; the run stopped so that no candidate is judged against changed files."
                    + " Restore them before resuming the run.";
        }

        private Map<String, Object> guardMap(ProtectedFiles files) {
            Map<String, Object> m = new LinkedHashMap<>();
            GuardPolicy p = guard.policy();
            m.put("max_region_chars", p.maxRegionChars().isPresent() ? p.maxRegionChars().getAsInt() : null);
            m.put("max_changed_lines", p.maxChangedLines());
            m.put("protect", p.protect());
            m.put("protected_files", files == null ? 0 : files.paths().size());
            return m;
        }

        private Map<String, Object> rangesMap() {
            Map<String, Object> m = new TreeMap<>();
            sanity.ranges().forEach((k, r) -> {
                Map<String, Object> range = new LinkedHashMap<>();
                range.put("min", Double.isInfinite(r.min()) ? null : r.min());
                range.put("max", Double.isInfinite(r.max()) ? null : r.max());
                m.put(k, range);
            });
            return m;
        }

        private Candidate integrate(InFlight f, Evaluation raw) {
            Evaluation evaluation = sanity.check(raw);
            double fitness = target.objective().fitness(evaluation);
            String cell = Features.cell(target.features(), f.code(), evaluation);
            List<ProgramId> parents = f.parent() == null ? List.of() : List.of(f.parent().id());
            int generation = f.parent() == null ? 0 : f.parent().generation() + 1;
            String opName = f.operator() == null ? "seed" : f.operator().name();
            Candidate candidate = new Candidate(0, f.code().id(), f.code(), parents, opName, f.description(), f.patch(),
                    evaluation, fitness, f.island(), cell, generation, f.proposedAt());
            Admission admission = archive.add(candidate);
            Candidate stored = admission.candidate();
            outcomes.merge(evaluation.outcome().kind(), 1L, Long::sum);
            if (f.parent() != null) {
                boolean improved = stored.feasible() && (!f.parent().feasible() || stored.fitness() > f.parent().fitness());
                bandit.record(opName, improved);
                f.operator().observe(stored, f.parent());
            }
            ledger.append("evaluation", evaluationEntry(admission, false));
            archive.putMeta("ledger", ledger.size() + ":" + ledger.head());
            archive.putMeta("elapsed_ms", Long.toString(elapsed().toMillis()));
            listener.on(new EngineEvent.Evaluated(stored, admission.elite(), admission.newBest(), archive.size(), archive.best(), elapsed()));
            return stored;
        }

        private Map<String, Object> evaluationEntry(Admission admission, boolean recovered) {
            Candidate c = admission.candidate();
            Evaluation e = c.evaluation();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("seq", c.seq());
            entry.put("id", c.id().hex());
            entry.put("operator", c.operator());
            entry.put("outcome", e.outcome().kind());
            entry.put("reason", e.outcome().reason());
            entry.put("stage", e.stage());
            entry.put("metrics", e.metrics());
            entry.put("score", c.feasible() ? target.objective().score(c.evaluation()) : null);
            entry.put("elite", admission.elite());
            entry.put("new_best", admission.newBest());
            entry.put("island", c.island());
            entry.put("cell", c.cell());
            entry.put("elapsed_ms", e.elapsed().toMillis());
            if (recovered) {
                entry.put("recovered", true);
            }
            return entry;
        }

        private void migrate() {
            int moved = 0;
            int k = strategy.islands();
            for (int i = 0; i < k; i++) {
                List<Candidate> elites = archive.elites(i);
                if (!elites.isEmpty() && archive.place(elites.get(0).id(), (i + 1) % k)) {
                    moved++;
                }
            }
            ledger.append("migration", Map.of("evaluations", archive.size(), "moved", moved));
            listener.on(new EngineEvent.Migrated(archive.size(), moved));
        }

        /** Rebuilds the bandit from the stored history and writes any stored evaluation the ledger missed. */
        private void replayHistory() {
            long ledgerSeq = !ledger.readsBack() ? Long.MAX_VALUE
                    : ledger.last("evaluation").map(d -> ((Number) d.getOrDefault("seq", 0)).longValue()).orElse(0L);
            Map<ProgramId, Double> fitness = new HashMap<>();
            long after = 0;
            while (true) {
                List<Candidate> page = archive.history(after, 2_000);
                if (page.isEmpty()) {
                    break;
                }
                for (Candidate c : page) {
                    fitness.put(c.id(), c.fitness());
                    if (!c.parents().isEmpty()) {
                        Double pf = fitness.get(c.parents().get(0));
                        boolean improved = c.feasible() && (pf == null || Double.isNaN(pf) || c.fitness() > pf);
                        bandit.record(c.operator(), improved);
                    }
                    if (c.seq() > ledgerSeq) {
                        ledger.append("evaluation", evaluationEntry(new Admission(c, false, false), true));
                    }
                }
                after = page.get(page.size() - 1).seq();
            }
        }

        private Duration elapsed() {
            return Duration.ofMillis(priorElapsedMs).plus(Duration.between(started, clock.instant()));
        }

        private RunSummary finish(StopReason reason, String detail) {
            archive.putMeta("elapsed_ms", Long.toString(elapsed().toMillis()));
            Optional<Candidate> best = archive.best();
            Optional<Candidate> seedCandidate = archive.history(0, 1).stream().findFirst();
            RunSummary summary = new RunSummary(reason, archive.size(), archive.size() - priorEvaluations, best, seedCandidate, elapsed(), outcomes, detail);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("reason", reason.name().toLowerCase(java.util.Locale.ROOT));
            entry.put("detail", detail);
            entry.put("evaluations", summary.evaluations());
            entry.put("session_evaluations", summary.sessionEvaluations());
            entry.put("best_id", best.map(c -> c.id().hex()).orElse(null));
            entry.put("best_score", best.map(c -> target.objective().score(c.evaluation())).orElse(null));
            entry.put("elapsed_ms", summary.elapsed().toMillis());
            entry.put("operators", banditMap());
            ledger.append("run.stop", entry);
            archive.putMeta("ledger", ledger.size() + ":" + ledger.head());
            listener.on(new EngineEvent.Finished(summary));
            return summary;
        }

        private Map<String, Object> banditMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            for (OperatorBandit.Stats s : bandit.stats()) {
                m.put(s.operator(), Map.of("proposed", s.totalPulls(), "improved", s.totalWins()));
            }
            return m;
        }
    }

    private Map<String, Object> strategyMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("selection", strategy.selection());
        m.put("power_law_alpha", strategy.powerLawAlpha());
        m.put("tournament_size", strategy.tournamentSize());
        m.put("islands", strategy.islands());
        m.put("migration_interval", strategy.migrationInterval());
        m.put("inspirations", strategy.inspirations());
        m.put("operator_weights", new TreeMap<>(strategy.operatorWeights()));
        m.put("exploration", strategy.exploration());
        return m;
    }

    private Map<String, Object> limitsMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("evaluations", limits.evaluations());
        m.put("time_ms", limits.time().toMillis());
        m.put("target", limits.target().isPresent() ? limits.target().getAsDouble() : null);
        return m;
    }

    /**
     * SplitMix64's finaliser. Seeds must be scrambled before they reach {@link SplittableRandom}:
     * its state advances by a fixed gamma, so seeds that differ by a multiple of that gamma give
     * the same stream shifted by a few draws (seeds 1, 2 and 3 gave identical runs before this).
     */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "kaizen-eval-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A proposal whose evaluation is under way (or, when the guard refused it, already decided).
     * {@code ran} is false for a refusal; {@code cleared} turns true once a check of the protected
     * files after its evaluation ended found nothing changed.
     */
    private record InFlight(Code code, Candidate parent, Operator operator, String description, Patch patch, int island, Instant proposedAt,
                            Future<Evaluation> future, String label, boolean ran, java.util.concurrent.atomic.AtomicBoolean cleared) {
        InFlight(Code code, Candidate parent, Operator operator, String description, Patch patch, int island, Instant proposedAt,
                 Future<Evaluation> future, String label, boolean ran) {
            this(code, parent, operator, description, patch, island, proposedAt, future, label, ran, new java.util.concurrent.atomic.AtomicBoolean());
        }
    }

    /** Builds an {@link Engine}; target, evaluator and archive are required. */
    public static final class Builder {
        private Target target;
        private Evaluator evaluator;
        private Archive archive;
        private Ledger ledger = Ledger.discarding();
        private List<Operator> operators = Operators.offline();
        private Strategy strategy = Strategy.defaults();
        private Limits limits = Limits.evaluations(1000);
        private long seed;
        private int parallelism = 1;
        private InstantSource clock = InstantSource.system();
        private EngineListener listener = EngineListener.none();
        private BooleanSupplier stopRequested = () -> false;
        private GuardPolicy guard = GuardPolicy.defaults();
        private Map<String, MetricRange> metricRanges = Map.of();

        private Builder() {}

        public Builder target(Target t) {
            this.target = Objects.requireNonNull(t, "target");
            return this;
        }

        public Builder evaluator(Evaluator e) {
            this.evaluator = Objects.requireNonNull(e, "evaluator");
            return this;
        }

        public Builder archive(Archive a) {
            this.archive = Objects.requireNonNull(a, "archive");
            return this;
        }

        public Builder ledger(Ledger l) {
            this.ledger = Objects.requireNonNull(l, "ledger");
            return this;
        }

        /** Operators by a fresh list; operators keep state, so give each engine its own instances. */
        public Builder operators(List<Operator> ops) {
            if (ops.isEmpty()) {
                throw new IllegalArgumentException("an engine needs at least one operator");
            }
            this.operators = List.copyOf(ops);
            return this;
        }

        public Builder strategy(Strategy s) {
            this.strategy = Objects.requireNonNull(s, "strategy");
            return this;
        }

        public Builder limits(Limits l) {
            this.limits = Objects.requireNonNull(l, "limits");
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder parallelism(int n) {
            if (n < 1 || n > 1024) {
                throw new IllegalArgumentException("parallelism must be between 1 and 1024, got " + n);
            }
            this.parallelism = n;
            return this;
        }

        public Builder clock(InstantSource c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public Builder listener(EngineListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** A condition polled between steps; when it turns true the run stops after its evaluations in flight. */
        public Builder stopWhen(BooleanSupplier s) {
            this.stopRequested = Objects.requireNonNull(s, "stop condition");
            return this;
        }

        /** What the guard enforces on every proposal; {@link GuardPolicy#defaults()} unless given. */
        public Builder guard(GuardPolicy policy) {
            this.guard = Objects.requireNonNull(policy, "guard policy");
            return this;
        }

        /** Declared metric ranges; a passed evaluation with a value outside one becomes invalid. */
        public Builder metricRanges(Map<String, MetricRange> ranges) {
            this.metricRanges = Map.copyOf(ranges);
            return this;
        }

        public Engine build() {
            return new Engine(this);
        }
    }
}
