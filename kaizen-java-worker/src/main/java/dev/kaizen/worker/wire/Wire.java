package dev.kaizen.worker.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The framing shared by the host and its worker JVMs: each message is a one-byte tag followed by
 * its fields, written with {@link DataOutputStream}. Strings are a length and UTF-8 bytes (no
 * 64 KiB limit), lists and maps are a count and their elements. Readers reject absurd counts so a
 * corrupted stream fails fast instead of allocating gigabytes.
 */
public final class Wire {

    /** Host to worker: {@link Setup}. */
    public static final byte SETUP = 1;
    /** Host to worker: {@link EvaluateRequest}. */
    public static final byte EVALUATE = 2;
    /** Host to worker: finish and exit. */
    public static final byte SHUTDOWN = 3;
    /** Worker to host: {@link Ready}. */
    public static final byte READY = 10;
    /** Worker to host: {@link EvaluateResponse}. */
    public static final byte RESULT = 11;
    /**
     * Worker to host: the worker could not understand a message, or could not start; a string
     * (as {@link #writeString} writes it) saying why follows, and the worker exits with status 2.
     */
    public static final byte PROTOCOL_ERROR = 12;

    static final int MAX_STRING = 64 << 20;
    static final int MAX_COUNT = 1 << 20;

    private Wire() {}

    public static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    public static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRING) {
            throw new IOException("corrupt stream: string of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    public static void writeStrings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            writeString(out, s);
        }
    }

    public static List<String> readStrings(DataInputStream in) throws IOException {
        int n = count(in);
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readString(in));
        }
        return Collections.unmodifiableList(list);
    }

    public static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    public static Map<String, String> readMap(DataInputStream in) throws IOException {
        int n = count(in);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(readString(in), readString(in));
        }
        return Collections.unmodifiableMap(map);
    }

    public static void writeLongs(DataOutputStream out, long[] values) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    public static long[] readLongs(DataInputStream in) throws IOException {
        long[] values = new long[count(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new IOException("corrupt stream: count of " + n);
        }
        return n;
    }

    /** Reads the next tag, or -1 at a clean end of stream. */
    public static int readTag(DataInputStream in) throws IOException {
        try {
            return in.readUnsignedByte();
        } catch (EOFException e) {
            return -1;
        }
    }
}
