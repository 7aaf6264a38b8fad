package dev.kaizen.worker;

/**
 * Thrown in place of {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} by
 * candidate code, whose bytecode the worker rewrites. It is an {@link Error} so that ordinary
 * {@code catch (Exception e)} blocks let it through; the attempt is recorded by {@link ExitTrap}
 * before it is thrown, so a candidate that swallows it is still reported.
 */
public final class CandidateExit extends Error {

    private static final long serialVersionUID = 1L;

    /** The status the candidate asked to exit with. */
    private final int status;

    CandidateExit(String call, int status) {
        super("candidate called " + call + "(" + status + "); the worker stopped it", null, false, false);
        this.status = status;
    }

    /** The status the candidate asked to exit with. */
    public int status() {
        return status;
    }
}
