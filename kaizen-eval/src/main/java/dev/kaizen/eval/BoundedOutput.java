package dev.kaizen.eval;

import java.nio.charset.StandardCharsets;

/**
 * The bytes one output stream of a process produced, kept within a limit: the first half of the
 * limit from the start of the stream and the second half from its end. What lies between is
 * counted and dropped. Thread-safe: a drain thread writes while the runner reads.
 */
final class BoundedOutput {

    private final byte[] head;
    private int headSize;
    private final byte[] tail;
    private int tailStart;
    private int tailSize;
    private long total;

    BoundedOutput(int limit) {
        if (limit < 2) {
            throw new IllegalArgumentException("output limit must be >= 2 bytes, got " + limit);
        }
        head = new byte[limit / 2];
        tail = new byte[limit - limit / 2];
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        total += length;
        int toHead = Math.min(length, head.length - headSize);
        System.arraycopy(bytes, offset, head, headSize, toHead);
        headSize += toHead;
        offset += toHead;
        length -= toHead;
        if (length == 0) {
            return;
        }
        if (length >= tail.length) {
            System.arraycopy(bytes, offset + length - tail.length, tail, 0, tail.length);
            tailStart = 0;
            tailSize = tail.length;
            return;
        }
        int overflow = tailSize + length - tail.length;
        if (overflow > 0) {
            tailStart = (tailStart + overflow) % tail.length;
            tailSize -= overflow;
        }
        int at = (tailStart + tailSize) % tail.length;
        int first = Math.min(length, tail.length - at);
        System.arraycopy(bytes, offset, tail, at, first);
        System.arraycopy(bytes, offset + first, tail, 0, length - first);
        tailSize += length;
    }

    /** Bytes written in all, kept or not. */
    synchronized long total() {
        return total;
    }

    /** Bytes written but not kept. */
    synchronized long dropped() {
        return total - headSize - tailSize;
    }

    /**
     * The kept text without the lines cut at the gap where bytes were dropped, so that no line
     * in it is a fragment; the same as {@link #text()} when nothing was dropped.
     */
    synchronized String wholeLines() {
        String text = text();
        if (total == headSize + tailSize) {
            return text;
        }
        String headText = new String(head, 0, headSize, StandardCharsets.UTF_8);
        byte[] kept = new byte[tailSize];
        for (int i = 0; i < tailSize; i++) {
            kept[i] = tail[(tailStart + i) % tail.length];
        }
        String tailText = new String(kept, StandardCharsets.UTF_8);
        int headEnd = headText.lastIndexOf('\n');
        int tailStartLine = tailText.indexOf('\n');
        return (headEnd < 0 ? "" : headText.substring(0, headEnd + 1))
                + (tailStartLine < 0 ? "" : tailText.substring(tailStartLine + 1));
    }

    /** The kept text (UTF-8, malformed bytes replaced), with a note where bytes were dropped. */
    synchronized String text() {
        byte[] kept = new byte[headSize + tailSize];
        System.arraycopy(head, 0, kept, 0, headSize);
        for (int i = 0; i < tailSize; i++) {
            kept[headSize + i] = tail[(tailStart + i) % tail.length];
        }
        long dropped = total - kept.length;
        if (dropped == 0) {
            return new String(kept, StandardCharsets.UTF_8);
        }
        return new String(kept, 0, headSize, StandardCharsets.UTF_8)
                + "\n[... " + dropped + " bytes dropped]\n"
                + new String(kept, headSize, tailSize, StandardCharsets.UTF_8);
    }
}
