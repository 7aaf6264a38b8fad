package dev.kaizen.java;

import java.time.Duration;
import java.util.Objects;

/**
 * The time limits sent with each candidate, tightened from what passing evaluations took.
 *
 * <p>Until something was observed (the seed's evaluation) both limits are the configured upper
 * bounds. Afterwards each is {@code clamp(factor x slowest seen + slack, floor, upper bound)}:
 * the per-test limit from the slowest passing test of any completed evaluation, the candidate
 * limit from the slowest completed candidate (compiling, tests and timing). PIT uses
 * {@code 1.25 x + 3 s} for mutants; Kaizen can be much tighter on the constant because its
 * workers are warm and a spare replaces a killed one at once, and it is looser on the factor
 * because candidates, unlike mutants, may legitimately do more work than the original. A correct
 * candidate more than about {@value #FACTOR} times slower than anything seen times out, which for
 * a search that keeps what is better costs little.
 *
 * <p>Observations only ever raise the limits. Thread-safe.
 */
final class AdaptiveLimits {

    /** Multiplies the slowest observed duration. */
    static final int FACTOR = 4;
    /** Added to the per-test limit. */
    static final Duration TEST_SLACK = Duration.ofMillis(200);
    /** The per-test limit never goes below this. */
    static final Duration TEST_FLOOR = Duration.ofMillis(500);
    /** Added to the candidate limit: compiling varies more than running. */
    static final Duration CANDIDATE_SLACK = Duration.ofSeconds(1);
    /** The candidate limit never goes below this. */
    static final Duration CANDIDATE_FLOOR = Duration.ofSeconds(2);

    /**
     * The limits for one candidate.
     *
     * @param test      for any single test
     * @param candidate for the whole candidate
     * @param adapted   whether they come from observations rather than the configured bounds
     */
    record Limits(Duration test, Duration candidate, boolean adapted) {}

    private final Duration maxTest;
    private final Duration maxCandidate;
    private final boolean enabled;
    private long slowestTestNanos = -1;
    private long slowestCandidateNanos = -1;

    AdaptiveLimits(Duration maxTest, Duration maxCandidate, boolean enabled) {
        this.maxTest = Objects.requireNonNull(maxTest, "maxTest");
        this.maxCandidate = Objects.requireNonNull(maxCandidate, "maxCandidate");
        this.enabled = enabled;
    }

    /** The limits for the next candidate. */
    synchronized Limits current() {
        if (!enabled || slowestCandidateNanos < 0) {
            return new Limits(maxTest, maxCandidate, false);
        }
        Duration test = slowestTestNanos < 0
                ? maxTest
                : clamp(Duration.ofNanos(slowestTestNanos).multipliedBy(FACTOR).plus(TEST_SLACK), TEST_FLOOR, maxTest);
        Duration candidate = clamp(Duration.ofNanos(slowestCandidateNanos).multipliedBy(FACTOR).plus(CANDIDATE_SLACK),
                CANDIDATE_FLOOR, maxCandidate);
        return new Limits(test, candidate, true);
    }

    /**
     * Records a completed evaluation.
     *
     * @param slowestPassingTestNanos the longest a passing test took, or -1 when none passed
     * @param candidateNanos          how long the whole candidate took in the worker
     */
    synchronized void observe(long slowestPassingTestNanos, long candidateNanos) {
        slowestTestNanos = Math.max(slowestTestNanos, slowestPassingTestNanos);
        slowestCandidateNanos = Math.max(slowestCandidateNanos, candidateNanos);
    }

    /** How the current limits were chosen, for feedback. */
    synchronized String explain(Limits limits) {
        if (!limits.adapted()) {
            return "configured limits: " + millis(limits.test()) + " per test, " + millis(limits.candidate()) + " per candidate";
        }
        return "adaptive limits: " + millis(limits.test()) + " per test (" + FACTOR + " x slowest passing test "
                + millis(Duration.ofNanos(Math.max(0, slowestTestNanos))) + " + " + millis(TEST_SLACK) + ", at most "
                + millis(maxTest) + "), " + millis(limits.candidate()) + " per candidate";
    }

    private static Duration clamp(Duration value, Duration floor, Duration max) {
        Duration low = floor.compareTo(max) > 0 ? max : floor;
        if (value.compareTo(low) < 0) {
            return low;
        }
        return value.compareTo(max) > 0 ? max : value;
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
