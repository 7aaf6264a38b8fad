package dev.kaizen.java;

/**
 * The java evaluator itself cannot work: Maven cannot resolve the classpath, a class directory is
 * missing, the worker's own classes cannot be found. Never thrown for anything a candidate does;
 * a failing candidate is an {@link dev.kaizen.core.eval.Outcome}. The message names the directory
 * or file involved.
 */
public class JavaEvaluatorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JavaEvaluatorException(String message) {
        super(message);
    }

    public JavaEvaluatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
