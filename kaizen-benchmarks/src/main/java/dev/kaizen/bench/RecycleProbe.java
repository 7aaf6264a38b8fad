package dev.kaizen.bench;

import dev.kaizen.java.JavaSettings;
import dev.kaizen.java.pool.PoolStats;
import dev.kaizen.java.pool.WorkerCommand;
import dev.kaizen.java.pool.WorkerPool;
import dev.kaizen.java.pool.WorkerProcess;
import dev.kaizen.worker.wire.EvaluateResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The evidence for {@link JavaSettings#DEFAULT_RECYCLE_AFTER}: runs candidates through a pool of
 * one worker with the default heap and recycle limit and prints, every 100 candidates, the mean
 * time per candidate, the most heap the worker reported in use after a candidate (no collection
 * forced), and then, read through the worker's management agent right after a full collection,
 * its live heap, metaspace, loaded classes, code cache and resident set. At the end it prints the
 * pool's statistics: how many candidates each retired worker served, and why it was retired.
 * Not a JMH benchmark: it answers "how does a worker age?", not "how fast is it?".
 *
 * <p>Arguments: the number of candidates, default {@code DEFAULT_RECYCLE_AFTER + 100} so that the
 * first worker's retirement shows.
 */
public final class RecycleProbe {

    private static final int EVERY = 100;

    private RecycleProbe() {}

    public static void main(String[] args) throws Exception {
        int candidates = args.length > 0 ? Integer.parseInt(args[0]) : JavaSettings.DEFAULT_RECYCLE_AFTER + EVERY;
        int recycleAfter = JavaSettings.DEFAULT_RECYCLE_AFTER;
        try (IntervalSetProject project = IntervalSetProject.create()) {
            WorkerCommand command = WorkerCommand.of(JavaSettings.DEFAULT_WORKER_HEAP, List.of(), project.classpath().workerJars());
            PoolStats stats;
            WorkerMemory memory = null;
            try (WorkerPool pool = new WorkerPool(command, project.workerSandbox(command), project.setup(), 1, recycleAfter, Duration.ofMinutes(2))) {
                pool.awaitStarted(Duration.ofMinutes(2));
                System.out.printf(Locale.ROOT, "%d candidates, one worker (heap %d MiB), recycle after %d%n", candidates,
                        JavaSettings.DEFAULT_WORKER_HEAP >> 20, recycleAfter);
                System.out.println("heap max: the most heap in use the worker reported after a candidate (no collection forced);"
                        + " the columns after it are read right after a full collection");
                System.out.printf(Locale.ROOT, "%10s %7s %6s %7s %9s %9s %9s %8s %8s %8s%n", "candidates",
                        "pid", "served", "ms/cand", "heap max", "live heap", "metaspace", "classes", "code", "RSS");
                long nanos = 0;
                long maxHeap = 0;
                for (int i = 1; i <= candidates; i++) {
                    long t0 = System.nanoTime();
                    // Read while leased: the pool shuts a worker down as soon as it is returned for the last time.
                    try (WorkerPool.Lease lease = pool.acquire()) {
                        WorkerProcess worker = lease.worker();
                        EvaluateResponse r = IntervalSetProject.requirePassed(
                                worker.evaluate(project.request(i, project.nextCandidate()), Duration.ofMinutes(2)));
                        nanos += System.nanoTime() - t0;
                        maxHeap = Math.max(maxHeap, r.heapUsed());
                        if (r.recycle()) {
                            System.out.printf(Locale.ROOT, "worker %d asked to be recycled after %d candidates: %s%n",
                                    worker.pid(), r.served(), r.recycleReason());
                        }
                        if (i % EVERY == 0 || i == candidates) {
                            if (memory == null || memory.pid() != worker.pid()) {
                                if (memory != null) {
                                    memory.close();
                                }
                                memory = WorkerMemory.attach(worker.pid());
                            }
                            WorkerMemory.Reading m = memory.afterFullGc();
                            System.out.printf(Locale.ROOT, "%10d %7d %6d %7.1f %9s %9s %9s %8d %8s %8s%n", i, worker.pid(),
                                    r.served(), nanos / 1e6 / (i % EVERY == 0 ? EVERY : i % EVERY), mib(maxHeap),
                                    mib(m.liveHeap()), mib(m.metaspace()), m.loadedClasses(), mib(m.codeCache()),
                                    mib(m.resident()));
                            nanos = 0;
                            maxHeap = 0;
                        }
                        if (memory != null && (r.recycle() || r.served() >= pool.recycleAfter())) {
                            memory.close(); // before the pool shuts the worker down
                            memory = null;
                        }
                    }
                }
                stats = pool.stats();
            } finally {
                if (memory != null) {
                    memory.close();
                }
            }
            System.out.println(stats.describe());
            System.out.println("candidates served by each retired worker: " + stats.servedByRetired());
            if (!stats.workerReasons().isEmpty()) {
                System.out.println("reasons workers gave: " + stats.workerReasons());
            }
        }
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1fM", bytes / (double) (1 << 20));
    }
}
