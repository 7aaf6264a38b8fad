package dev.kaizen.java.pool;

import dev.kaizen.sandbox.Breach;
import dev.kaizen.worker.wire.EvaluateResponse;
import java.time.Duration;
import java.util.Objects;

/** How one request to a worker JVM ended, as the host saw it. */
public sealed interface WorkerResult {

    /** The worker answered; its response says what the candidate did. */
    record Answered(EvaluateResponse response) implements WorkerResult {
        public Answered {
            Objects.requireNonNull(response, "response");
        }
    }

    /**
     * The worker did not answer within the host's hard limit and was killed with its process tree.
     *
     * @param limit      the hard limit that ran out
     * @param stderrTail the end of the worker's stderr
     */
    record TimedOut(Duration limit, String stderrTail) implements WorkerResult {
        public TimedOut {
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(stderrTail, "stderrTail");
        }
    }

    /**
     * The worker stopped answering before it sent a result: its JVM exited (the candidate called
     * {@code Runtime.halt} or {@code System.exit} past the worker's guard, or the JVM crashed), or
     * it broke the protocol.
     *
     * @param exitStatus the JVM's exit status, or -1 when unknown
     * @param reason     one line: what happened
     * @param stderrTail the end of the worker's stderr
     */
    record Died(int exitStatus, String reason, String stderrTail) implements WorkerResult {
        public Died {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(stderrTail, "stderrTail");
        }
    }

    /**
     * The worker's sandbox killed it at a resource limit other than wall time (memory, processes,
     * CPU time, file size) while it ran the candidate.
     *
     * @param breach     the limit and what was observed
     * @param exitStatus the exit status of the confined command
     * @param stderrTail the end of the worker's stderr
     */
    record Breached(Breach breach, int exitStatus, String stderrTail) implements WorkerResult {
        public Breached {
            Objects.requireNonNull(breach, "breach");
            Objects.requireNonNull(stderrTail, "stderrTail");
        }
    }
}
