/**
 * The program Kaizen evolves. Only the lines between the EVOLVE-BLOCK markers change; Evaluate.java
 * compiles this file and scores {@link #approximate} against {@code Math.sin} on [0, pi].
 * Try editing the block by hand, then run {@code java Evaluate.java}.
 */
public final class Solution {

    private Solution() {}

    /** An approximation of sin(x) for x in [0, pi], without calling Math.sin. */
    public static double approximate(double x) {
        // EVOLVE-BLOCK-START
        double a = 1.0;
        double b = 0.0;
        double c = 0.0;
        return a * x + b * x * x + c * x * x * x;
        // EVOLVE-BLOCK-END
    }
}
