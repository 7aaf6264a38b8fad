package dev.kaizen.worker;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Describes a throwable for a human or a model: its class and message, then the first few stack
 * frames that belong to the project's classes (those defined by a {@link CandidateLoader}), then
 * the same for each cause. JUnit's and the JDK's frames are left out; they say nothing about the
 * candidate.
 */
final class Failures {

    static final int FRAMES = 4;
    static final int MAX_CAUSES = 3;
    static final int MAX_LENGTH = 2048;

    private Failures() {}

    static String describe(Throwable t) {
        StringBuilder text = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int depth = 0; t != null && depth <= MAX_CAUSES && seen.add(t); depth++, t = t.getCause()) {
            if (depth > 0) {
                text.append("\nCaused by: ");
            }
            text.append(headline(t));
            int shown = 0;
            for (StackTraceElement frame : t.getStackTrace()) {
                if (shown == FRAMES) {
                    break;
                }
                if (isProject(frame)) {
                    text.append("\n\tat ").append(frame.getClassName()).append('.').append(frame.getMethodName())
                            .append('(').append(frame.getFileName() == null ? "Unknown Source" : frame.getFileName());
                    if (frame.getLineNumber() >= 0) {
                        text.append(':').append(frame.getLineNumber());
                    }
                    text.append(')');
                    shown++;
                }
            }
        }
        if (text.length() > MAX_LENGTH) {
            text.setLength(MAX_LENGTH);
            text.append("...");
        }
        return text.toString();
    }

    /** {@code java.lang.IllegalStateException: the message}, or just the class name without a message. */
    static String headline(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.getClass().getName() : t.getClass().getName() + ": " + message;
    }

    static boolean isProject(StackTraceElement frame) {
        String loader = frame.getClassLoaderName();
        return loader != null && loader.startsWith(CandidateLoader.NAME_PREFIX);
    }

    /** The first {@link OutOfMemoryError} in the cause chain, or null. */
    static OutOfMemoryError outOfMemory(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }
}
