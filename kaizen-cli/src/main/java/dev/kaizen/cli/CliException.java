package dev.kaizen.cli;

/** A user-facing error: printed as one message without a stack trace, exit code 2. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }
}
