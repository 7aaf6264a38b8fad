package dev.kaizen.store;

import java.util.List;
import java.util.Objects;

/**
 * What {@link JsonlLedger#verify} found: whether the ledger is intact, how many entries it could
 * read, the hash of the last one (the head) and every problem, each at its line number (1-based).
 */
public record LedgerVerification(boolean ok, long entries, String head, List<Problem> problems) {

    public LedgerVerification {
        Objects.requireNonNull(head, "head");
        problems = List.copyOf(problems);
        if (ok != problems.isEmpty()) {
            throw new IllegalArgumentException("ok must be true exactly when there are no problems (ok=" + ok + ", "
                    + problems.size() + " problems)");
        }
    }

    /** What kind of damage a problem is. */
    public enum Kind {
        /** The line is not a ledger entry at all (not JSON, missing fields, no hash). */
        UNPARSABLE,
        /** The line's content does not match its own hash: it was edited. */
        ALTERED,
        /** The line's {@code prev} is not the hash of the entry before it: a line was removed, inserted or moved. */
        BROKEN_CHAIN,
        /** The line's {@code seq} does not follow the one before it: entries are missing, repeated or out of order. */
        SEQUENCE,
        /** The last line has no newline: a write was cut off (opening the ledger removes it). */
        TORN,
        /** The ledger ends before the entry an anchor recorded: entries were cut off its end. */
        TRUNCATED,
        /** The entry an anchor recorded has another hash: the ledger was rewritten. */
        HEAD_MISMATCH
    }

    /** One problem at one line. */
    public record Problem(long line, Kind kind, String message) {

        public Problem {
            if (line < 1) {
                throw new IllegalArgumentException("line must be >= 1, got " + line);
            }
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append(ok ? "ok" : "FAILED").append(": ").append(entries).append(" entries, head ").append(head);
        for (Problem p : problems) {
            out.append(System.lineSeparator()).append("  ").append(p);
        }
        return out.toString();
    }
}
