package dev.kaizen.core.engine;

import dev.kaizen.core.ledger.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A ledger for engine tests that keeps every entry, in order (a null value is kept as {@code "null"}). */
final class RecordingLedger implements Ledger {

    /** One ledger entry as the engine wrote it. */
    record Entry(String type, Map<String, Object> data) {}

    private final List<Entry> entries = new ArrayList<>();

    @Override
    public synchronized long append(String type, Map<String, ?> data) {
        Map<String, Object> m = new TreeMap<>();
        data.forEach((k, v) -> m.put(k, v == null ? "null" : v));
        entries.add(new Entry(type, Map.copyOf(m)));
        return entries.size();
    }

    @Override
    public String head() {
        return "0".repeat(64);
    }

    @Override
    public synchronized long size() {
        return entries.size();
    }

    @Override
    public void close() {}

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    synchronized List<Entry> of(String type) {
        return entries.stream().filter(e -> e.type().equals(type)).toList();
    }

    synchronized List<String> types() {
        return entries.stream().map(Entry::type).toList();
    }
}
