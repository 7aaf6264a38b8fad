package dev.kaizen.core.eval;

import java.time.Duration;
import java.util.Objects;

/**
 * How an evaluation ended. A failing candidate is data, not an exception: every kind of failure
 * is one of these, with the reason a person (or the next proposal) can act on.
 */
public sealed interface Outcome {

    /** A short stable name, as stored in the archive and ledger. */
    String kind();

    /** Why, in one line; empty for {@link Passed}. */
    String reason();

    /** Ran, produced a well-formed result and reported itself correct. */
    record Passed() implements Outcome {
        public String kind() {
            return "passed";
        }

        public String reason() {
            return "";
        }
    }

    /** Ran and produced a result, but the evaluator judged it incorrect (an invalid packing, failing tests). */
    record Incorrect(String reason) implements Outcome {
        public Incorrect {
            Objects.requireNonNull(reason, "reason");
        }

        public String kind() {
            return "incorrect";
        }
    }

    /** The evaluation process exited abnormally. */
    record Crashed(int exitCode, String reason) implements Outcome {
        public Crashed {
            Objects.requireNonNull(reason, "reason");
        }

        public String kind() {
            return "crashed";
        }
    }

    /** The evaluation ran past its time limit and was killed with its whole process tree. */
    record TimedOut(Duration limit) implements Outcome {
        public TimedOut {
            Objects.requireNonNull(limit, "limit");
        }

        public String kind() {
            return "timed_out";
        }

        public String reason() {
            return "killed after the time limit of " + limit.toMillis() + " ms";
        }
    }

    /** The evaluation ended but its result is unusable: no result at all, not JSON, a field of the wrong type. */
    record Malformed(String reason) implements Outcome {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
        }

        public String kind() {
            return "malformed";
        }
    }

    /** Did not compile; the reason holds the first diagnostics, the feedback all of them. */
    record CompileError(String reason) implements Outcome {
        public CompileError {
            Objects.requireNonNull(reason, "reason");
        }

        public String kind() {
            return "compile_error";
        }
    }

    /**
     * Ran but broke the isolation its evaluation relies on: called {@code System.exit}, left a
     * thread running, changed a JVM-global setting. The reason says which.
     */
    record Violation(String reason) implements Outcome {
        public Violation {
            Objects.requireNonNull(reason, "reason");
        }

        public String kind() {
            return "violation";
        }
    }

    /** Never ran: refused before evaluation (a guard, a failed cheaper stage's policy, an edit that does not apply). */
    record Rejected(String reason) implements Outcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }

        public String kind() {
            return "rejected";
        }
    }

    /**
     * Ran into a resource limit of its sandbox other than wall time: memory, processes, CPU time,
     * file size, bytes written, output. The reason names the limit and what was observed.
     */
    record LimitExceeded(String reason) implements Outcome {
        public LimitExceeded {
            Objects.requireNonNull(reason, "reason");
        }

        public String kind() {
            return "limit_exceeded";
        }
    }

    /**
     * Ran and reported metrics that cannot be trusted: NaN, an infinity, a value outside the range
     * the configuration declares, or a missing metric. The reason names the metric and the value.
     */
    record Invalid(String reason) implements Outcome {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }

        public String kind() {
            return "invalid";
        }
    }

    /** Rebuilds an outcome from its stored kind and reason. */
    static Outcome of(String kind, String reason, int exitCode, long limitMillis) {
        return switch (kind) {
            case "passed" -> new Passed();
            case "incorrect" -> new Incorrect(reason);
            case "crashed" -> new Crashed(exitCode, reason);
            case "timed_out" -> new TimedOut(Duration.ofMillis(limitMillis));
            case "malformed" -> new Malformed(reason);
            case "rejected" -> new Rejected(reason);
            case "compile_error" -> new CompileError(reason);
            case "violation" -> new Violation(reason);
            case "limit_exceeded" -> new LimitExceeded(reason);
            case "invalid" -> new Invalid(reason);
            default -> throw new IllegalArgumentException("unknown outcome kind: " + kind);
        };
    }
}
