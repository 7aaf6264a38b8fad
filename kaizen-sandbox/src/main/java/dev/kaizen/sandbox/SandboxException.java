package dev.kaizen.sandbox;

/** No sandbox can be made here, or one could not be prepared; the message says why and what to do. */
public final class SandboxException extends RuntimeException {

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
