package dev.kaizen.core.archive;

import dev.kaizen.core.program.ProgramId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An archive held in memory only: for tests, baselines and throw-away runs. Thread-safe. */
public final class MemoryArchive implements Archive {

    private final EliteGrid grid;
    private final List<Candidate> history = new ArrayList<>();
    private final Map<ProgramId, Candidate> byId = new HashMap<>();
    private final Map<String, String> meta = new HashMap<>();

    public MemoryArchive(int islands) {
        this.grid = new EliteGrid(islands);
    }

    @Override
    public synchronized Admission add(Candidate candidate) {
        if (byId.containsKey(candidate.id())) {
            throw new IllegalStateException("program " + candidate.id().shortHex() + " is already stored");
        }
        Candidate stored = candidate.withSeq(history.size() + 1L);
        boolean newBest = grid.wouldBeBest(stored);
        boolean elite = grid.offer(stored, stored.island());
        history.add(stored);
        byId.put(stored.id(), stored);
        return new Admission(stored, elite, newBest && elite);
    }

    @Override
    public synchronized boolean place(ProgramId id, int island) {
        Candidate c = byId.get(id);
        if (c == null) {
            throw new IllegalArgumentException("program " + id.shortHex() + " is not stored");
        }
        return grid.offer(c, island);
    }

    @Override
    public synchronized boolean contains(ProgramId id) {
        return byId.containsKey(id);
    }

    @Override
    public synchronized Optional<Candidate> find(ProgramId id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized List<Candidate> elites(int island) {
        return grid.elites(island);
    }

    @Override
    public synchronized Optional<Candidate> best() {
        return grid.best();
    }

    @Override
    public synchronized long size() {
        return history.size();
    }

    @Override
    public int islands() {
        return grid.islands();
    }

    @Override
    public synchronized List<Candidate> history(long afterSeq, int limit) {
        int from = (int) Math.min(Math.max(afterSeq, 0), history.size());
        return List.copyOf(history.subList(from, Math.min(history.size(), from + Math.max(0, limit))));
    }

    @Override
    public synchronized void putMeta(String key, String value) {
        meta.put(java.util.Objects.requireNonNull(key, "key"), java.util.Objects.requireNonNull(value, "value"));
    }

    @Override
    public synchronized Optional<String> meta(String key) {
        return Optional.ofNullable(meta.get(key));
    }

    @Override
    public void close() {}
}
