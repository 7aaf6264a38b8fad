package dev.kaizen.worker;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code System.out} and {@code System.err} candidates see. Both write into the current
 * candidate's {@link HeadTailBuffer}; between candidates, output (from threads a candidate left
 * behind, say) is dropped. The worker's protocol replies never pass through here.
 */
final class OutputCapture {

    private volatile HeadTailBuffer current;
    private final PrintStream out;
    private final PrintStream err;

    OutputCapture() {
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                HeadTailBuffer buffer = current;
                if (buffer != null) {
                    buffer.write(b, off, len);
                }
            }
        };
        out = new PrintStream(sink, true, StandardCharsets.UTF_8);
        err = new PrintStream(sink, true, StandardCharsets.UTF_8);
    }

    /** Makes these streams {@code System.out} and {@code System.err}. */
    OutputCapture install() {
        System.setOut(out);
        System.setErr(err);
        return this;
    }

    /** Starts capturing a candidate's output, keeping at most {@code limit} bytes. */
    void begin(int limit) {
        current = new HeadTailBuffer(limit);
    }

    /** What was captured since {@link #begin}, so far; capturing goes on. */
    String snapshot() {
        HeadTailBuffer buffer = current;
        return buffer == null ? "" : buffer.text();
    }

    /** Stops capturing and returns what was captured. */
    String end() {
        out.flush();
        err.flush();
        HeadTailBuffer buffer = current;
        current = null;
        return buffer == null ? "" : buffer.text();
    }
}
