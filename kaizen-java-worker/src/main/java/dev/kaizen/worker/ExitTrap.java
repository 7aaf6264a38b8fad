package dev.kaizen.worker;

import java.util.ArrayList;
import java.util.List;

/**
 * Where candidate code lands instead of terminating the JVM. {@link ClassTransform} rewrites every
 * call to {@code System.exit(int)}, {@code Runtime.exit(int)} and {@code Runtime.halt(int)} (and
 * method references to them) in the classes it defines into calls to the methods here, which
 * record the attempt as a violation and throw {@link CandidateExit}.
 *
 * <p>Exiting through reflection or a {@code MethodHandle} looked up by name is not caught: the
 * process ends and the host reports it.
 */
public final class ExitTrap {

    private static final int MAX_RECORDED = 20;
    private static final List<String> attempts = new ArrayList<>();
    private static int dropped;

    private ExitTrap() {}

    /** Replaces {@code System.exit(status)}. */
    public static void exit(int status) {
        throw trap("System.exit", status);
    }

    /** Replaces {@code runtime.exit(status)}. */
    public static void runtimeExit(Runtime runtime, int status) {
        throw trap("Runtime.exit", status);
    }

    /** Replaces {@code runtime.halt(status)}. */
    public static void runtimeHalt(Runtime runtime, int status) {
        throw trap("Runtime.halt", status);
    }

    private static CandidateExit trap(String call, int status) {
        synchronized (attempts) {
            if (attempts.size() < MAX_RECORDED) {
                attempts.add("called " + call + "(" + status + ")");
            } else {
                dropped++;
            }
        }
        return new CandidateExit(call, status);
    }

    /** The attempts recorded since the last call, oldest first, and forgets them. */
    static List<String> drain() {
        synchronized (attempts) {
            List<String> out = new ArrayList<>(attempts);
            if (dropped > 0) {
                out.add("... and " + dropped + " more exit attempts");
            }
            attempts.clear();
            dropped = 0;
            return out;
        }
    }
}
