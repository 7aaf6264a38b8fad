package dev.kaizen.cli;

import dev.kaizen.core.archive.Candidate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts over a run's whole history, in one pass: outcomes, and per operator how many children it
 * proposed, how many passed, and how many beat their parent (the bandit's notion of a win).
 */
final class Tally {

    /** One operator's counts. */
    static final class OperatorCounts {
        long proposed;
        long passed;
        long improved;
    }

    final Map<String, Long> outcomes = new TreeMap<>();
    final Map<String, OperatorCounts> operators = new TreeMap<>();
    long candidates;
    private final Map<String, Double> fitnessById = new HashMap<>();

    static Tally of(Inspect.Opened run) {
        Tally t = new Tally();
        run.forEach(t::add);
        return t;
    }

    private void add(Candidate c) {
        candidates++;
        outcomes.merge(c.evaluation().outcome().kind(), 1L, Long::sum);
        fitnessById.put(c.id().hex(), c.fitness());
        List<dev.kaizen.core.program.ProgramId> parents = c.parents();
        if (parents.isEmpty()) {
            return;
        }
        OperatorCounts counts = operators.computeIfAbsent(c.operator(), k -> new OperatorCounts());
        counts.proposed++;
        if (c.evaluation().passed()) {
            counts.passed++;
        }
        Double parentFitness = fitnessById.get(parents.get(0).hex());
        if (c.feasible() && (parentFitness == null || Double.isNaN(parentFitness) || c.fitness() > parentFitness)) {
            counts.improved++;
        }
    }
}
