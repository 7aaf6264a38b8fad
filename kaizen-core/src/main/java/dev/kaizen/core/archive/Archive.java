package dev.kaizen.core.archive;

import dev.kaizen.core.program.ProgramId;
import java.util.List;
import java.util.Optional;

/**
 * The program database: every evaluated candidate (failures too), and per island a MAP-Elites grid
 * holding the best feasible candidate of each cell. Invariants every implementation keeps: a
 * program is stored at most once; a cell's elite is only replaced by a strictly fitter candidate;
 * hence the best candidate ever seen is never lost. Implementations are safe to use from several
 * threads: the engine's worker threads ask whether a program is stored.
 */
public interface Archive extends AutoCloseable {

    /** Stores an evaluated candidate and offers it to its island's cell. Fails if its id is already stored. */
    Admission add(Candidate candidate);

    /** Offers an already stored candidate to another island's grid (migration); true if it took the cell. */
    boolean place(ProgramId id, int island);

    boolean contains(ProgramId id);

    Optional<Candidate> find(ProgramId id);

    /** The elites of one island, fittest first (ties: earlier first). */
    List<Candidate> elites(int island);

    /** The fittest feasible candidate over all islands. */
    Optional<Candidate> best();

    /** Number of stored candidates. */
    long size();

    /** Number of islands. */
    int islands();

    /** Stored candidates with {@code seq > afterSeq}, in sequence order, at most {@code limit}. */
    List<Candidate> history(long afterSeq, int limit);

    /** Run-level state kept with the archive (elapsed time, the ledger's head, strategy state); neither may be null. */
    void putMeta(String key, String value);

    Optional<String> meta(String key);

    @Override
    void close();
}
