package dev.kaizen.core.operator;

import dev.kaizen.core.archive.Candidate;
import java.util.Optional;

/**
 * Proposes a change to a parent program. Most operators are cheap and run on the engine's thread;
 * they may keep state (a tuner's search distribution) and learn from results through
 * {@link #observe}. An operator that waits on something slow, such as a language model's reply,
 * says so with {@link #slow()}: the engine then starts its proposals with {@link #start} and makes
 * them on worker threads, several at once.
 */
public interface Operator {

    /** A stable name, used for weights, statistics and the ledger (for example {@code line.swap}). */
    String name();

    /** A proposal derived from {@code context.parent()}, or empty when this operator has nothing to offer it. */
    Optional<Proposal> propose(ProposalContext context);

    /** Called with every evaluated candidate this operator proposed (its parent is in the archive). */
    default void observe(Candidate child, Candidate parent) {}

    /**
     * Whether making a proposal waits on something slow (a model's reply). When true the engine
     * calls {@link #start} instead of {@link #propose}, and runs {@link Deferred#make} on a worker
     * thread, so proposals are made while other candidates are evaluated.
     */
    default boolean slow() {
        return false;
    }

    /**
     * Starts a proposal on the engine's thread; see {@link Deferred}. Every choice that depends on
     * the run's state (which model, what the prompt shows) is made here, and randomness comes only
     * from {@code context.random()}. The default makes the whole proposal here.
     */
    default Deferred start(ProposalContext context) {
        Optional<Proposal> proposal = propose(context);
        return () -> proposal;
    }
}
