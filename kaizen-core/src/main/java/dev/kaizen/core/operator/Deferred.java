package dev.kaizen.core.operator;

import java.util.Optional;

/**
 * A proposal made in two halves, started by {@link Operator#start}. {@link #make} runs on a worker
 * thread and may wait (a model call), but must leave state the engine's thread reads alone;
 * {@link #settle} runs afterwards on the engine's thread, in the order the proposals were started,
 * and is where the operator records what happened. Proposals then finish in any order and the run
 * is still reproducible from its seed.
 */
@FunctionalInterface
public interface Deferred {

    /**
     * On a worker thread: the proposal, or empty when there is nothing to offer.
     *
     * @throws RuntimeException with a message that says why, when making it failed (the engine records a skipped proposal)
     */
    Optional<Proposal> make();

    /** On the engine's thread, once {@link #make} returned or threw. */
    default void settle() {}
}
