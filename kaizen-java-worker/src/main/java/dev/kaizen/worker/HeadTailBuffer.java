package dev.kaizen.worker;

import java.nio.charset.StandardCharsets;

/**
 * Bytes written by a candidate, capped: keeps the first half of the limit and the last half, and
 * counts what fell in between. Thread-safe, since a candidate's threads print concurrently.
 */
final class HeadTailBuffer {

    private final byte[] head;
    private final byte[] tail;
    private int headLength;
    private long tailWritten;
    private long total;

    HeadTailBuffer(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        head = new byte[limit / 2];
        tail = new byte[limit - limit / 2];
    }

    synchronized void write(byte[] b, int off, int len) {
        total += len;
        int toHead = Math.min(len, head.length - headLength);
        System.arraycopy(b, off, head, headLength, toHead);
        headLength += toHead;
        off += toHead;
        len -= toHead;
        if (len == 0 || tail.length == 0) {
            return;
        }
        if (len >= tail.length) {
            off += len - tail.length;
            len = tail.length;
        }
        int at = (int) (tailWritten % tail.length);
        int first = Math.min(len, tail.length - at);
        System.arraycopy(b, off, tail, at, first);
        System.arraycopy(b, off + first, tail, 0, len - first);
        tailWritten += len;
    }

    /** Bytes written so far, kept or not. */
    synchronized long total() {
        return total;
    }

    /** The kept text, with a marker saying how much was dropped in the middle. */
    synchronized String text() {
        int tailLength = (int) Math.min(tailWritten, tail.length);
        long dropped = total - headLength - tailLength;
        byte[] kept = new byte[tailLength];
        int start = (int) (tailWritten % Math.max(1, tail.length));
        if (tailWritten <= tail.length) {
            System.arraycopy(tail, 0, kept, 0, tailLength);
        } else {
            System.arraycopy(tail, start, kept, 0, tail.length - start);
            System.arraycopy(tail, 0, kept, tail.length - start, start);
        }
        String text = new String(head, 0, headLength, StandardCharsets.UTF_8);
        if (dropped > 0) {
            text += "\n[... " + dropped + " bytes dropped ...]\n";
        }
        return text + new String(kept, StandardCharsets.UTF_8);
    }
}
