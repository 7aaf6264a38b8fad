package dev.kaizen.worker;

import java.util.Objects;

/**
 * One way a candidate broke the worker's isolation.
 *
 * @param message what happened, for example {@code system property foo changed: "a" -> "b" (restored)}
 * @param recycle true when the worker could not undo it and must not serve another candidate
 */
record Violation(String message, boolean recycle) {

    Violation {
        Objects.requireNonNull(message, "message");
    }

    static Violation restored(String message) {
        return new Violation(message, false);
    }

    static Violation lasting(String message) {
        return new Violation(message, true);
    }
}
