package dev.kaizen.core.engine;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Evaluator;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Feature;
import dev.kaizen.core.target.Objective;
import dev.kaizen.core.target.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small target for engine tests: a program of assignments {@code x = 0.1} whose score is
 * {@code -sum((x_i - 0.7)^2)}, evaluated in process. A line that does not parse makes the program
 * incorrect; the evaluator counts what it saw so tests can check the engine's bookkeeping.
 */
final class QuadraticTarget implements Evaluator {

    static final String SEED = """
            a = 0.1
            b = 0.2
            c = 1.5
            d = 0.9
            """;

    private static final Pattern ASSIGN = Pattern.compile("\\s*([a-z]+) = \\(?(-?[0-9.eE+-]+)\\)?\\s*");

    final AtomicInteger calls = new AtomicInteger();
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final AtomicInteger duplicates = new AtomicInteger();
    volatile boolean failSeed;
    volatile RuntimeException throwOn;

    static Target target() {
        Blueprint bp = new Blueprint(List.of(Blueprint.parse("values.txt", "# EVOLVE-BLOCK-START\n" + SEED + "# EVOLVE-BLOCK-END\n")));
        return new Target("quadratic", "", Path.of("."), bp, Objective.maximize("score"), List.of(new Feature("lines", 0, 10, 10)));
    }

    @Override
    public Evaluation evaluate(Code code, String label) {
        calls.incrementAndGet();
        if (!seen.add(code.id().hex())) {
            duplicates.incrementAndGet();
        }
        if (throwOn != null && !label.equals("seed")) {
            throw throwOn;
        }
        String text = code.regions().values().iterator().next();
        if (failSeed) {
            return Evaluation.failed(new Outcome.Incorrect("seed is broken on purpose"), "broken", "evaluate", Duration.ZERO);
        }
        List<Double> values = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = ASSIGN.matcher(line);
            if (!m.matches()) {
                return Evaluation.failed(new Outcome.Incorrect("cannot parse: " + line), "", "evaluate", Duration.ZERO);
            }
            values.add(Double.parseDouble(m.group(2)));
        }
        if (values.size() != 4) {
            return Evaluation.failed(new Outcome.Incorrect("expected 4 values, got " + values.size()), "", "evaluate", Duration.ZERO);
        }
        double score = 0;
        for (double v : values) {
            score -= (v - 0.7) * (v - 0.7);
        }
        return Evaluation.passed(Map.of("score", score), "", "evaluate", Duration.ofMillis(1));
    }

    @Override
    public String describe() {
        return "quadratic (in process)";
    }
}
