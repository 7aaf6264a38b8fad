package dev.kaizen.java.pool;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a {@link WorkerPool} has done so far.
 *
 * @param started          worker JVMs that became ready
 * @param startFailures    starts that failed
 * @param retired          workers taken out of service, by why
 * @param servedByRetired  how many candidates each retired worker evaluated, in retirement order
 *                         (the last {@value WorkerPool#SERVED_KEPT})
 * @param workerReasons    the reasons workers gave when they asked to be recycled, the last
 *                         {@value WorkerPool#REASONS_KEPT}
 * @param meanStart        the mean time from starting a JVM to its being ready; zero before any
 * @param idle             ready workers waiting for a candidate now
 * @param busy             workers evaluating a candidate now
 * @param starting         workers starting now
 */
public record PoolStats(long started, long startFailures, Map<Retirement, Long> retired, List<Integer> servedByRetired,
        List<String> workerReasons, Duration meanStart, int idle, int busy, int starting) {

    /** Why a worker was taken out of service. */
    public enum Retirement {
        /** It asked to be recycled (a violation, memory growth, a test it could not stop). */
        REQUESTED,
        /** It served the configured number of candidates. */
        SERVED_LIMIT,
        /** Its JVM exited while evaluating. */
        DIED,
        /** It did not answer within the hard limit and was killed. */
        TIMED_OUT,
        /** The pool was closed. */
        CLOSED
    }

    public PoolStats {
        retired = Map.copyOf(retired);
        servedByRetired = List.copyOf(servedByRetired);
        workerReasons = List.copyOf(workerReasons);
        Objects.requireNonNull(meanStart, "meanStart");
    }

    /** Workers retired for {@code why}. */
    public long retired(Retirement why) {
        return retired.getOrDefault(why, 0L);
    }

    /** One line, for logs. */
    public String describe() {
        String byWhy = retired.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().name().toLowerCase(java.util.Locale.ROOT) + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return started + " workers started (mean " + meanStart.toMillis() + " ms to ready), " + startFailures
                + " failed to start; retired: " + (byWhy.isEmpty() ? "none" : byWhy);
    }
}
