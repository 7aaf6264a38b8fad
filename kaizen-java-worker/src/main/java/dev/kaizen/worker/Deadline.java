package dev.kaizen.worker;

/**
 * Stops candidate code that runs past its limit without killing the worker. {@link ClassTransform}
 * puts a call to {@link #check()} before every backward jump (every loop iteration) in the classes
 * a candidate loader defines; when the watching thread {@link #expire() expires} the deadline,
 * the next iteration of any loop in candidate code throws {@link CandidateTimeout}. A loop inside
 * the JDK or a library (a candidate sleeping or blocked) is not reached by this: the watcher then
 * interrupts the thread, and if that does not end it either, the worker is recycled.
 *
 * <p>The flag is a volatile read per loop iteration: a load on x86 and ARM, which the JIT keeps
 * inside the loop but which costs next to nothing beside the loop's own work.
 */
public final class Deadline {

    private static volatile boolean expired;

    private Deadline() {}

    /** Called from candidate code at every backward jump. */
    public static void check() {
        if (expired) {
            throw new CandidateTimeout();
        }
    }

    /** Makes every loop in candidate code throw at its next iteration. */
    static void expire() {
        expired = true;
    }

    /** Lets candidate code run again; called before each candidate. */
    static void reset() {
        expired = false;
    }
}
