package dev.kaizen.llm.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaizen.llm.LlmException.Kind;
import dev.kaizen.llm.Provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a reply that a server streamed, although one reply was asked for, into the single JSON response
 * of the provider's non-streaming protocol, before LangChain4j parses it. Some OpenAI-compatible servers
 * and proxies answer with Server-Sent Events ({@code text/event-stream}: {@code data:} lines holding
 * {@code chat.completion.chunk} objects, then {@code data: [DONE]}); Ollama's {@code /api/chat} streams
 * NDJSON ({@code application/x-ndjson}: one object a line, the last with {@code "done": true}). These are
 * assembled: the text deltas concatenated, the finish reason and the token counts taken from the chunks
 * that carry them. Anthropic's and Gemini's streams, and a stream in another provider's format, are
 * refused with a clear error rather than assembled.
 *
 * <p>Failures, as a {@link Broken} that {@link Failures} turns into an {@link dev.kaizen.llm.LlmException}
 * naming the provider and model:
 * <ul>
 *   <li>a stream that breaks off before its end marker: {@link Kind#SERVER}, so it is retried like a 5xx
 *       (the server was cut off mid-reply; another attempt may complete);</li>
 *   <li>an error object inside the stream: the kind of its HTTP status when it carries one
 *       ({@code error.code} or {@code error.status}), else {@link Kind#SERVER};</li>
 *   <li>a chunk that is not a JSON object, before the end: {@link Kind#MALFORMED};</li>
 *   <li>a stream that is refused: {@link Kind#MALFORMED}, not retried, since the server would stream again.</li>
 * </ul>
 * Stateless; every method is thread-safe.
 */
final class StreamedReplies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamedReplies() {
    }

    /** How a reply was streamed. */
    enum Format {
        /** Server-Sent Events, {@code text/event-stream}. */
        EVENTS("an event stream (text/event-stream)"),
        /** One JSON object a line, {@code application/x-ndjson}. */
        NDJSON("NDJSON (application/x-ndjson)");

        private final String description;

        Format(String description) {
            this.description = description;
        }
    }

    /** A streamed reply that cannot be made into one: what happened, for {@link Failures#map}. */
    static final class Broken extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final Kind kind;
        private final String what;
        private final String detail;

        Broken(Kind kind, String what, String detail) {
            super(what + (detail.isEmpty() ? "" : ": " + detail));
            this.kind = Objects.requireNonNull(kind, "kind");
            this.what = Objects.requireNonNull(what, "what");
            this.detail = Objects.requireNonNull(detail, "detail");
        }

        Kind kind() {
            return kind;
        }

        String what() {
            return what;
        }

        String detail() {
            return detail;
        }
    }

    /**
     * The body LangChain4j should parse: {@code body} itself when it is not a stream, else the assembled
     * non-streaming response of {@code provider}.
     *
     * @param contentType the response's {@code Content-Type}, if any
     * @param key         removed from every message
     * @throws Broken when the stream broke off, carries an error, is malformed, or is not one {@code provider} assembles
     */
    static String whole(Provider provider, Optional<String> contentType, String body, ApiKey key) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(key, "key");
        if (body == null) {
            return null;
        }
        Optional<Format> format = format(contentType, body);
        if (format.isEmpty()) {
            return body;
        }
        if (provider == Provider.OPENAI && format.get() == Format.EVENTS) {
            return openAi(body, key);
        }
        if (provider == Provider.OLLAMA && format.get() == Format.NDJSON) {
            return ollama(body, key);
        }
        throw new Broken(Kind.MALFORMED, "the server streamed its reply as " + format.get().description + " although one reply was asked for",
                "Kaizen reads " + provider.id() + " replies whole and assembles no " + (format.get() == Format.EVENTS ? "event" : "NDJSON")
                        + " stream for this provider; point base_url at a server or proxy that answers non-streaming requests with one reply");
    }

    /**
     * The stream format of a response: by its {@code Content-Type}, or, for an event stream a proxy
     * mislabelled, by a body whose first line is an SSE field ({@code data:}, {@code event:}). A body that
     * is one JSON object labelled as an event stream is taken as the JSON it is.
     */
    static Optional<Format> format(Optional<String> contentType, String body) {
        String media = contentType.map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)).orElse("");
        String first = body.stripLeading();
        if (media.equals("text/event-stream")) {
            return first.startsWith("{") ? Optional.empty() : Optional.of(Format.EVENTS);
        }
        if (media.equals("application/x-ndjson") || media.equals("application/ndjson")) {
            return Optional.of(Format.NDJSON);
        }
        return first.startsWith("data:") || first.startsWith("event:") ? Optional.of(Format.EVENTS) : Optional.empty();
    }

    /** One server-sent event: its type ({@code message} when unnamed) and its data lines joined with {@code \n}. */
    record Event(String type, String data) {
    }

    /** The events of an SSE body, in order; an event the body ends in without a blank line is included. */
    static List<Event> events(String body) {
        List<Event> out = new ArrayList<>();
        String type = "message";
        StringBuilder data = null;
        for (String line : body.split("\r\n|\r|\n", -1)) {
            if (line.isEmpty()) {
                if (data != null) {
                    out.add(new Event(type, data.toString()));
                }
                type = "message";
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue; // a comment, sent to keep the connection open
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            } else if (field.equals("event")) {
                type = value;
            }
        }
        if (data != null) {
            out.add(new Event(type, data.toString()));
        }
        return out;
    }

    /** An OpenAI {@code chat.completion} assembled from its {@code chat.completion.chunk} events. */
    private static String openAi(String body, ApiKey key) {
        List<Event> events = events(body);
        StringBuilder content = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        ObjectNode head = JSON.createObjectNode();
        int chunks = 0;
        boolean done = false;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            String data = e.data().strip();
            if (data.equals("[DONE]")) {
                done = true;
                break;
            }
            if (data.isEmpty()) {
                continue;
            }
            Optional<JsonNode> parsed = object(data);
            if (parsed.isEmpty()) {
                if (i == events.size() - 1) {
                    break; // the last chunk was cut off: the stream broke off
                }
                throw malformed("chunk " + (chunks + 1) + " is not a JSON object: " + key.redact(clip(data)));
            }
            JsonNode chunk = parsed.get();
            if (chunk.hasNonNull("error") || e.type().equals("error")) {
                throw error(chunk, key);
            }
            chunks++;
            for (String field : List.of("id", "created", "model", "system_fingerprint")) {
                if (!head.has(field) && chunk.hasNonNull(field)) {
                    head.set(field, chunk.get(field));
                }
            }
            for (JsonNode choice : chunk.path("choices")) {
                if (choice.path("index").asInt(0) != 0) {
                    continue;
                }
                JsonNode delta = choice.path("delta");
                if (delta.path("content").isTextual()) {
                    content.append(delta.get("content").asText());
                }
                if (choice.path("finish_reason").isTextual()) {
                    finish = choice.get("finish_reason").asText();
                }
            }
            if (chunk.path("usage").isObject()) {
                usage = chunk.get("usage");
            }
        }
        if (!done) {
            throw brokenOff("no 'data: [DONE]' line ended it", chunks, content.length());
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("object", "chat.completion");
        out.setAll(head);
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content.toString());
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        if (usage != null) {
            out.set("usage", usage);
        }
        return out.toString();
    }

    /** Ollama's final {@code /api/chat} object with the whole text in {@code message.content}. */
    private static String ollama(String body, ApiKey key) {
        List<String> lines = body.lines().filter(l -> !l.isBlank()).toList();
        StringBuilder content = new StringBuilder();
        JsonNode last = null;
        int chunks = 0;
        for (int i = 0; i < lines.size(); i++) {
            Optional<JsonNode> parsed = object(lines.get(i));
            if (parsed.isEmpty()) {
                if (i == lines.size() - 1) {
                    break; // the last line was cut off: the stream broke off
                }
                throw malformed("line " + (i + 1) + " is not a JSON object: " + key.redact(clip(lines.get(i))));
            }
            JsonNode line = parsed.get();
            if (line.hasNonNull("error")) {
                throw error(line, key);
            }
            chunks++;
            if (line.path("message").path("content").isTextual()) {
                content.append(line.path("message").get("content").asText());
            }
            if (line.path("done").asBoolean(false)) {
                last = line;
                break;
            }
        }
        if (last == null) {
            throw brokenOff("no line with \"done\": true ended it", chunks, content.length());
        }
        ObjectNode out = last.deepCopy();
        ObjectNode message = out.putObject("message");
        message.put("role", last.path("message").path("role").asText("assistant"));
        message.put("content", content.toString());
        return out.toString();
    }

    private static Optional<JsonNode> object(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static Broken brokenOff(String why, int chunks, int chars) {
        return new Broken(Kind.SERVER, "the streamed reply broke off before its end",
                why + " (after " + chunks + (chunks == 1 ? " chunk" : " chunks") + ", " + chars + " characters of text)");
    }

    private static Broken malformed(String detail) {
        return new Broken(Kind.MALFORMED, "malformed streamed reply", detail);
    }

    /** The error object a stream carried, with the kind of its HTTP status when it names one. */
    private static Broken error(JsonNode chunk, ApiKey key) {
        JsonNode err = chunk.path("error");
        int status = 0;
        for (String field : List.of("code", "status")) {
            JsonNode v = err.path(field);
            if (v.isIntegralNumber() && v.canConvertToInt() || v.isTextual() && v.asText().strip().matches("\\d{3}")) {
                status = v.isTextual() ? Integer.parseInt(v.asText().strip()) : v.asInt();
                break;
            }
        }
        boolean http = status >= 400 && status < 600;
        return new Broken(http ? Failures.kindOf(status) : Kind.SERVER,
                "the server reported an error in its streamed reply" + (http ? " (status " + status + ")" : ""),
                key.redact(Failures.errorMessage(chunk.toString())));
    }

    private static String clip(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 200 ? one : one.substring(0, 200) + "...";
    }
}
