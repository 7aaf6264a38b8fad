package dev.kaizen.core.ledger;

import java.util.Map;

/**
 * The append-only audit log of a run: every configuration, proposal, outcome, acceptance and
 * promotion, failures included. Implementations chain each entry to the previous one by hash so
 * that any change, removal or reordering is detectable. Values are strings, numbers, booleans,
 * nulls, lists and maps of these. Thread-safe.
 */
public interface Ledger extends AutoCloseable {

    /** Appends an entry of {@code type} and returns its sequence number (1-based). */
    long append(String type, Map<String, ?> data);

    /** The hash of the last entry (the chain's head), or the genesis value when empty. */
    String head();

    /** Number of entries. */
    long size();

    /**
     * The data of the last entry of {@code type}, used on resume to find what the ledger already
     * recorded. Implementations that cannot read back return empty.
     */
    default java.util.Optional<Map<String, Object>> last(String type) {
        return java.util.Optional.empty();
    }

    /** Whether {@link #last} reads back what was written (a discarding ledger does not). */
    default boolean readsBack() {
        return false;
    }

    @Override
    void close();

    /** A ledger that records nothing, for throw-away runs and baselines. */
    static Ledger discarding() {
        return new Ledger() {
            private long n;

            @Override
            public synchronized long append(String type, Map<String, ?> data) {
                return ++n;
            }

            @Override
            public String head() {
                return "0".repeat(64);
            }

            @Override
            public synchronized long size() {
                return n;
            }

            @Override
            public void close() {}
        };
    }
}
