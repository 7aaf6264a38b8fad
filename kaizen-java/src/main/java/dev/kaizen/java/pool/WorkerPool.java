package dev.kaizen.java.pool;

import dev.kaizen.worker.wire.Setup;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Warm worker JVMs for evaluating candidates: {@code size} of them may be leased at once, and one
 * more is kept started as a spare. All start in parallel in the background when the pool is made.
 *
 * <p>A worker returned with its {@link Lease} goes back to the front of the idle queue (the most
 * recently used, and so the warmest, is leased next) unless it must be retired: it asked to be
 * recycled, its JVM died, it was killed at a time limit, or it has served {@code recycleAfter}
 * candidates. A retired worker is replaced by starting a new one in the background at once, while
 * the spare takes its place, so once the pool is warm no JVM start is on a candidate's critical
 * path. Retired workers are never reused.
 *
 * <p>Starting is retried a bounded number of times: after {@value #MAX_CONSECUTIVE_START_FAILURES}
 * failed starts in a row the pool stops starting workers, and {@link #acquire} fails with the last
 * failure (its exit status and stderr) once no worker is left. Every worker runs confined by the
 * {@link WorkerSandbox}, launched from one long-lived thread of the pool. Thread-safe.
 */
public final class WorkerPool implements AutoCloseable {

    /** Failed starts in a row after which the pool gives up starting workers. */
    public static final int MAX_CONSECUTIVE_START_FAILURES = 3;
    /** How long a worker gets to exit after SHUTDOWN before it is killed, in seconds. */
    static final long SHUTDOWN_GRACE_SECONDS = 2;
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(SHUTDOWN_GRACE_SECONDS);
    static final int SERVED_KEPT = 1000;
    static final int REASONS_KEPT = 20;

    private final WorkerCommand command;
    private final WorkerSandbox sandbox;
    private final Setup setup;
    private final int size;
    private final int recycleAfter;
    private final Duration startTimeout;
    private final ScheduledThreadPoolExecutor watchdog;
    private final ExecutorService background;
    /**
     * The one thread that launches worker processes. The sandbox ties each worker to the thread
     * that started it (bubblewrap's {@code --die-with-parent} follows the parent <em>thread</em>),
     * so launching from short-lived background threads would kill workers as those threads end;
     * this one lives as long as the pool.
     */
    private final ExecutorService launcher;
    private final Semaphore leases;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<WorkerProcess> idle = new ArrayDeque<>();
    private final Set<WorkerProcess> busy = new HashSet<>();
    private final Set<WorkerProcess> handshaking = new HashSet<>();
    private int starting;
    private int numbers;
    private int consecutiveFailures;
    private String lastFailure = "";
    private boolean gaveUp;
    private boolean closed;
    private long started;
    private long startFailures;
    private long startNanos;
    private final Map<PoolStats.Retirement, Long> retired = new EnumMap<>(PoolStats.Retirement.class);
    private final Deque<Integer> servedByRetired = new ArrayDeque<>();
    private final Deque<String> workerReasons = new ArrayDeque<>();

    /**
     * Starts {@code size + 1} workers in the background and returns at once.
     *
     * @param sandbox      what every worker runs in
     * @param size         how many workers may be leased at once
     * @param recycleAfter candidates a worker evaluates before it is replaced
     * @param startTimeout how long one worker may take to become ready
     */
    public WorkerPool(WorkerCommand command, WorkerSandbox sandbox, Setup setup, int size, int recycleAfter, Duration startTimeout) {
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        this.command = Objects.requireNonNull(command, "command");
        this.setup = Objects.requireNonNull(setup, "setup");
        if (size < 1 || recycleAfter < 1) {
            throw new IllegalArgumentException("size and recycleAfter must be at least 1, got " + size + " and " + recycleAfter);
        }
        this.size = size;
        this.recycleAfter = recycleAfter;
        this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
        this.leases = new Semaphore(size, true);
        this.watchdog = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("kaizen-worker-watchdog").factory());
        this.watchdog.setRemoveOnCancelPolicy(true);
        this.launcher = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("kaizen-worker-launcher").factory());
        this.background = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().name("kaizen-worker-pool-", 0).factory());
        lock.lock();
        try {
            for (int i = 0; i <= size; i++) {
                startOne();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A worker leased to one caller; closing the lease returns it to the pool. */
    public final class Lease implements AutoCloseable {
        private final WorkerProcess worker;
        private boolean returned;

        private Lease(WorkerProcess worker) {
            this.worker = worker;
        }

        public WorkerProcess worker() {
            return worker;
        }

        @Override
        public void close() {
            if (!returned) {
                returned = true;
                release(worker);
            }
        }
    }

    /**
     * Leases a ready worker, waiting while all are busy or starting.
     *
     * @throws WorkerStartException  when no worker is left and the pool gave up starting them;
     *                               the message has the last start failure
     * @throws IllegalStateException when the pool is closed
     * @throws InterruptedException  when interrupted while waiting
     */
    public Lease acquire() throws InterruptedException {
        leases.acquire();
        boolean leased = false;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("the worker pool is closed");
                }
                WorkerProcess w = idle.pollFirst();
                if (w != null) {
                    if (!w.usable()) {
                        retire(w, w.timedOut() ? PoolStats.Retirement.TIMED_OUT : PoolStats.Retirement.DIED);
                        continue;
                    }
                    busy.add(w);
                    leased = true;
                    return new Lease(w);
                }
                if (starting == 0 && busy.isEmpty()) {
                    if (gaveUp) {
                        throw new WorkerStartException("no worker JVM could be started (" + startFailures
                                + " failed starts, the last " + MAX_CONSECUTIVE_START_FAILURES + " in a row): " + lastFailure);
                    }
                    startOne();
                }
                changed.await();
            }
        } finally {
            lock.unlock();
            if (!leased) {
                leases.release();
            }
        }
    }

    private void release(WorkerProcess w) {
        lock.lock();
        try {
            busy.remove(w);
            PoolStats.Retirement why = closed ? PoolStats.Retirement.CLOSED : retirement(w);
            if (why == null) {
                idle.addFirst(w);
            } else {
                retire(w, why);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
            leases.release();
        }
    }

    private PoolStats.Retirement retirement(WorkerProcess w) {
        if (w.timedOut()) {
            return PoolStats.Retirement.TIMED_OUT;
        }
        if (w.recycleReason() != null) {
            return PoolStats.Retirement.REQUESTED;
        }
        if (!w.usable()) {
            return PoolStats.Retirement.DIED;
        }
        return w.served() >= recycleAfter ? PoolStats.Retirement.SERVED_LIMIT : null;
    }

    /** Takes a worker out of service and starts its replacement; holds the lock. */
    private void retire(WorkerProcess w, PoolStats.Retirement why) {
        retired.merge(why, 1L, Long::sum);
        keep(servedByRetired, w.served(), SERVED_KEPT);
        if (why == PoolStats.Retirement.REQUESTED) {
            keep(workerReasons, w.recycleReason(), REASONS_KEPT);
        }
        async(() -> w.shutdown(SHUTDOWN_GRACE));
        if (!closed) {
            startOne();
        }
    }

    private static <T> void keep(Deque<T> deque, T value, int max) {
        deque.addLast(value);
        while (deque.size() > max) {
            deque.removeFirst();
        }
    }

    /** Starts one worker in the background; holds the lock. */
    private void startOne() {
        if (closed || gaveUp) {
            return;
        }
        starting++;
        int number = ++numbers;
        async(() -> {
            WorkerProcess w;
            try {
                w = launch(number);
            } catch (RuntimeException e) {
                startFailed(e);
                return;
            }
            if (!handshaking(w, true)) {
                w.release();
                return;
            }
            try {
                w.handshake(setup, startTimeout);
            } catch (RuntimeException e) {
                w.release();
                handshaking(w, false);
                startFailed(e);
                return;
            }
            handshaking(w, false);
            started(w);
        });
    }

    /** Spawns worker {@code number} on the {@link #launcher} thread. */
    private WorkerProcess launch(int number) {
        try {
            return launcher.submit(() -> WorkerProcess.spawn(number, command, sandbox, watchdog)).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new WorkerStartException("cannot start worker " + number + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerStartException("interrupted while starting worker " + number, e);
        } catch (RejectedExecutionException e) {
            throw new WorkerStartException("the pool is closed", e);
        }
    }

    /** Registers a worker whose handshake begins (false when the pool is closed) or forgets it when the handshake ended. */
    private boolean handshaking(WorkerProcess w, boolean begins) {
        lock.lock();
        try {
            if (!begins) {
                handshaking.remove(w);
                return true;
            }
            if (closed) {
                starting--;
                return false;
            }
            handshaking.add(w);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void started(WorkerProcess w) {
        boolean discard;
        lock.lock();
        try {
            starting--;
            discard = closed;
            if (!closed) {
                started++;
                startNanos += w.startTime().toNanos();
                consecutiveFailures = 0;
                idle.addLast(w);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (discard) {
            w.shutdown(SHUTDOWN_GRACE);
        }
    }

    private void startFailed(RuntimeException e) {
        lock.lock();
        try {
            starting--;
            if (closed) {
                changed.signalAll();
                return;
            }
            startFailures++;
            consecutiveFailures++;
            lastFailure = e.getMessage() == null ? e.toString() : e.getMessage();
            if (consecutiveFailures >= MAX_CONSECUTIVE_START_FAILURES) {
                gaveUp = true;
            } else {
                startOne();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no worker is starting (all ready or failed), at most {@code timeout}.
     *
     * @return whether none is starting
     */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (starting > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** How many workers may be leased at once (one more is kept as a spare). */
    public int size() {
        return size;
    }

    /** Candidates a worker evaluates before it is replaced. */
    public int recycleAfter() {
        return recycleAfter;
    }

    /** What the pool has done so far. */
    public PoolStats stats() {
        lock.lock();
        try {
            Duration mean = started == 0 ? Duration.ZERO : Duration.ofNanos(startNanos / started);
            return new PoolStats(started, startFailures, retired, new ArrayList<>(servedByRetired), new ArrayList<>(workerReasons),
                    mean, idle.size(), busy.size(), starting);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Shuts every worker down: idle ones get SHUTDOWN and {@value #SHUTDOWN_GRACE_SECONDS} seconds
     * to exit before they are killed; workers still evaluating or starting are killed at once
     * (evaluating callers see their worker die).
     */
    @Override
    public void close() {
        List<WorkerProcess> idleNow;
        List<WorkerProcess> busyNow;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            idleNow = new ArrayList<>(idle);
            busyNow = new ArrayList<>(busy);
            busyNow.addAll(handshaking);
            idle.clear();
            for (WorkerProcess w : idleNow) {
                retired.merge(PoolStats.Retirement.CLOSED, 1L, Long::sum);
                keep(servedByRetired, w.served(), SERVED_KEPT);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        busyNow.forEach(WorkerProcess::kill);
        List<Thread> stopping = new ArrayList<>();
        for (WorkerProcess w : busyNow) {
            stopping.add(Thread.ofPlatform().daemon().name("kaizen-worker-" + w.number() + "-release").start(w::release));
        }
        for (WorkerProcess w : idleNow) {
            stopping.add(Thread.ofPlatform().daemon().name("kaizen-worker-" + w.number() + "-shutdown").start(() -> w.shutdown(SHUTDOWN_GRACE)));
        }
        for (Thread t : stopping) {
            try {
                t.join(SHUTDOWN_GRACE.multipliedBy(4).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        background.shutdown();
        watchdog.shutdown();
        launcher.shutdown();
    }

    /** Runs {@code task} on the pool's background threads, or on a thread of its own once the pool is closed. */
    private void async(Runnable task) {
        try {
            background.execute(task);
        } catch (RejectedExecutionException e) {
            Thread.ofPlatform().daemon().name("kaizen-worker-pool-late").start(task);
        }
    }
}
