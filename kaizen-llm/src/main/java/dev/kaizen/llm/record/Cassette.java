package dev.kaizen.llm.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The recorded exchanges of one run: a directory holding {@value #FILE_NAME}, one JSON object per
 * line, appended and flushed to disk ({@code fsync}) per exchange, so a run killed at any moment
 * loses at most the exchange being written. Opening a cassette keeps every complete line and cuts a
 * torn last line away; damage anywhere else is an error, never silently skipped.
 *
 * <p>A cassette opened with {@link #open} is locked for writing by this process until closed; one
 * opened with {@link #openReadOnly} is a snapshot for replay. Safe to use from many threads.
 */
public final class Cassette implements AutoCloseable {

    /** The file inside the cassette directory. */
    public static final String FILE_NAME = "exchanges.jsonl";

    /** The version written in every line ({@code "v"}). */
    public static final int FORMAT_VERSION = 1;

    /** Why an exchange failed: the failure's kind and its message, key-like strings removed. */
    public record Failure(LlmException.Kind kind, String message) {
        public Failure {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * One recorded exchange.
     *
     * @param seq       its position in the cassette, from 0
     * @param hash      {@link ChatRequest#hash(String)} of the request under {@code model}
     * @param model     the model label ({@code openai:gpt-5-mini})
     * @param request   the full request
     * @param reply     the reply's text; empty when the exchange failed
     * @param usage     tokens used; zero when the exchange failed
     * @param latencyMs wall time of the exchange in milliseconds
     * @param time      when the exchange started
     * @param failure   present when the exchange failed
     */
    public record Exchange(long seq, String hash, String model, ChatRequest request, String reply, Usage usage, long latencyMs,
                           Instant time, Optional<Failure> failure) {

        public Exchange {
            if (seq < 0) {
                throw new IllegalArgumentException("seq must not be negative, got " + seq);
            }
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(failure, "failure");
            if (latencyMs < 0) {
                throw new IllegalArgumentException("latencyMs must not be negative, got " + latencyMs);
            }
        }

        /** The id a ledger refers to: the sequence number, zero-padded, and the hash's first 12 digits ({@code 000042-3fa9c1d2e4b5}). */
        public String id() {
            return idOf(seq, hash);
        }

        public boolean ok() {
            return failure.isEmpty();
        }

        /** The reply as it was returned, for a successful exchange. */
        ChatReply toReply() {
            return new ChatReply(reply, usage, model, Duration.ofMillis(latencyMs));
        }

        /** The failure as it was thrown (kind and recorded message), for a failed exchange. */
        LlmException toException() {
            Failure f = failure.orElseThrow(() -> new IllegalStateException("exchange " + id() + " did not fail"));
            return new LlmException(f.kind(), f.message());
        }
    }

    /**
     * What a recording or replaying client returns: the exchange's id and either its reply or its failure.
     *
     * @param exchangeId the {@link Exchange#id()} to put in a ledger
     * @param reply      present when the exchange succeeded
     * @param failure    present when it failed
     */
    public record Recorded(String exchangeId, Optional<ChatReply> reply, Optional<LlmException> failure) {

        public Recorded {
            Objects.requireNonNull(exchangeId, "exchangeId");
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(failure, "failure");
            if (reply.isPresent() == failure.isPresent()) {
                throw new IllegalArgumentException("a recorded exchange has either a reply or a failure");
            }
        }

        public static Recorded ok(String exchangeId, ChatReply reply) {
            return new Recorded(exchangeId, Optional.of(reply), Optional.empty());
        }

        public static Recorded failed(String exchangeId, LlmException failure) {
            return new Recorded(exchangeId, Optional.empty(), Optional.of(failure));
        }

        /** The reply, or the failure thrown. */
        public ChatReply replyOrThrow() {
            if (failure.isPresent()) {
                throw failure.get();
            }
            return reply.orElseThrow();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final long droppedBytes;
    private final List<Exchange> exchanges;
    private boolean closed;

    private Cassette(Path file, FileChannel channel, FileLock lock, long droppedBytes, List<Exchange> exchanges) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.droppedBytes = droppedBytes;
        this.exchanges = exchanges;
    }

    /**
     * Opens (creating it if needed) the cassette in {@code dir} for recording: keeps its complete lines,
     * cuts a torn last line off the file, and appends after them.
     *
     * @throws IllegalStateException if another cassette holds the file, or a line other than the last is damaged
     * @throws UncheckedIOException  if the directory or file cannot be read or written
     */
    public static Cassette open(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("cassette " + file + " is already open for recording");
            }
            byte[] content = new byte[Math.toIntExact(channel.size())];
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
                // read until full
            }
            Parsed parsed = parse(content, file);
            if (parsed.validLength() < content.length) {
                channel.truncate(parsed.validLength());
                channel.force(true);
            }
            channel.position(parsed.validLength());
            return new Cassette(file, channel, lock, content.length - parsed.validLength(), new ArrayList<>(parsed.exchanges()));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot open cassette " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Reads the cassette in {@code dir} for replay, without locking or changing it; a torn last line is
     * left out. Recording into it fails.
     *
     * @throws IllegalArgumentException if {@code dir} holds no cassette
     * @throws IllegalStateException    if a line other than the last is damaged
     */
    public static Cassette openReadOnly(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no cassette in " + dir + " (expected " + FILE_NAME + ")");
        }
        try {
            byte[] content = Files.readAllBytes(file);
            Parsed parsed = parse(content, file);
            return new Cassette(file, null, null, content.length - parsed.validLength(), new ArrayList<>(parsed.exchanges()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cassette " + file + ": " + e.getMessage(), e);
        }
    }

    /** The JSON-lines file. */
    public Path file() {
        return file;
    }

    /** Bytes of a torn last line that opening the cassette left out (and, when opened for recording, cut off). */
    public long droppedBytes() {
        return droppedBytes;
    }

    /** Every exchange, in sequence order. */
    public synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    public synchronized int size() {
        return exchanges.size();
    }

    /** The exchange with this {@link Exchange#id()}. */
    public synchronized Optional<Exchange> find(String exchangeId) {
        int dash = exchangeId.indexOf('-');
        if (dash < 1) {
            return Optional.empty();
        }
        long seq;
        try {
            seq = Long.parseLong(exchangeId.substring(0, dash));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (seq < 0 || seq >= exchanges.size()) {
            return Optional.empty();
        }
        Exchange e = exchanges.get((int) seq);
        return e.id().equals(exchangeId) ? Optional.of(e) : Optional.empty();
    }

    /** Records a successful exchange of {@code model}. */
    Exchange appendReply(String model, ChatRequest request, ChatReply reply, Duration latency, Instant time) {
        return append(model, request, reply.text(), reply.usage(), latency, time, Optional.empty());
    }

    /** Records a failed exchange of {@code model}; key-like strings are removed from the message. */
    Exchange appendFailure(String model, ChatRequest request, LlmException.Kind kind, String message, Duration latency, Instant time) {
        String text = Redaction.scrub(message == null ? "" : message);
        return append(model, request, "", new Usage(0, 0), latency, time, Optional.of(new Failure(kind, text)));
    }

    private synchronized Exchange append(String model, ChatRequest request, String reply, Usage usage, Duration latency, Instant time,
                                         Optional<Failure> failure) {
        if (channel == null) {
            throw new IllegalStateException("cassette " + file + " was opened read-only; it cannot record");
        }
        if (closed) {
            throw new IllegalStateException("cassette " + file + " is closed");
        }
        Exchange e = new Exchange(exchanges.size(), request.hash(model), model, request, reply, usage, Math.max(0, latency.toMillis()), time, failure);
        byte[] line = toLine(e);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write exchange " + e.id() + " to cassette " + file + ": " + ex.getMessage(), ex);
        }
        exchanges.add(e);
        return e;
    }

    @Override
    public synchronized void close() {
        if (closed || channel == null) {
            closed = true;
            return;
        }
        closed = true;
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close cassette " + file + ": " + e.getMessage(), e);
        }
    }

    static String idOf(long seq, String hash) {
        return String.format(Locale.ROOT, "%06d-%s", seq, hash.substring(0, Math.min(12, hash.length())));
    }

    // ---- format ----

    private record Parsed(List<Exchange> exchanges, long validLength) {
    }

    private static Parsed parse(byte[] content, Path file) {
        List<Exchange> out = new ArrayList<>();
        int start = 0;
        int lineNo = 0;
        while (start < content.length) {
            int end = indexOf(content, (byte) '\n', start);
            lineNo++;
            if (end < 0) {
                // no newline: the write of this line was cut short
                return new Parsed(out, start);
            }
            String line = new String(content, start, end - start, StandardCharsets.UTF_8);
            boolean last = isBlank(content, end + 1, content.length);
            try {
                out.add(fromLine(line, out.size()));
            } catch (IllegalArgumentException e) {
                if (last) {
                    return new Parsed(out, start);
                }
                throw new IllegalStateException("cassette " + file + " is damaged at line " + lineNo + ": " + e.getMessage()
                        + "; only a torn last line is repaired", e);
            }
            start = end + 1;
        }
        return new Parsed(out, content.length);
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** True if {@code a[from, to)} holds only whitespace and NUL bytes (what a crash can leave after the last line). */
    private static boolean isBlank(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0 && a[i] != ' ' && a[i] != '\n' && a[i] != '\r' && a[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    static byte[] toLine(Exchange e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", FORMAT_VERSION);
        n.put("seq", e.seq());
        n.put("id", e.id());
        n.put("hash", e.hash());
        n.put("model", e.model());
        n.put("time", e.time().toString());
        n.put("latency_ms", e.latencyMs());
        ObjectNode r = n.putObject("request");
        r.put("system", e.request().system());
        r.put("user", e.request().user());
        r.put("max_output_tokens", e.request().maxOutputTokens());
        r.put("temperature", e.request().temperature());
        if (!e.request().proposal().isEmpty()) {
            r.put("proposal", e.request().proposal());
        }
        n.put("outcome", e.failure().map(f -> f.kind().name()).orElse("ok"));
        e.failure().ifPresent(f -> n.put("error", f.message()));
        n.put("reply", e.reply());
        ObjectNode u = n.putObject("usage");
        u.put("input_tokens", e.usage().inputTokens());
        u.put("output_tokens", e.usage().outputTokens());
        try {
            byte[] json = JSON.writeValueAsBytes(n);
            byte[] line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode exchange " + e.id() + ": " + ex.getMessage(), ex);
        }
    }

    /** Parses one line; {@link IllegalArgumentException} says what is wrong with it. */
    static Exchange fromLine(String line, long expectedSeq) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        long version = integer(n, "v");
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("format version " + version + ", this version reads " + FORMAT_VERSION);
        }
        long seq = integer(n, "seq");
        if (seq != expectedSeq) {
            throw new IllegalArgumentException("sequence number " + seq + ", expected " + expectedSeq);
        }
        JsonNode r = n.get("request");
        if (r == null || !r.isObject()) {
            throw new IllegalArgumentException("no request");
        }
        ChatRequest request;
        try {
            request = new ChatRequest(text(r, "system"), text(r, "user"), Math.toIntExact(integer(r, "max_output_tokens")), number(r, "temperature"),
                    r.has("proposal") ? text(r, "proposal") : "");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("max_output_tokens out of range", e);
        }
        String model = text(n, "model");
        String hash = text(n, "hash");
        if (!hash.equals(request.hash(model))) {
            throw new IllegalArgumentException("hash " + hash + " does not match its request");
        }
        JsonNode u = n.get("usage");
        if (u == null || !u.isObject()) {
            throw new IllegalArgumentException("no usage");
        }
        Usage usage = new Usage(integer(u, "input_tokens"), integer(u, "output_tokens"));
        Instant time;
        try {
            time = Instant.parse(text(n, "time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time is not an instant", e);
        }
        String outcome = text(n, "outcome");
        Optional<Failure> failure;
        if (outcome.equals("ok")) {
            failure = Optional.empty();
        } else {
            LlmException.Kind kind;
            try {
                kind = LlmException.Kind.valueOf(outcome);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown outcome '" + outcome + "'", e);
            }
            failure = Optional.of(new Failure(kind, text(n, "error")));
        }
        return new Exchange(seq, hash, model, request, text(n, "reply"), usage, integer(n, "latency_ms"), time, failure);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' missing or not a string");
        }
        return v.textValue();
    }

    private static long integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + field + "' missing or not an integer");
        }
        return v.longValue();
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("field '" + field + "' missing or not a number");
        }
        return v.doubleValue();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one reported
            }
        }
    }
}
