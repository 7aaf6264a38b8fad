package dev.kaizen.eval;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Evaluator;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Direction;
import dev.kaizen.core.target.Objective;
import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.sandbox.SandboxLimits;
import dev.kaizen.sandbox.SandboxSpec;
import dev.kaizen.sandbox.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The language-agnostic evaluator: materialises each candidate in a fresh copy of the target and
 * runs a cascade of shell commands there, cheapest first, stopping at the first stage that does
 * not pass. Each stage reports a JSON object (see {@code docs/evaluators.md}) through the file
 * named by {@code $KAIZEN_RESULT} or as the last JSON line of its stdout.
 *
 * <p>Every stage runs inside the given {@link Sandbox}, which sees only the candidate's copy
 * (writable) and the system directories (read-only), under {@link SandboxLimits}. A stage that
 * runs into a limit ends as {@link Outcome.LimitExceeded}; one that changes a protected file of the
 * target (see {@link WorkGuard}) as {@link Outcome.Violation}.
 *
 * <p>Anything the candidate does becomes an {@link Outcome}; only infrastructure failures (the
 * work directory cannot be created, the target cannot be copied, the shell is missing, the sandbox
 * cannot be set up) throw an {@link EvaluatorException}. Safe to use from many threads at once:
 * its only mutable state is two counters. It does not own the sandbox: close that separately.
 */
public final class CommandEvaluator implements Evaluator {

    /** Variable naming the file a stage may write its JSON result to. */
    public static final String RESULT_VARIABLE = "KAIZEN_RESULT";
    /** Variable holding the name of the running stage. */
    public static final String STAGE_VARIABLE = "KAIZEN_STAGE";
    /** Variable holding the candidate's label. */
    public static final String CANDIDATE_VARIABLE = "KAIZEN_CANDIDATE";
    /** The metric a result's top-level {@code score} becomes. */
    public static final String SCORE = "score";

    /** How much of the end of stderr failure feedback keeps. */
    static final int STDERR_FEEDBACK_CHARS = 4096;
    /** How much of one stage's own feedback text is kept. */
    static final int EVALUATOR_FEEDBACK_CHARS = 16 * 1024;
    /** How much of stderr a crash's one-line reason quotes. */
    private static final int REASON_CHARS = 300;

    private final Blueprint blueprint;
    private final List<CommandStage> stages;
    private final Objective objective;
    private final Workspace workspace;
    private final ShellRunner shell;
    private final Sandbox sandbox;
    private final SandboxLimits limits;
    private final ProtectedFiles protectedFiles;
    private final AtomicLong evaluations = new AtomicLong();
    private final AtomicLong cleanupFailures = new AtomicLong();

    /**
     * An evaluator that copies {@code targetRoot} (less {@code exclude}) into a fresh directory under
     * {@code workRoot} for each candidate, writes the candidate's code there with {@code blueprint},
     * and runs {@code stages} in order, each confined by {@code sandbox} under {@code limits}.
     * Every file of the target but the evolvable ones is protected as {@code guard} says; their
     * digests are taken here, once.
     *
     * @param exclude paths relative to the target not to copy (a directory excludes what is below
     *                it; entries with glob characters are globs); {@code .git} and {@code .kaizen}
     *                are never copied
     * @throws IllegalArgumentException when the target root is not a directory, there is no stage,
     *                                  stage names repeat, or an exclude entry leaves the target
     * @throws EvaluatorException       when a file of the target cannot be read
     */
    public CommandEvaluator(Blueprint blueprint, Path targetRoot, List<CommandStage> stages, Objective objective,
            Path workRoot, List<String> exclude, Sandbox sandbox, SandboxLimits limits, WorkGuard guard) {
        this(blueprint, targetRoot, stages, objective, workRoot, exclude, sandbox, limits, guard, ShellRunner.detect());
    }

    CommandEvaluator(Blueprint blueprint, Path targetRoot, List<CommandStage> stages, Objective objective,
            Path workRoot, List<String> exclude, Sandbox sandbox, SandboxLimits limits, WorkGuard guard, ShellRunner shell) {
        this.blueprint = Objects.requireNonNull(blueprint, "blueprint");
        Objects.requireNonNull(targetRoot, "targetRoot");
        if (!Files.isDirectory(targetRoot)) {
            throw new IllegalArgumentException("the target root " + targetRoot + " is not a directory");
        }
        this.stages = List.copyOf(stages);
        CommandStage.checkUnique(this.stages);
        this.objective = Objects.requireNonNull(objective, "objective");
        this.workspace = new Workspace(targetRoot, Objects.requireNonNull(workRoot, "workRoot"), List.copyOf(exclude));
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        this.limits = Objects.requireNonNull(limits, "limits");
        Set<String> evolvable = blueprint.files().stream()
                .map(f -> Path.of(f.path()).normalize().toString().replace('\\', '/')).collect(Collectors.toSet());
        this.protectedFiles = ProtectedFiles.of(workspace, evolvable, Objects.requireNonNull(guard, "guard"));
        this.shell = Objects.requireNonNull(shell, "shell");
    }

    /**
     * An evaluator that copies {@code targetRoot} (less {@code exclude}) into a fresh directory under
     * {@code workRoot} for each candidate, writes the candidate's code there with {@code blueprint},
     * and runs {@code stages} in order, each confined by {@code sandbox} under {@code limits}, with
     * every file of the target but the evolvable ones protected ({@link WorkGuard#strict()}).
     *
     * @param exclude paths relative to the target not to copy (a directory excludes what is below
     *                it; entries with glob characters are globs); {@code .git} and {@code .kaizen}
     *                are never copied
     * @throws IllegalArgumentException when the target root is not a directory, there is no stage,
     *                                  stage names repeat, or an exclude entry leaves the target
     */
    public static CommandEvaluator of(Blueprint blueprint, Path targetRoot, List<CommandStage> stages,
            Objective objective, Path workRoot, List<String> exclude, Sandbox sandbox, SandboxLimits limits) {
        return of(blueprint, targetRoot, stages, objective, workRoot, exclude, sandbox, limits, WorkGuard.strict());
    }

    /** As {@link #of(Blueprint, Path, List, Objective, Path, List, Sandbox, SandboxLimits)}, with the protected files as {@code guard} says. */
    public static CommandEvaluator of(Blueprint blueprint, Path targetRoot, List<CommandStage> stages,
            Objective objective, Path workRoot, List<String> exclude, Sandbox sandbox, SandboxLimits limits, WorkGuard guard) {
        return new CommandEvaluator(blueprint, targetRoot, stages, objective, workRoot, exclude, sandbox, limits, guard);
    }

    @Override
    public Evaluation evaluate(Code code, String label) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(label, "label");
        long start = System.nanoTime();
        evaluations.incrementAndGet();
        Path dir = workspace.create(label);
        try {
            workspace.copyTarget(dir);
            try {
                blueprint.writeTo(code, dir);
            } catch (UncheckedIOException e) {
                throw new EvaluatorException("cannot write the candidate's files into " + dir + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                return Evaluation.failed(new Outcome.Rejected("the code does not fit the target's evolvable files: " + e.getMessage()),
                        "", "", since(start));
            }
            Path results = dir.resolve(".kaizen");
            try {
                Files.createDirectories(results);
            } catch (IOException e) {
                throw new EvaluatorException("cannot create " + results + ": " + e, e);
            }
            DiskWatch disk;
            try {
                disk = new DiskWatch(dir, limits.fileBytes());
            } catch (IOException e) {
                throw new EvaluatorException("cannot measure " + dir + ": " + e, e);
            }
            return cascade(dir, results, label, start, disk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvaluatorException("interrupted while evaluating " + label + " in " + dir, e);
        } finally {
            if (!Trees.delete(dir)) {
                cleanupFailures.incrementAndGet();
            }
        }
    }

    private Evaluation cascade(Path dir, Path results, String label, long start, DiskWatch disk) throws InterruptedException {
        SandboxSpec spec = new SandboxSpec(dir, List.of(), protectedFiles.readOnlyIn(dir), limits);
        Map<String, Double> merged = new TreeMap<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            CommandStage stage = stages.get(i);
            boolean last = i == stages.size() - 1;
            Path resultFile = results.resolve("result-" + (i + 1) + ".json");
            Map<String, String> env = new HashMap<>(stage.env());
            env.put(RESULT_VARIABLE, resultFile.toAbsolutePath().toString());
            env.put(STAGE_VARIABLE, stage.name());
            env.put(CANDIDATE_VARIABLE, label);
            env.put("HOME", dir.toAbsolutePath().toString());
            ShellRunner.Run run = shell.run(sandbox, stage.command(), spec, env, stage.timeout(), stage.outputLimit(),
                    "kaizen-eval-" + Workspace.safe(label) + "-" + stage.name(), disk);
            Verdict verdict = guarded(stage, run, disk, dir)
                    .orElseGet(() -> judge(stage, last, run, resultFile, dir.relativize(resultFile).toString()));
            switch (verdict) {
                case Verdict.Pass pass -> {
                    merged.putAll(pass.metrics());
                    note(notes, stage, pass.feedback());
                }
                case Verdict.Fail fail -> {
                    note(notes, stage, fail.feedback());
                    String stderr = tail(run.stderr().text(), STDERR_FEEDBACK_CHARS);
                    if (!stderr.isBlank()) {
                        notes.add("stderr of stage " + stage.name() + " (last lines):\n" + stderr);
                    }
                    return Evaluation.failed(fail.outcome(), String.join("\n", notes), stage.name(), since(start));
                }
            }
        }
        String lastStage = stages.getLast().name();
        if (!merged.containsKey(objective.primary())) {
            return Evaluation.failed(new Outcome.Invalid("missing primary metric '" + objective.primary()
                            + "' (reported: " + (merged.isEmpty() ? "none" : String.join(", ", merged.keySet())) + ")"),
                    String.join("\n", notes), lastStage, since(start));
        }
        return Evaluation.passed(merged, String.join("\n", notes), lastStage, since(start));
    }

    /** How one stage ended. */
    private sealed interface Verdict {
        record Pass(Map<String, Double> metrics, String feedback) implements Verdict {}

        record Fail(Outcome outcome, String feedback) implements Verdict {}
    }

    /**
     * What the stage broke, whatever it reported: a protected file (checked after every stage), the
     * work directory's size, the time limit, a sandbox limit; empty when none.
     */
    private Optional<Verdict> guarded(CommandStage stage, ShellRunner.Run run, DiskWatch disk, Path dir) {
        String prefix = prefix(stage);
        Optional<String> violation = protectedFiles.check(dir);
        if (violation.isPresent()) {
            return Optional.of(new Verdict.Fail(new Outcome.Violation(prefix + violation.get()), ""));
        }
        if (run.diskExceeded() || disk.measure() > disk.limit()) {
            return Optional.of(new Verdict.Fail(new Outcome.LimitExceeded(prefix + "disk limit: wrote more than "
                    + mib(disk.limit()) + " to the work directory"), ""));
        }
        if (run.timedOut()) {
            return Optional.of(new Verdict.Fail(new Outcome.TimedOut(stage.timeout()), ""));
        }
        return run.breach().map(b -> new Verdict.Fail(new Outcome.LimitExceeded(prefix + b.describe()), ""));
    }

    private String prefix(CommandStage stage) {
        return stages.size() > 1 ? "stage " + stage.name() + ": " : "";
    }

    private static String mib(long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    private Verdict judge(CommandStage stage, boolean last, ShellRunner.Run run, Path resultFile, String shownFile) {
        String prefix = prefix(stage);
        StageResult result = StageResult.read(resultFile, shownFile, run.stdout());
        if (run.exitCode() != 0) {
            if (result instanceof StageResult.Report r && !r.correct()) {
                return incorrect(prefix, r);
            }
            String feedback = result instanceof StageResult.Report r ? r.feedback() : "";
            String hint = run.exitCode() == 127 && sandbox.isolation().sandboxed()
                    ? " (127: a command was not found; inside the sandbox only the system directories are visible, see docs/evaluators.md#sandbox)"
                    : "";
            return new Verdict.Fail(new Outcome.Crashed(run.exitCode(),
                    prefix + "exited with code " + run.exitCode() + hint + stderrSummary(run.stderr().text())), feedback);
        }
        return switch (result) {
            case StageResult.Absent absent -> last || stage.minScore().isPresent()
                    ? new Verdict.Fail(new Outcome.Malformed(prefix + absent.why()), "")
                    : new Verdict.Pass(Map.of(), "");
            case StageResult.Invalid invalid -> new Verdict.Fail(new Outcome.Malformed(prefix + invalid.reason()), "");
            case StageResult.Report r when !r.correct() -> incorrect(prefix, r);
            case StageResult.Report r -> checked(stage, prefix, r);
        };
    }

    private static Verdict incorrect(String prefix, StageResult.Report r) {
        String reason = r.feedback().isBlank() ? "evaluator reported correct: false" : oneLine(r.feedback(), REASON_CHARS);
        return new Verdict.Fail(new Outcome.Incorrect(prefix + reason), r.feedback());
    }

    private Verdict checked(CommandStage stage, String prefix, StageResult.Report r) {
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
            if (!Double.isFinite(m.getValue())) {
                return new Verdict.Fail(new Outcome.Invalid(prefix + "metric '" + m.getKey() + "' is " + m.getValue()
                        + " in the result from " + r.source() + "; metrics must be finite numbers"), r.feedback());
            }
        }
        if (stage.minScore().isPresent()) {
            double min = stage.minScore().getAsDouble();
            String metric = objective.primary();
            Double value = r.metrics().get(metric);
            if (value == null) {
                return new Verdict.Fail(new Outcome.Invalid(prefix + "the stage has a minimum score but its result from "
                        + r.source() + " has no '" + metric + "'"), r.feedback());
            }
            boolean maximize = objective.direction() == Direction.MAXIMIZE;
            if (maximize ? value < min : value > min) {
                return new Verdict.Fail(new Outcome.Incorrect("stage " + stage.name() + ": " + metric + " " + number(value)
                        + (maximize ? " below" : " above") + " the required " + number(min)), r.feedback());
            }
        }
        return new Verdict.Pass(r.metrics(), r.feedback());
    }

    private void note(List<String> notes, CommandStage stage, String feedback) {
        if (feedback.isBlank()) {
            return;
        }
        String text = feedback.length() > EVALUATOR_FEEDBACK_CHARS
                ? feedback.substring(0, EVALUATOR_FEEDBACK_CHARS) + "\n[... feedback cut at " + EVALUATOR_FEEDBACK_CHARS + " characters]"
                : feedback;
        notes.add(stages.size() > 1 ? "[" + stage.name() + "] " + text : text);
    }

    /** ": last | lines | of stderr", bounded, or a note that stderr was empty. */
    private static String stderrSummary(String stderr) {
        List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return " (no output on stderr)";
        }
        List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
        String text = String.join(" | ", last);
        return ": " + (text.length() > REASON_CHARS ? "..." + text.substring(text.length() - REASON_CHARS) : text);
    }

    /** The end of {@code text}, at most {@code max} characters, starting at a line where possible. */
    static String tail(String text, int max) {
        String t = text.stripTrailing();
        if (t.length() <= max) {
            return t;
        }
        String cut = t.substring(t.length() - max);
        int newline = cut.indexOf('\n');
        return "[...]\n" + (newline >= 0 && newline < cut.length() - 1 ? cut.substring(newline + 1) : cut);
    }

    private static String oneLine(String text, int max) {
        String line = text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining(" | "));
        return line.length() <= max ? line : line.substring(0, max) + "...";
    }

    /** A number as people write it: 3 rather than 3.0. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** E.g. {@code command: python3 evaluate.py (timeout 30s)}, or the cascade stage by stage. */
    @Override
    public String describe() {
        if (stages.size() == 1) {
            return "command: " + describe(stages.getFirst());
        }
        return "command cascade: " + stages.stream().map(s -> s.name() + ": " + describe(s)).collect(Collectors.joining(" -> "));
    }

    /** The sandbox the stages run in. */
    public Sandbox sandbox() {
        return sandbox;
    }

    /** The limits each stage runs under. */
    public SandboxLimits limits() {
        return limits;
    }

    private String describe(CommandStage stage) {
        StringBuilder b = new StringBuilder(stage.command().strip().replaceAll("\\s*\\R\\s*", "; ")).append(" (timeout ").append(duration(stage.timeout()));
        stage.minScore().ifPresent(min -> b.append(", ").append(objective.primary())
                .append(objective.direction() == Direction.MAXIMIZE ? " >= " : " <= ").append(number(min)));
        return b.append(')').toString();
    }

    private static String duration(Duration d) {
        long millis = d.toMillis();
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis < 1000 ? millis + "ms" : number(millis / 1000.0) + "s";
    }

    /** The stages, in the order they run. */
    public List<CommandStage> stages() {
        return stages;
    }

    /** How many evaluations were started. */
    public long evaluations() {
        return evaluations.get();
    }

    /** How many work directories could not be removed completely (a candidate's file kept busy or locked). */
    public long cleanupFailures() {
        return cleanupFailures.get();
    }
}
