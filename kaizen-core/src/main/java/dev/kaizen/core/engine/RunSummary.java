package dev.kaizen.core.engine;

import dev.kaizen.core.archive.Candidate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How a run (or one session of a resumed run) ended.
 *
 * @param reason           why it stopped
 * @param evaluations      evaluations stored in the archive in total
 * @param sessionEvaluations evaluations made in this session
 * @param best             the best candidate, if any passed
 * @param seed             the seed candidate, if it was evaluated
 * @param elapsed          accumulated wall time over all sessions
 * @param outcomes         this session's evaluations by outcome kind
 * @param detail           more about the reason (for example why the seed failed)
 */
public record RunSummary(
        StopReason reason,
        long evaluations,
        long sessionEvaluations,
        Optional<Candidate> best,
        Optional<Candidate> seed,
        Duration elapsed,
        Map<String, Long> outcomes,
        String detail) {

    public RunSummary {
        outcomes = Map.copyOf(outcomes);
        detail = detail == null ? "" : detail;
    }
}
