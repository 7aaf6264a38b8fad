package dev.kaizen.worker;

import java.util.List;

/**
 * One piece of JVM-wide state a candidate must leave as it found it. {@link #before()} records the
 * state just before a candidate runs; the returned {@link Baseline} compares once the candidate is
 * done, puts back what it can and reports what changed. The checks the worker runs are listed in
 * {@link IsolationChecks#standard()}.
 */
@FunctionalInterface
interface IsolationCheck {

    /** Records the state before the candidate runs. */
    Baseline before();

    /** The state as a candidate found it. */
    @FunctionalInterface
    interface Baseline {
        /** Compares with the state now, restores what can be restored, and adds what changed to {@code into}. */
        void after(List<Violation> into);
    }
}
