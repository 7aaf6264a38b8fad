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
import dev.kaizen.core.operator.Deferred;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The search engine: an immutable value made by {@link #builder()}; {@link #run()} carries a run
 * forward from whatever its archive holds (a fresh run evaluates the seed first) until a limit is
 * reached or a stop is requested.
 *
 * <p>One step: pick an island (round robin), select a parent among its elites, let the bandit pick
 * an operator, propose a child, drop it if its program was ever evaluated, log the proposal, and
 * evaluate it on a worker thread. Up to {@code parallelism} evaluations run at once; results are
 * taken in the order the proposals were made, so a run is reproducible from its seed whatever the
 * timing. A {@linkplain Operator#slow() slow} operator (a language model) is started on the
 * engine's thread, with the parent, inspirations and a split random stream fixed there, and makes
 * its proposal on a worker thread before that thread evaluates it; the engine settles it in
 * proposal order. A program two proposals made at once is evaluated once. Operators that fail
 * {@value #MAX_CONSECUTIVE_FAILURES} times in a row stop the run ({@link StopReason#OPERATORS_FAILED}). Every evaluated candidate is stored in the archive before it is written to the ledger; a
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
    /** Operators that fail this many times in a row (a model that cannot be reached) stop the run. */
    static final int MAX_CONSECUTIVE_FAILURES = 25;
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
    private final Supplier<Optional<String>> spendingLimit;
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
        this.spendingLimit = b.spendingLimit;
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
        private final SplittableRandom random = new SplittableRandom(mix64(seed) ^ mix64(~priorEvaluations));
        private final ParentSelector selector = strategy.selector();
        private final Map<String, Operator> byName = new LinkedHashMap<>();
        private final OperatorBandit bandit;
        private final Map<String, Long> outcomes = new TreeMap<>();
        private final Deque<InFlight> inFlight = new ArrayDeque<>();
        private final Set<ProgramId> inFlightIds = new HashSet<>();
        /** Who evaluates each program in flight: the earliest proposal that made it; shared with worker threads. */
        private final ConcurrentHashMap<ProgramId, Claim> claims = new ConcurrentHashMap<>();
        private long proposals;
        private long sequence;
        private int consecutiveSkips;
        private int consecutiveFailures;
        private String lastFailure = "";
        private String stopDetail = "";
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
                return finish(reason, reason == StopReason.PROTECTED_FILE_CHANGED ? tamperDetail() : stopDetail);
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
                    // asked again before every proposal: a spending cap must not let several more start
                    reason = givenUp();
                    if (reason == null) {
                        reason = stoppedOrSpent();
                    }
                    if (reason != null) {
                        break;
                    }
                    proposeOne(pool);
                }
                if (inFlight.isEmpty()) {
                    return reason == null ? StopReason.EVALUATION_BUDGET : reason;
                }
                InFlight head = inFlight.poll();
                Step step = await(head);
                Optional<Made> made = settle(head, step);
                if (made.isEmpty()) {
                    continue;
                }
                if (tamperedDuring(head, made.get())) {
                    stopAfterTampering(head, made.get());
                    return StopReason.PROTECTED_FILE_CHANGED;
                }
                integrate(head, made.get(), made.get().evaluation());
                if (strategy.islands() > 1 && archive.size() % strategy.migrationInterval() == 0) {
                    migrate();
                }
            }
        }

        /** Whether the operators have stopped making anything worth evaluating. */
        private StopReason givenUp() {
            if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
                stopDetail = consecutiveFailures + " failures in a row; the last: " + lastFailure;
                return StopReason.OPERATORS_FAILED;
            }
            if (consecutiveSkips >= MAX_CONSECUTIVE_SKIPS) {
                return StopReason.EXHAUSTED;
            }
            return null;
        }

        /**
         * Takes the head's result on the engine's thread: lets a deferred proposal's operator settle,
         * records a proposal that came to nothing as skipped, and writes the proposal entry of one
         * made on a worker thread. Empty when there is nothing to integrate.
         */
        private Optional<Made> settle(InFlight head, Step step) {
            if (!head.deferred()) {
                Made m = (Made) step;
                inFlightIds.remove(m.code().id());
                if (archive.contains(m.code().id())) {
                    // a proposal made on a worker thread, started earlier, made the same program
                    claims.computeIfPresent(m.code().id(), (k, c) -> c.seq() == head.seq() ? null : c);
                    skip(head.operator().name(), "duplicate of " + m.code().id().shortHex(), head.parent());
                    return Optional.empty();
                }
                return Optional.of(m);
            }
            try {
                head.settler().settle();
            } catch (RuntimeException e) {
                step = new Step.Failed("operator failed while settling: " + e);
            }
            String opName = head.operator().name();
            switch (step) {
                case Step.Failed f -> {
                    fail(opName, f.reason(), head.parent());
                    return Optional.empty();
                }
                case Step.Nothing n -> {
                    skip(opName, "no applicable edit", head.parent());
                    return Optional.empty();
                }
                case Made m -> {
                    if (m.duplicate() || archive.contains(m.code().id())) {
                        claims.computeIfPresent(m.code().id(), (k, c) -> c.seq() == head.seq() ? null : c);
                        skip(opName, "duplicate of " + m.code().id().shortHex(), head.parent());
                        return Optional.empty();
                    }
                    consecutiveSkips = 0;
                    consecutiveFailures = 0;
                    logProposal(m.code().id(), head, m.description(), m.patch());
                    return Optional.of(m);
                }
            }
        }

        /** A stop request or a spending cap: what comes from outside the run. */
        private StopReason stoppedOrSpent() {
            if (stopRequested.getAsBoolean()) {
                return StopReason.STOPPED;
            }
            Optional<String> spent = spendingLimit.get();
            if (spent.isPresent()) {
                stopDetail = spent.get();
                return StopReason.SPENDING_LIMIT;
            }
            return null;
        }

        private StopReason limitReached() {
            StopReason external = stoppedOrSpent();
            if (external != null) {
                return external;
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
            if (op.slow()) {
                startDeferred(pool, op, parent, inspirations, island);
                return;
            }
            Optional<Proposal> proposal;
            try {
                proposal = op.propose(new ProposalContext(target, parent, inspirations, random));
            } catch (RuntimeException e) {
                fail(opName, "operator failed: " + failure(e), parent);
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
            consecutiveFailures = 0;
            long seq = sequence++;
            String description = proposal.get().description();
            String label = "c" + (archive.size() + inFlight.size() + 1);
            Guard.Verdict verdict = guard.check(parent.code(), child);
            Made known = new Made(child, description, verdict.patch(), null, verdict.passed(), false);
            InFlight f = new InFlight(seq, parent, op, null, known, island, clock.instant(), label, new CompletableFuture<>(), new AtomicBoolean());
            logProposal(id, f, description, verdict.patch());
            if (verdict.refusal().isPresent()) {
                f.step().complete(refused(child, description, verdict));
            } else {
                CompletableFuture<Evaluation> evaluation = new CompletableFuture<>();
                claims.compute(id, (k, old) -> old == null || old.seq() > seq ? new Claim(seq, parent.id(), evaluation) : old);
                work(pool, f, () -> known.evaluated(evaluateClaimed(child, label, parent, evaluation)));
            }
            inFlight.add(f);
            inFlightIds.add(id);
        }

        /**
         * Starts a slow operator's proposal: parent, inspirations and a random stream split from the
         * run's are fixed here, on the engine's thread, so the proposal does not depend on when the
         * worker thread gets to it. The worker makes it, checks it and evaluates it; the engine takes
         * the result in proposal order ({@link #settle}).
         */
        private void startDeferred(ExecutorService pool, Operator op, Candidate parent, List<Candidate> inspirations, int island) {
            Deferred deferred;
            try {
                deferred = op.start(new ProposalContext(target, parent, inspirations, random.split()));
            } catch (RuntimeException e) {
                fail(op.name(), "operator failed: " + failure(e), parent);
                return;
            }
            long seq = sequence++;
            String label = "c" + (archive.size() + inFlight.size() + 1);
            InFlight f = new InFlight(seq, parent, op, deferred, null, island, clock.instant(), label, new CompletableFuture<>(), new AtomicBoolean());
            inFlight.add(f);
            work(pool, f, () -> makeAndEvaluate(f));
        }

        /** Runs {@code work} on a worker thread; whatever happens, {@code f}'s step completes, so the engine never waits forever. */
        private static void work(ExecutorService pool, InFlight f, Supplier<Step> work) {
            pool.execute(() -> {
                try {
                    f.step().complete(work.get());
                } catch (Throwable t) {
                    f.step().completeExceptionally(t);
                }
            });
        }

        /** On a worker thread: makes a deferred proposal, drops it when an earlier proposal claimed its program, guards and evaluates it. */
        private Step makeAndEvaluate(InFlight f) {
            Optional<Proposal> proposal;
            try {
                proposal = Objects.requireNonNull(f.settler().make(), "the operator made null");
            } catch (RuntimeException | Error e) {
                return new Step.Failed("operator failed: " + failure(e));
            }
            if (proposal.isEmpty()) {
                return new Step.Nothing();
            }
            Code child = proposal.get().code();
            String description = proposal.get().description();
            if (archive.contains(child.id())) {
                return new Made(child, description, Patch.empty(), null, false, true);
            }
            Guard.Verdict verdict = guard.check(f.parent().code(), child);
            if (verdict.refusal().isPresent()) {
                return refused(child, description, verdict);
            }
            CompletableFuture<Evaluation> mine = new CompletableFuture<>();
            Claim[] before = new Claim[1];
            claims.compute(child.id(), (k, old) -> {
                before[0] = old;
                if (old != null && old.seq() < f.seq()) {
                    return old;
                }
                boolean borrow = old != null && old.parent().equals(f.parent().id());
                return new Claim(f.seq(), f.parent().id(), borrow ? old.evaluation() : mine);
            });
            Claim old = before[0];
            if (old != null && old.seq() < f.seq()) {
                // a proposal started earlier made it: that one is evaluated
                return new Made(child, description, verdict.patch(), null, false, true);
            }
            if (old != null && old.parent().equals(f.parent().id())) {
                // a proposal started later, from the same parent, is evaluating it: this one takes that evaluation, and that one is the duplicate
                return new Made(child, description, verdict.patch(), borrowed(old.evaluation()), true, false);
            }
            return new Made(child, description, verdict.patch(), evaluateClaimed(child, f.label(), f.parent(), mine), true, false);
        }

        /** Evaluates a claimed program and completes its claim, so a proposal that borrows the evaluation never waits forever. */
        private Evaluation evaluateClaimed(Code child, String label, Candidate parent, CompletableFuture<Evaluation> claim) {
            Evaluation e = null;
            try {
                e = safeEvaluate(child, label, parent);
                return e;
            } finally {
                if (e != null) {
                    claim.complete(e);
                } else {
                    claim.completeExceptionally(new IllegalStateException("the evaluation did not finish"));
                }
            }
        }

        private static Evaluation borrowed(CompletableFuture<Evaluation> evaluation) {
            return waitFor(evaluation, Session::lost);
        }

        private Made refused(Code child, String description, Guard.Verdict verdict) {
            String reason = "guard: " + verdict.refusal().orElseThrow();
            Evaluation refused = Evaluation.failed(new Outcome.Rejected(reason), "refused before it ran: " + verdict.refusal().get(), "guard", Duration.ZERO);
            return new Made(child, description, verdict.patch(), refused, false, false);
        }

        private void logProposal(ProgramId id, InFlight f, String description, Patch patch) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", id.hex());
            entry.put("parent", f.parent().id().hex());
            entry.put("operator", f.operator().name());
            entry.put("description", description);
            entry.put("island", f.island());
            entry.put("patch", patch.text());
            ledger.append("proposal", entry);
        }

        private void skip(String operator, String reason, Candidate parent) {
            consecutiveSkips++;
            consecutiveFailures = 0;
            recordSkip(operator, reason, parent, false);
        }

        /** A proposal that failed (an exception: a model that cannot be reached); too many in a row stop the run. */
        private void fail(String operator, String reason, Candidate parent) {
            consecutiveSkips++;
            consecutiveFailures++;
            lastFailure = operator + ": " + reason;
            recordSkip(operator, reason, parent, true);
        }

        private void recordSkip(String operator, String reason, Candidate parent, boolean failed) {
            bandit.record(operator, false);
            ledger.append("proposal.skipped", Map.of("operator", operator, "parent", parent.id().hex(), "reason", reason));
            listener.on(new EngineEvent.Skipped(operator, reason, failed));
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

        /** The head's result; an interrupted wait is recorded as the evaluation (or proposal) that never finished. */
        private Step await(InFlight f) {
            return waitFor(f.step(), reason -> f.known() == null
                    ? new Step.Failed("operator failed: " + reason)
                    // the proposal was made on the engine's thread: only its evaluation is lost
                    : f.known().evaluated(lost(reason)));
        }

        /** {@code future}'s value; when the wait is interrupted or the work threw, {@code lost} of the reason. */
        private static <T> T waitFor(Future<T> future, Function<String, T> lost) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return lost.apply("interrupted while waiting for the evaluation");
            } catch (ExecutionException e) {
                return lost.apply("evaluator error: " + e.getCause());
            }
        }

        private static Evaluation lost(String reason) {
            return Evaluation.failed(new Outcome.Crashed(-1, reason), "", "", Duration.ZERO);
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
            Made known = new Made(code, "the unmodified target", Patch.empty(), null, true, false);
            InFlight f = new InFlight(sequence++, null, null, null, known, 0, clock.instant(), "seed", new CompletableFuture<>(), new AtomicBoolean());
            work(pool, f, () -> known.evaluated(safeEvaluate(code, "seed", null)));
            Made made = (Made) await(f);
            Evaluation evaluation = made.evaluation();
            if (tamperedDuring(f, made)) {
                evaluation = violation(evaluation, f, List.of());
            }
            Candidate stored = integrate(f, made, evaluation);
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
        private boolean tamperedDuring(InFlight ended, Made made) {
            if (protectedFiles == null || !made.ran()) {
                return false;
            }
            // only what had ended before the check began is covered by it
            List<InFlight> endedBefore = inFlight.stream().filter(other -> other.step().isDone()).toList();
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
        private void stopAfterTampering(InFlight head, Made headMade) {
            List<InFlight> rest = new ArrayList<>(inFlight);
            inFlight.clear();
            List<Step> restSteps = new ArrayList<>();
            for (InFlight f : rest) {
                restSteps.add(await(f));
            }
            List<String> again = protectedFiles.verify();
            java.util.TreeSet<String> all = new java.util.TreeSet<>(tampered);
            all.addAll(again);
            tampered = List.copyOf(all);
            List<InFlight> suspects = new ArrayList<>();
            suspects.add(head);
            for (int i = 0; i < rest.size(); i++) {
                if (restSteps.get(i) instanceof Made m && m.ran() && !rest.get(i).cleared().get()) {
                    suspects.add(rest.get(i));
                }
            }
            integrate(head, headMade, violation(headMade.evaluation(), head, suspects));
            for (int i = 0; i < rest.size(); i++) {
                InFlight f = rest.get(i);
                Optional<Made> made = settle(f, restSteps.get(i));
                if (made.isPresent()) {
                    Evaluation e = made.get().evaluation();
                    integrate(f, made.get(), suspects.contains(f) ? violation(e, f, suspects) : e);
                }
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

        private Candidate integrate(InFlight f, Made made, Evaluation raw) {
            Evaluation evaluation = sanity.check(raw);
            double fitness = target.objective().fitness(evaluation);
            String cell = Features.cell(target.features(), made.code(), evaluation);
            List<ProgramId> parents = f.parent() == null ? List.of() : List.of(f.parent().id());
            int generation = f.parent() == null ? 0 : f.parent().generation() + 1;
            String opName = f.operator() == null ? "seed" : f.operator().name();
            Candidate candidate = new Candidate(0, made.code().id(), made.code(), parents, opName, made.description(), made.patch(),
                    evaluation, fitness, f.island(), cell, generation, f.proposedAt());
            Admission admission = archive.add(candidate);
            Candidate stored = admission.candidate();
            // from now on the archive answers for this program
            claims.remove(stored.id());
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

    /** An operator's failure for the ledger: its message, after the exception's simple name. */
    static String failure(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + message;
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
     * A proposal whose evaluation (and, for a slow operator, whose making) is under way, in the
     * order proposals were started. {@code known} is the proposal when it was made on the engine's
     * thread (null for a deferred one, whose {@code settler} makes it on a worker thread);
     * {@code cleared} turns true once a check of the protected files after its evaluation ended
     * found nothing changed.
     */
    private record InFlight(long seq, Candidate parent, Operator operator, Deferred settler, Made known, int island, Instant proposedAt,
                            String label, CompletableFuture<Step> step, AtomicBoolean cleared) {
        boolean deferred() {
            return settler != null;
        }
    }

    /**
     * The proposal that evaluates a program in flight: the one started first among those that made
     * it ({@code seq}), from {@code parent}, with its {@code evaluation} to come. A stored program
     * has no claim; worker threads ask the archive.
     */
    private record Claim(long seq, ProgramId parent, CompletableFuture<Evaluation> evaluation) {}

    /** What became of a proposal in flight. */
    private sealed interface Step {
        /** Making the proposal failed. */
        record Failed(String reason) implements Step {}

        /** The operator had nothing to offer. */
        record Nothing() implements Step {}
    }

    /**
     * A proposal that was made: its evaluation ({@code null} until there is one); {@code ran} is
     * false when the guard refused it; {@code duplicate} when an earlier proposal made the same
     * program, so it was not evaluated.
     */
    private record Made(Code code, String description, Patch patch, Evaluation evaluation, boolean ran, boolean duplicate) implements Step {
        Made evaluated(Evaluation e) {
            return new Made(code, description, patch, e, ran, duplicate);
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
        private Supplier<Optional<String>> spendingLimit = Optional::empty;
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

        /**
         * A spending cap polled between steps (a model budget): when it gives a reason, the run
         * stops after its evaluations in flight with {@link StopReason#SPENDING_LIMIT} and that reason as detail.
         */
        public Builder spendingLimit(Supplier<Optional<String>> reached) {
            this.spendingLimit = Objects.requireNonNull(reached, "spending limit");
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
