package dev.kaizen.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of a {@link JsonlLedger} as read back: its 1-based sequence number, when it was written
 * (UTC), its type, its data (strings, numbers, booleans, nulls, lists and maps; non-finite numbers
 * read back as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}), the hash of the
 * entry before it and its own hash. The data is unmodifiable at every level.
 */
public record LedgerEntry(long seq, Instant time, String type, Map<String, Object> data, String prev, String hash) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public LedgerEntry {
        if (seq < 1) {
            throw new IllegalArgumentException("ledger seq must be >= 1, got " + seq);
        }
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        data = frozenMap(Objects.requireNonNull(data, "data"));
        if (prev == null || !HEX64.matcher(prev).matches()) {
            throw new IllegalArgumentException("prev must be 64 lowercase hex digits, got: " + prev);
        }
        if (hash == null || !HEX64.matcher(hash).matches()) {
            throw new IllegalArgumentException("hash must be 64 lowercase hex digits, got: " + hash);
        }
    }

    private static Map<String, Object> frozenMap(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), frozen(v)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object frozen(Object value) {
        if (value instanceof Map<?, ?> map) {
            return frozenMap(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(frozen(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
