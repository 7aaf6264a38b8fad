package dev.kaizen.store;

import dev.kaizen.core.ledger.Ledger;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Ledger} in a JSON Lines file, one hash-chained entry per line:
 *
 * <pre>
 * {"seq":1,"time":"2025-01-01T00:00:00Z","type":"config","data":{...},"prev":"000…0","hash":"3f2a…"}
 * </pre>
 *
 * <p>{@code hash} is the SHA-256 of the line's own UTF-8 bytes up to and including the
 * {@code prev} field, closed with a brace instead of the hash field; {@code prev} is the hash of
 * the entry before (64 zeros for the first). Changing, removing or reordering any line therefore
 * breaks the chain, and {@link #verify(Path)} reports it with the line number. Cutting entries off
 * the end leaves a valid shorter chain: keep an anchor ({@link #head()} and {@link #size()}, e.g.
 * in the archive's meta) and check it with {@link #verify(Path, String, long)}.
 *
 * <p>Each entry is written with one positional write of the whole line, so killing the process
 * never leaves half an entry behind; an operating-system crash can, and {@link #open} then cuts
 * that torn last line away and says so in {@link #recoveredTornLine()}. Data maps are written with
 * their keys sorted; non-finite doubles are written as the strings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"}. One process appends at a time (the file is locked
 * while open); any process may {@link #read} or {@link #verify} it meanwhile. Thread-safe.
 */
public final class JsonlLedger implements Ledger {

    /** The {@code prev} of the first entry: 64 zeros. */
    public static final String GENESIS = LedgerLine.GENESIS;

    private static final int CHUNK = 64 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final InstantSource clock;
    private final long tornBytes;
    private final ReentrantLock lock = new ReentrantLock();

    private long size;
    private String head;
    private long end;
    private boolean closed;
    private String broken;

    private JsonlLedger(Path file, FileChannel channel, InstantSource clock, long size, String head, long end, long tornBytes) {
        this.file = file;
        this.channel = channel;
        this.clock = clock;
        this.size = size;
        this.head = head;
        this.end = end;
        this.tornBytes = tornBytes;
    }

    /**
     * Opens the ledger in {@code file} for appending, creating it (and its directory) when missing.
     * An existing ledger continues from its last entry; only that entry is read, so opening is fast
     * at any length (use {@link #verify} to check the whole chain). A torn last line (no newline:
     * a write cut off by a crash) is removed, see {@link #recoveredTornLine()}. A last line that is
     * complete but not a valid entry is not touched: opening fails, naming the line.
     */
    public static JsonlLedger open(Path file, InstantSource clock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        Path path = file.toAbsolutePath();
        FileChannel channel = null;
        try {
            Path dir = path.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held == null) {
                throw new IllegalStateException("ledger " + path + " is already open for appending by another process");
            }
            long length = channel.size();
            long torn = 0;
            if (length > 0 && byteAt(channel, length - 1) != '\n') {
                long complete = lastIndexOf(channel, length) + 1;
                torn = length - complete;
                channel.truncate(complete);
                channel.force(true);
                length = complete;
            }
            if (length == 0) {
                return new JsonlLedger(path, channel, clock, 0, GENESIS, 0, torn);
            }
            long start = lastIndexOf(channel, length - 1) + 1;
            byte[] last = read(channel, start, (int) (length - 1 - start));
            LedgerLine.Parsed parsed;
            try {
                parsed = LedgerLine.parse(last, last.length);
            } catch (LedgerLine.Malformed e) {
                throw new IllegalStateException("ledger " + path + ": line " + lineNumber(channel, start)
                        + " (the last) is not a ledger entry: " + e.getMessage()
                        + "; it is a complete line, so not a write cut off by a crash: inspect the file (kaizen verify) before appending");
            }
            if (!parsed.hashMatches()) {
                throw new IllegalStateException("ledger " + path + ": line " + lineNumber(channel, start)
                        + " (the last) does not match its hash: it was altered; inspect the file (kaizen verify) before appending");
            }
            return new JsonlLedger(path, channel, clock, parsed.entry().seq(), parsed.entry().hash(), length, torn);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IllegalStateException("ledger " + path + " is already open for appending in this process; close it first", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot open ledger " + path + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The ledger's file. */
    public Path file() {
        return file;
    }

    /** Whether {@link #open} found a torn last line (a write cut off by a crash) and removed it. */
    public boolean recoveredTornLine() {
        return tornBytes > 0;
    }

    /** How many bytes of a torn last line {@link #open} removed (0 when none). */
    public long recoveredTornBytes() {
        return tornBytes;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the type is blank or a data value is not a string,
     *     number, boolean, null, list or map with string keys (the message names the value's path)
     */
    @Override
    public long append(String type, Map<String, ?> data) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (type.isBlank()) {
            throw new IllegalArgumentException("a ledger entry needs a type");
        }
        Map<String, Object> safe = LedgerLine.jsonSafe(data);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("ledger " + file + " is closed");
            }
            if (broken != null) {
                throw new IllegalStateException("ledger " + file + " cannot be appended to: " + broken);
            }
            long seq = size + 1;
            LedgerLine.Encoded line = LedgerLine.encode(seq, clock.instant(), type, safe, head);
            ByteBuffer buffer = ByteBuffer.wrap(line.bytes());
            try {
                long at = end;
                while (buffer.hasRemaining()) {
                    at += channel.write(buffer, at);
                }
            } catch (IOException e) {
                try {
                    channel.truncate(end);
                } catch (IOException again) {
                    e.addSuppressed(again);
                    broken = "an earlier append failed and the file may end with part of a line (" + e
                            + "); reopen it to recover";
                }
                throw new StoreException("ledger " + file + ": cannot append entry " + seq + " (" + type + "): " + e, e);
            }
            end += line.bytes().length;
            size = seq;
            head = line.hash();
            return seq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc} Reads the file (all of it, once per call): meant for resuming, not for a hot path.
     */
    @Override
    public Optional<Map<String, Object>> last(String type) {
        lock.lock();
        try {
            List<LedgerEntry> entries = read(file);
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (entries.get(i).type().equals(type)) {
                    return Optional.of(entries.get(i).data());
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean readsBack() {
        return true;
    }

    @Override
    public String head() {
        lock.lock();
        try {
            return head;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the file and releases its lock. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            channel.close();
        } catch (IOException e) {
            throw new StoreException("cannot close ledger " + file + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "JsonlLedger[" + file + "]";
    }

    // ---------------------------------------------------------------- reading and verifying

    /**
     * Reads every entry, in file order, without checking the chain (use {@link #verify} for that).
     * A torn last line is skipped: the ledger may be being written. Fails, naming the line, on a
     * complete line that is not an entry.
     */
    public static List<LedgerEntry> read(Path file) {
        List<LedgerEntry> entries = new ArrayList<>();
        try (LineReader lines = new LineReader(file)) {
            while (lines.next()) {
                if (!lines.terminated()) {
                    break;
                }
                try {
                    entries.add(LedgerLine.parse(lines.bytes(), lines.length()).entry());
                } catch (LedgerLine.Malformed e) {
                    throw new StoreException("ledger " + file + ": line " + lines.number() + " is not a ledger entry: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot read ledger " + file + ": " + e, e);
        }
        return List.copyOf(entries);
    }

    /**
     * Checks the whole chain: every line parses, matches its own hash, follows the one before it
     * ({@code prev} and {@code seq}), and the last line is complete. Every problem is reported with
     * its line number. This cannot tell that entries were cut off the end; see
     * {@link #verify(Path, String, long)}.
     */
    public static LedgerVerification verify(Path file) {
        return verify(file, null, -1);
    }

    /**
     * Checks the chain as {@link #verify(Path)} does, and also that the entry number
     * {@code expectedSize} exists and has hash {@code expectedHead}: an anchor taken earlier from
     * {@link Ledger#size()} and {@link Ledger#head()}. Entries appended after the anchor are fine;
     * entries cut off before it ({@link LedgerVerification.Kind#TRUNCATED}) or a rewritten history
     * ({@link LedgerVerification.Kind#HEAD_MISMATCH}) are reported.
     */
    public static LedgerVerification verify(Path file, String expectedHead, long expectedSize) {
        Objects.requireNonNull(file, "file");
        boolean anchored = expectedHead != null;
        if (anchored) {
            if (!LedgerLine.isHex64(expectedHead)) {
                throw new IllegalArgumentException("an anchor head is 64 lowercase hex digits, got: " + expectedHead);
            }
            if (expectedSize < 0) {
                throw new IllegalArgumentException("an anchor size is >= 0, got " + expectedSize);
            }
            if (expectedSize == 0 && !expectedHead.equals(GENESIS)) {
                throw new IllegalArgumentException("an anchor of size 0 has the genesis head (64 zeros), got " + expectedHead);
            }
        }
        List<LedgerVerification.Problem> problems = new ArrayList<>();
        long entries = 0;
        String head = GENESIS;
        String prevHash = GENESIS;
        long prevLine = 0;
        long lastSeq = 0;
        boolean linked = true;
        long lineCount = 0;
        String anchorHash = null;
        long anchorLine = 0;
        try (LineReader lines = new LineReader(file)) {
            while (lines.next()) {
                long n = lines.number();
                lineCount = n;
                if (!lines.terminated()) {
                    problems.add(problem(n, LedgerVerification.Kind.TORN, "the last line is incomplete (" + lines.length()
                            + " bytes, no newline): a write was cut off; opening the ledger for appending removes it"));
                    break;
                }
                LedgerLine.Parsed parsed;
                try {
                    parsed = LedgerLine.parse(lines.bytes(), lines.length());
                } catch (LedgerLine.Malformed e) {
                    problems.add(problem(n, LedgerVerification.Kind.UNPARSABLE, "not a ledger entry: " + e.getMessage()));
                    linked = false;
                    continue;
                }
                LedgerEntry entry = parsed.entry();
                entries++;
                if (!parsed.hashMatches()) {
                    problems.add(problem(n, LedgerVerification.Kind.ALTERED,
                            "entry " + entry.seq() + " (" + entry.type() + ") does not match its hash: the line was altered"));
                }
                if (linked && entry.seq() != lastSeq + 1) {
                    String what = entry.seq() > lastSeq + 1
                            ? (entry.seq() == lastSeq + 2 ? "entry " + (lastSeq + 1) + " is missing"
                                    : "entries " + (lastSeq + 1) + " to " + (entry.seq() - 1) + " are missing")
                            : "it is out of order or repeated";
                    problems.add(problem(n, LedgerVerification.Kind.SEQUENCE,
                            "seq " + entry.seq() + (lastSeq == 0 ? " is first" : " follows seq " + lastSeq) + ": " + what));
                }
                if (linked && !entry.prev().equals(prevHash)) {
                    problems.add(problem(n, LedgerVerification.Kind.BROKEN_CHAIN, prevLine == 0
                            ? "entry " + entry.seq() + " is first but its prev is not the genesis value: lines before it were removed"
                            : "entry " + entry.seq() + "'s prev is not the hash of line " + prevLine
                                    + ": a line was removed, inserted or moved here, or a hash was rewritten"));
                }
                if (anchored && entry.seq() == expectedSize) {
                    anchorHash = entry.hash();
                    anchorLine = n;
                }
                prevHash = entry.hash();
                prevLine = n;
                lastSeq = entry.seq();
                head = entry.hash();
                linked = true;
            }
        } catch (IOException e) {
            throw new StoreException("cannot read ledger " + file + ": " + e, e);
        }
        if (anchored && expectedSize > 0) {
            if (anchorHash == null) {
                problems.add(problem(lineCount + 1, LedgerVerification.Kind.TRUNCATED, "the anchor records " + expectedSize
                        + " entries (head " + expectedHead + "), but the ledger "
                        + (lastSeq == 0 ? "has none" : "ends at entry " + lastSeq) + ": entries were cut off its end"));
            } else if (!anchorHash.equals(expectedHead)) {
                problems.add(problem(anchorLine, LedgerVerification.Kind.HEAD_MISMATCH, "entry " + expectedSize + " has hash "
                        + anchorHash + ", but the anchor records " + expectedHead + ": the ledger was rewritten"));
            }
        }
        problems.sort((a, b) -> Long.compare(a.line(), b.line()));
        return new LedgerVerification(problems.isEmpty(), entries, head, problems);
    }

    private static LedgerVerification.Problem problem(long line, LedgerVerification.Kind kind, String message) {
        return new LedgerVerification.Problem(line, kind, message);
    }

    /** Reads a file line by line as raw bytes, so hashes are computed over exactly what is stored. */
    private static final class LineReader implements AutoCloseable {
        private final InputStream in;
        private final byte[] chunk = new byte[CHUNK];
        private int chunkFill;
        private int chunkPos;
        private byte[] line = new byte[8 * 1024];
        private int length;
        private boolean terminated;
        private long number;

        LineReader(Path file) throws IOException {
            this.in = Files.newInputStream(file);
        }

        /** Advances to the next line; false at the end of the file. */
        boolean next() throws IOException {
            length = 0;
            while (true) {
                if (chunkPos == chunkFill) {
                    chunkFill = in.read(chunk);
                    chunkPos = 0;
                    if (chunkFill <= 0) {
                        chunkFill = 0;
                        terminated = false;
                        if (length > 0) {
                            number++;
                            return true;
                        }
                        return false;
                    }
                }
                int from = chunkPos;
                int nl = -1;
                for (int i = from; i < chunkFill; i++) {
                    if (chunk[i] == '\n') {
                        nl = i;
                        break;
                    }
                }
                int stop = nl < 0 ? chunkFill : nl;
                append(from, stop - from);
                if (nl >= 0) {
                    chunkPos = nl + 1;
                    terminated = true;
                    number++;
                    return true;
                }
                chunkPos = chunkFill;
            }
        }

        private void append(int from, int count) {
            if (length + count > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
            }
            System.arraycopy(chunk, from, line, length, count);
            length += count;
        }

        byte[] bytes() {
            return line;
        }

        int length() {
            return length;
        }

        boolean terminated() {
            return terminated;
        }

        long number() {
            return number;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    // ---------------------------------------------------------------- file plumbing

    private static byte byteAt(FileChannel channel, long position) throws IOException {
        return read(channel, position, 1)[0];
    }

    private static byte[] read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        return buffer.array();
    }

    /** The position of the last newline before {@code before}, or -1 when there is none. */
    private static long lastIndexOf(FileChannel channel, long before) throws IOException {
        long chunkEnd = before;
        while (chunkEnd > 0) {
            long chunkStart = Math.max(0, chunkEnd - CHUNK);
            byte[] chunk = read(channel, chunkStart, (int) (chunkEnd - chunkStart));
            for (int i = chunk.length - 1; i >= 0; i--) {
                if (chunk[i] == '\n') {
                    return chunkStart + i;
                }
            }
            chunkEnd = chunkStart;
        }
        return -1;
    }

    /** The 1-based number of the line starting at {@code position}. */
    private static long lineNumber(FileChannel channel, long position) throws IOException {
        long lines = 1;
        for (long at = 0; at < position; at += CHUNK) {
            byte[] chunk = read(channel, at, (int) Math.min(CHUNK, position - at));
            for (byte b : chunk) {
                if (b == '\n') {
                    lines++;
                }
            }
        }
        return lines;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already failing with a better message
        }
    }
}
