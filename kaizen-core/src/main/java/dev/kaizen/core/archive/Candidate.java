package dev.kaizen.core.archive;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.program.ProgramId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An evaluated program as the archive keeps it: its code, where it came from (parents, the operator
 * and the patch that made it), how it did, and where it lives (island, MAP-Elites cell).
 * {@code seq} is its 1-based position in evaluation order, assigned by the archive (0 before).
 * {@code fitness} is larger-is-better and NaN for anything that did not pass or is infeasible.
 */
public record Candidate(
        long seq,
        ProgramId id,
        Code code,
        List<ProgramId> parents,
        String operator,
        String description,
        Patch patch,
        Evaluation evaluation,
        double fitness,
        int island,
        String cell,
        int generation,
        Instant createdAt) {

    public Candidate {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0, got " + seq);
        }
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(code, "code");
        parents = List.copyOf(parents);
        Objects.requireNonNull(operator, "operator");
        description = description == null ? "" : description;
        Objects.requireNonNull(patch, "patch");
        Objects.requireNonNull(evaluation, "evaluation");
        if (island < 0) {
            throw new IllegalArgumentException("island must be >= 0, got " + island);
        }
        Objects.requireNonNull(cell, "cell");
        if (generation < 0) {
            throw new IllegalArgumentException("generation must be >= 0, got " + generation);
        }
        Objects.requireNonNull(createdAt, "createdAt");
        if (!code.id().equals(id)) {
            throw new IllegalArgumentException("candidate id " + id.shortHex() + " does not match its code (" + code.id().shortHex() + ")");
        }
    }

    /** Whether this candidate may compete for a place: it passed and is feasible. */
    public boolean feasible() {
        return !Double.isNaN(fitness);
    }

    public Candidate withSeq(long newSeq) {
        return new Candidate(newSeq, id, code, parents, operator, description, patch, evaluation, fitness, island, cell, generation, createdAt);
    }

    public Candidate withIsland(int newIsland) {
        return new Candidate(seq, id, code, parents, operator, description, patch, evaluation, fitness, newIsland, cell, generation, createdAt);
    }
}
