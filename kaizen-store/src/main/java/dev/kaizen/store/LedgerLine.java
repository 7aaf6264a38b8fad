package dev.kaizen.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The text form of one ledger entry, shared by writing, reading and verifying. A line is
 *
 * <pre>
 * {"seq":N,"time":"T","type":"X","data":{...},"prev":"P","hash":"H"}
 * </pre>
 *
 * followed by a newline, where H is the SHA-256 (lowercase hex) of the UTF-8 bytes of the line up
 * to and including the prev field, closed with a single brace instead of the hash field: the entry
 * as a JSON object without its hash. Verification strips the fixed-length hash suffix from the
 * line's own bytes and hashes what is left; nothing is re-serialised, so no canonicalisation can
 * differ between writer and verifier.
 */
final class LedgerLine {

    /** The {@code prev} of the first entry. */
    static final String GENESIS = "0".repeat(64);

    private static final byte[] HASH_FIELD = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
    /** {@code ,"hash":"} + 64 hex digits + {@code "}}. */
    static final int SUFFIX_LENGTH = HASH_FIELD.length + 64 + 2;
    private static final Set<String> FIELDS = Set.of("seq", "time", "type", "data", "prev");
    private static final int MAX_DEPTH = 64;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {};
    private static final HexFormat HEX = HexFormat.of();

    private LedgerLine() {}

    /** An encoded entry: the bytes to append (newline included) and the entry's hash. */
    record Encoded(byte[] bytes, String hash) {}

    /** A parsed line: the entry (with the hash the line states) and whether that hash is the content's. */
    record Parsed(LedgerEntry entry, boolean hashMatches) {}

    /** A line that is not a ledger entry, and why. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Encodes an entry whose data has already been made JSON-safe by {@link #jsonSafe}. */
    static Encoded encode(long seq, Instant time, String type, Map<String, Object> data, String prev) {
        String body = "{\"seq\":" + seq
                + ",\"time\":" + json(time.toString())
                + ",\"type\":" + json(type)
                + ",\"data\":" + json(data)
                + ",\"prev\":\"" + prev + "\"";
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        String hash = hash(bodyBytes, bodyBytes.length);
        byte[] line = new byte[bodyBytes.length + SUFFIX_LENGTH + 1];
        System.arraycopy(bodyBytes, 0, line, 0, bodyBytes.length);
        int at = bodyBytes.length;
        System.arraycopy(HASH_FIELD, 0, line, at, HASH_FIELD.length);
        at += HASH_FIELD.length;
        byte[] hex = hash.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(hex, 0, line, at, hex.length);
        at += hex.length;
        line[at++] = '"';
        line[at++] = '}';
        line[at] = '\n';
        return new Encoded(line, hash);
    }

    /** Parses the first {@code length} bytes of {@code line} (its newline excluded). */
    static Parsed parse(byte[] line, int length) throws Malformed {
        int bodyLength = length - SUFFIX_LENGTH;
        if (bodyLength < 1 || !hasHashSuffix(line, length)) {
            throw new Malformed("it does not end with a \"hash\" field of 64 hex digits");
        }
        String stated = new String(line, bodyLength + HASH_FIELD.length, 64, StandardCharsets.US_ASCII);
        byte[] object = new byte[bodyLength + 1];
        System.arraycopy(line, 0, object, 0, bodyLength);
        object[bodyLength] = '}';
        Map<String, Object> fields;
        try {
            fields = JSON.readValue(object, OBJECT);
        } catch (IOException e) {
            throw new Malformed("it is not a JSON object: " + firstLine(e.getMessage()));
        }
        if (fields == null || !fields.keySet().equals(FIELDS)) {
            throw new Malformed("its fields are " + (fields == null ? "none" : fields.keySet()) + ", expected " + List.of("seq", "time", "type", "data", "prev", "hash"));
        }
        long seq = switch (fields.get("seq")) {
            case Integer i -> i;
            case Long l -> l;
            case null, default -> throw new Malformed("its seq is not an integer: " + fields.get("seq"));
        };
        if (seq < 1) {
            throw new Malformed("its seq is " + seq + ", but entries count from 1");
        }
        if (!(fields.get("time") instanceof String timeText)) {
            throw new Malformed("its time is not a string");
        }
        Instant time;
        try {
            time = Instant.parse(timeText);
        } catch (DateTimeParseException e) {
            throw new Malformed("its time is not an ISO-8601 instant: " + timeText);
        }
        if (!(fields.get("type") instanceof String type)) {
            throw new Malformed("its type is not a string");
        }
        if (!(fields.get("data") instanceof Map<?, ?> rawData)) {
            throw new Malformed("its data is not an object");
        }
        if (!(fields.get("prev") instanceof String prev) || !isHex64(prev)) {
            throw new Malformed("its prev is not 64 lowercase hex digits");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) rawData;
        boolean matches = hash(object, bodyLength).equals(stated);
        return new Parsed(new LedgerEntry(seq, time, type, data, prev, stated), matches);
    }

    /** SHA-256 hex of {@code body[0, length)} followed by a closing brace. */
    private static String hash(byte[] body, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(body, 0, length);
            digest.update((byte) '}');
            return HEX.formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static boolean hasHashSuffix(byte[] line, int length) {
        int start = length - SUFFIX_LENGTH;
        for (int i = 0; i < HASH_FIELD.length; i++) {
            if (line[start + i] != HASH_FIELD[i]) {
                return false;
            }
        }
        for (int i = start + HASH_FIELD.length; i < length - 2; i++) {
            byte b = line[i];
            if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
                return false;
            }
        }
        return line[length - 2] == '"' && line[length - 1] == '}';
    }

    static boolean isHex64(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A copy of {@code data} that serialises deterministically: maps sorted by key, collections as
     * lists, non-finite doubles as the strings "NaN", "Infinity" and "-Infinity". Fails, naming the
     * path (e.g. {@code data.parents[0]}), on a value that is not a string, number, boolean, null,
     * list or map with string keys.
     */
    static Map<String, Object> jsonSafe(Map<String, ?> data) {
        @SuppressWarnings("unchecked")
        Map<String, Object> safe = (Map<String, Object>) jsonSafe(data, "data", 0);
        return safe;
    }

    private static Object jsonSafe(Object value, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(path + " is nested more than " + MAX_DEPTH + " levels deep (a cycle?)");
        }
        return switch (value) {
            case null -> null;
            case String s -> s;
            case CharSequence s -> s.toString();
            case Boolean b -> b;
            case Double d -> Double.isFinite(d) ? d : nonFinite(d);
            case Float f -> Float.isFinite(f) ? f : nonFinite(f);
            case Integer i -> i;
            case Long l -> l;
            case Short s -> s;
            case Byte b -> b;
            case BigInteger i -> i;
            case BigDecimal d -> d;
            case Map<?, ?> map -> {
                TreeMap<String, Object> copy = new TreeMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException(path + " has a key that is not a string: " + e.getKey());
                    }
                    copy.put(key, jsonSafe(e.getValue(), path + "." + key, depth + 1));
                }
                yield copy;
            }
            case Collection<?> list -> {
                List<Object> copy = new ArrayList<>(list.size());
                int i = 0;
                for (Object v : list) {
                    copy.add(jsonSafe(v, path + "[" + i++ + "]", depth + 1));
                }
                yield copy;
            }
            default -> throw new IllegalArgumentException(path + " is a " + value.getClass().getName()
                    + "; ledger data holds strings, numbers, booleans, null, lists and maps only (convert it, e.g. with toString())");
        };
    }

    private static String nonFinite(double d) {
        return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write ledger value as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
