package dev.kaizen.cli;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.engine.EngineEvent;
import dev.kaizen.core.engine.EngineListener;
import dev.kaizen.core.engine.Limits;
import dev.kaizen.core.target.Objective;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows a run's progress: on a terminal, one line redrawn in place (evaluations, best score, rate,
 * ETA, budget left); elsewhere a line every few seconds. New bests are always printed on their own
 * line, with the operator that found them. An operator's first failure to make a proposal (a model
 * that cannot be reached) is printed when it happens, and how often each failed at the end.
 */
final class Progress implements EngineListener {

    private final PrintStream out;
    private final Objective objective;
    private final boolean tty;
    private final long intervalNanos;
    private Limits limits;
    private long startEvaluations;
    private long startNanos = System.nanoTime();
    private long lastPrint;
    private double seedScore = Double.NaN;
    private boolean lineOpen;
    private final java.util.Map<String, Integer> failures = new java.util.TreeMap<>();
    private final java.util.Map<String, String> lastFailure = new java.util.HashMap<>();

    Progress(PrintStream out, Objective objective, boolean tty) {
        this.out = out;
        this.objective = objective;
        this.tty = tty;
        this.intervalNanos = tty ? 200_000_000L : 5_000_000_000L;
    }

    @Override
    public void on(EngineEvent event) {
        switch (event) {
            case EngineEvent.Started s -> {
                limits = s.limits();
                startEvaluations = s.evaluations();
                startNanos = System.nanoTime();
                println(s.resumed() ? "resuming with " + s.evaluations() + " evaluations done" : "starting: evaluating the seed");
            }
            case EngineEvent.Evaluated e -> {
                Candidate c = e.candidate();
                if (c.operator().equals("seed")) {
                    seedScore = c.feasible() ? objective.score(c.evaluation()) : Double.NaN;
                    println(c.feasible() ? "seed score " + fmt(seedScore) : "seed " + c.evaluation().outcome().kind() + ": " + c.evaluation().outcome().reason());
                } else if (e.newBest()) {
                    println(String.format(Locale.ROOT, "#%d new best %s by %s (%s)", c.seq(), fmt(objective.score(c.evaluation())), c.operator(), abbreviate(c.description(), 70)));
                }
                long now = System.nanoTime();
                if (now - lastPrint >= intervalNanos) {
                    lastPrint = now;
                    status(e);
                }
            }
            case EngineEvent.Skipped s when s.failed() -> {
                if (failures.merge(s.operator(), 1, Integer::sum) == 1) {
                    println(s.operator() + " failed to make a proposal: " + abbreviate(s.reason(), 300) + " (further failures are counted at the end)");
                }
                lastFailure.put(s.operator(), s.reason());
            }
            case EngineEvent.Finished f -> {
                if (lineOpen) {
                    out.println();
                    lineOpen = false;
                }
                failures.forEach((op, n) -> out.println(op + " failed to make " + n + (n == 1 ? " proposal" : " proposals")
                        + "; the last: " + abbreviate(lastFailure.get(op), 300)));
            }
            default -> {}
        }
    }

    private void status(EngineEvent.Evaluated e) {
        double secs = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        long done = e.evaluations() - startEvaluations;
        double rate = done / secs;
        long left = limits.evaluations() - e.evaluations();
        Duration timeLeft = limits.time().minus(e.elapsed());
        double etaSecs = rate > 0 ? left / rate : Double.POSITIVE_INFINITY;
        if (timeLeft.toSeconds() < etaSecs) {
            etaSecs = Math.max(0, timeLeft.toMillis() / 1000.0);
        }
        String best = e.best().map(b -> fmt(objective.score(b.evaluation()))).orElse("-");
        String gain = e.best().isPresent() && !Double.isNaN(seedScore)
                ? String.format(Locale.ROOT, " (%+.4g)", objective.score(e.best().get().evaluation()) - seedScore) : "";
        int width = 20;
        int filled = (int) Math.min(width, Math.round(width * (double) e.evaluations() / limits.evaluations()));
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String budget = timeLeft.toDays() > 365 ? left + " evals left" : left + " evals / " + human(timeLeft) + " left";
        String line = String.format(Locale.ROOT, "[%s] %d/%d | best %s%s | %.1f eval/s | ETA %s | %s",
                bar, e.evaluations(), limits.evaluations(), best, gain, rate, human(Duration.ofMillis((long) Math.min(etaSecs * 1000, 1e12))), budget);
        if (tty) {
            out.print("\r\033[K" + line);
            lineOpen = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void println(String text) {
        if (lineOpen) {
            out.print("\r\033[K");
            lineOpen = false;
        }
        out.println(text);
        out.flush();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    static String human(Duration d) {
        if (d.isNegative()) {
            return "0s";
        }
        long s = d.toSeconds();
        if (s >= 3600) {
            return (s / 3600) + "h" + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
        }
        if (s >= 60) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02ds", s % 60);
        }
        return s + "s";
    }

    static String abbreviate(String s, int max) {
        String one = s.replace('\n', ' ');
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }
}
