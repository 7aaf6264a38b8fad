package dev.kaizen.worker;

/**
 * The counter behind the deterministic {@code cost} metric. {@link ClassTransform#COUNTED} adds,
 * at the start of every basic block of every method of the project's classes, a call to
 * {@link #add(int)} with the number of bytecode instructions in that block.
 *
 * <p>Only the project's own classes (the candidate's and those in the class directories) are
 * instrumented: a call into the JDK or a library counts as the one instruction that calls it,
 * however much work it does. A block counts in full when it is entered, even when an exception
 * leaves it early. The count is a plain static field, so it is exact for code that runs on one
 * thread and approximate for code that counts from several at once.
 */
public final class CostCounter {

    private static long count;

    private CostCounter() {}

    /** Adds the instructions of the basic block about to run. Called only by instrumented code. */
    public static void add(int instructions) {
        count += instructions;
    }

    static void reset() {
        count = 0;
    }

    static long count() {
        return count;
    }
}
