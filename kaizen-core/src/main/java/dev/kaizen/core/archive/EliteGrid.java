package dev.kaizen.core.archive;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory MAP-Elites state shared by archive implementations: per island, the elite of each
 * cell. Not thread-safe; archives guard it.
 */
public final class EliteGrid {

    /** Fittest first; among equals, the earlier candidate. */
    public static final Comparator<Candidate> FITTEST_FIRST =
            Comparator.comparingDouble(Candidate::fitness).reversed().thenComparingLong(Candidate::seq);

    private final List<Map<String, Candidate>> islands;
    private Candidate best;

    public EliteGrid(int islands) {
        if (islands < 1) {
            throw new IllegalArgumentException("need at least one island, got " + islands);
        }
        this.islands = new ArrayList<>();
        for (int i = 0; i < islands; i++) {
            this.islands.add(new HashMap<>());
        }
    }

    public int islands() {
        return islands.size();
    }

    /** Whether {@code candidate} would take its cell on {@code island}. */
    public boolean wouldTake(Candidate candidate, int island) {
        Map<String, Candidate> cells = islands.get(check(island));
        if (!candidate.feasible()) {
            return false;
        }
        Candidate incumbent = cells.get(candidate.cell());
        return incumbent == null || candidate.fitness() > incumbent.fitness();
    }

    /** Puts {@code candidate} into its cell on {@code island} if it is fitter; true if it did. */
    public boolean offer(Candidate candidate, int island) {
        if (!wouldTake(candidate, island)) {
            return false;
        }
        islands.get(island).put(candidate.cell(), candidate.withIsland(island));
        if (best == null || candidate.fitness() > best.fitness()) {
            best = candidate;
        }
        return true;
    }

    /** Whether {@code candidate} would be the new overall best. */
    public boolean wouldBeBest(Candidate candidate) {
        return candidate.feasible() && (best == null || candidate.fitness() > best.fitness());
    }

    public List<Candidate> elites(int island) {
        List<Candidate> list = new ArrayList<>(islands.get(check(island)).values());
        list.sort(FITTEST_FIRST);
        return list;
    }

    public Map<String, Candidate> cells(int island) {
        return Map.copyOf(islands.get(check(island)));
    }

    public Optional<Candidate> best() {
        return Optional.ofNullable(best);
    }

    private int check(int island) {
        if (island < 0 || island >= islands.size()) {
            throw new IllegalArgumentException("island " + island + " does not exist (islands: " + islands.size() + ")");
        }
        return island;
    }
}
