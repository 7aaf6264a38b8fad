package dev.kaizen.worker;

import dev.kaizen.worker.wire.TestResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a candidate's runner thread is doing, for the thread that watches it: the phase, the tests
 * running now and since when, and the tests finished so far. Written by the runner (and by JUnit's
 * threads, when a project runs its tests in parallel), read by the watcher.
 */
final class Progress {

    /** A test running now. */
    record Running(String name, long startNanos) {}

    private volatile String phase = "starting";
    private final Map<String, Long> running = new ConcurrentHashMap<>();
    private final List<TestResult> finished = new ArrayList<>();

    void phase(String phase) {
        this.phase = phase;
    }

    String phase() {
        return phase;
    }

    void testStarted(String name) {
        running.put(name, System.nanoTime());
    }

    void testFinished(String name, TestResult result) {
        running.remove(name);
        if (result != null) {
            synchronized (finished) {
                finished.add(result);
            }
        }
    }

    /** The test that has been running longest, if any runs now. */
    Optional<Running> longestRunning() {
        return running.entrySet().stream()
                .map(e -> new Running(e.getKey(), e.getValue()))
                .min((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
    }

    /** The tests finished so far, in the order they finished. */
    List<TestResult> finished() {
        synchronized (finished) {
            return List.copyOf(finished);
        }
    }
}
