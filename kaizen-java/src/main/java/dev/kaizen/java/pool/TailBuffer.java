package dev.kaizen.java.pool;

import java.nio.charset.StandardCharsets;

/** Keeps the last bytes written to it, for quoting the end of a process's stderr. Thread-safe. */
final class TailBuffer {

    private final byte[] ring;
    private long written;

    TailBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.ring = new byte[capacity];
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) (written++ % ring.length)] = bytes[offset + i];
        }
    }

    /** What is kept, decoded as UTF-8, with a marker when the beginning was dropped. */
    synchronized String text() {
        int n = (int) Math.min(written, ring.length);
        byte[] out = new byte[n];
        long start = written - n;
        for (int i = 0; i < n; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        String s = new String(out, StandardCharsets.UTF_8);
        return written > ring.length ? "[...]" + s : s;
    }
}
