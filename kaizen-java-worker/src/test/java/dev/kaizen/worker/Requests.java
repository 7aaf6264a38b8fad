package dev.kaizen.worker;

import dev.kaizen.worker.wire.EvaluateRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Builds {@link EvaluateRequest}s for tests, with sensible defaults and no timing or cost. */
final class Requests {

    private static final AtomicLong ids = new AtomicLong();

    private final Map<String, String> sources = new LinkedHashMap<>();
    private List<String> tests = List.of();
    private long testTimeoutMillis = 20_000;
    private long timeoutMillis = 60_000;
    private String scoreMethod = "";
    private final Map<String, String> reference = new LinkedHashMap<>();
    private int warmup;
    private int rounds;
    private boolean countCost;
    private long seed = 42;

    static Requests request() {
        return new Requests();
    }

    Requests source(String path, String text) {
        sources.put(path, text);
        return this;
    }

    Requests tests(String... classes) {
        tests = List.of(classes);
        return this;
    }

    Requests testTimeout(long millis) {
        testTimeoutMillis = millis;
        return this;
    }

    Requests timeout(long millis) {
        timeoutMillis = millis;
        return this;
    }

    Requests score(String method) {
        scoreMethod = method;
        return this;
    }

    Requests reference(String path, String text) {
        reference.put(path, text);
        return this;
    }

    Requests timing(int warmup, int rounds) {
        this.warmup = warmup;
        this.rounds = rounds;
        return this;
    }

    Requests countCost() {
        countCost = true;
        return this;
    }

    EvaluateRequest build() {
        return new EvaluateRequest(ids.incrementAndGet(), sources, tests, testTimeoutMillis, timeoutMillis, scoreMethod,
                reference, warmup, rounds, countCost, seed);
    }
}
