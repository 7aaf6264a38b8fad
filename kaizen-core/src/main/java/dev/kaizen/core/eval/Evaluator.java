package dev.kaizen.core.eval;

import dev.kaizen.core.program.Code;

/**
 * Runs a candidate and measures it. Implementations turn every failure of the candidate into an
 * {@link Outcome}; they throw only when the evaluator itself cannot work (then the engine records a
 * crash with the message and carries on). Must be safe to call from several threads at once.
 */
public interface Evaluator extends AutoCloseable {

    /** Evaluates {@code code}; {@code label} names the candidate in files and logs. */
    Evaluation evaluate(Code code, String label);

    /**
     * Evaluates {@code code}, a child of {@code parent}. Evaluators that measure relative to the
     * parent override this; the default ignores the parent.
     */
    default Evaluation evaluate(Code code, String label, Reference parent) {
        return evaluate(code, label);
    }

    /** A one-line description, for the ledger and the run's output. */
    String describe();

    @Override
    default void close() {}
}
