package dev.kaizen.core.operator;

import dev.kaizen.core.archive.Candidate;
import java.util.Optional;

/**
 * Proposes a change to a parent program. Operators are cheap and run on the engine's thread; they
 * may keep state (a tuner's search distribution) and learn from results through {@link #observe}.
 */
public interface Operator {

    /** A stable name, used for weights, statistics and the ledger (for example {@code line.swap}). */
    String name();

    /** A proposal derived from {@code context.parent()}, or empty when this operator has nothing to offer it. */
    Optional<Proposal> propose(ProposalContext context);

    /** Called with every evaluated candidate this operator proposed (its parent is in the archive). */
    default void observe(Candidate child, Candidate parent) {}
}
