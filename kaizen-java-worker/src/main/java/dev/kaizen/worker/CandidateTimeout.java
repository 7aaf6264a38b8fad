package dev.kaizen.worker;

/**
 * Thrown inside candidate code at a loop's next iteration once the candidate ran past its limit
 * (see {@link Deadline}). An {@link Error}, so that {@code catch (Exception e)} lets it through.
 */
public final class CandidateTimeout extends Error {

    private static final long serialVersionUID = 1L;

    CandidateTimeout() {
        super("the candidate ran past its time limit and was stopped at a loop iteration", null, false, false);
    }
}
