package dev.kaizen.eval;

/**
 * The evaluator itself cannot work: the work directory cannot be created, the target cannot be
 * copied, or the shell cannot be started. Never thrown for anything a candidate does; a failing
 * candidate is an {@link dev.kaizen.core.eval.Outcome}. The message names the path involved.
 */
public final class EvaluatorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EvaluatorException(String message) {
        super(message);
    }

    public EvaluatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
