package dev.kaizen.core.engine;

import dev.kaizen.core.archive.Candidate;
import java.util.Optional;

/** What the engine tells its listeners; the core logs nothing itself. */
public sealed interface EngineEvent {

    /** The run (re)started with {@code evaluations} already done. */
    record Started(boolean resumed, long evaluations, Limits limits) implements EngineEvent {}

    /** A candidate was evaluated and stored. */
    record Evaluated(Candidate candidate, boolean elite, boolean newBest, long evaluations, Optional<Candidate> best, java.time.Duration elapsed)
            implements EngineEvent {}

    /**
     * A proposal was dropped before evaluation: a duplicate of a stored program, one the operator had
     * nothing for, or ({@code failed}) one the operator failed to make (a model that cannot be reached).
     */
    record Skipped(String operator, String reason, boolean failed) implements EngineEvent {}

    /** The best of each island moved to the next island. */
    record Migrated(long evaluations, int moved) implements EngineEvent {}

    /** The run stopped. */
    record Finished(RunSummary summary) implements EngineEvent {}
}
