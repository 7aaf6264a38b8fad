package dev.kaizen.java.pool;

/**
 * A worker JVM could not be started or did not become ready: a bad JVM argument, a missing class,
 * a handshake that timed out. The message has the command's outcome and the end of its stderr.
 */
public final class WorkerStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorkerStartException(String message) {
        super(message);
    }

    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
