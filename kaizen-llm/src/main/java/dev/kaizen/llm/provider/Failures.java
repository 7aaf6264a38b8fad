package dev.kaizen.llm.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.LlmException.Kind;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Maps whatever LangChain4j or the HTTP layer threw to an {@link LlmException} with a {@link Kind}. */
final class Failures {

    private static final int DETAIL_LIMIT = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Failures() {
    }

    /**
     * @param where   {@code openai:gpt-5-mini at https://api.openai.com/v1}
     * @param timeout the request timeout, for messages
     * @param key     removed from every message
     */
    static LlmException map(RuntimeException e, String where, Duration timeout, ApiKey key) {
        List<Throwable> chain = chain(e);
        for (Throwable t : chain) {
            if (t instanceof HttpStatusException hs) {
                int s = hs.statusCode();
                return failure(kindOf(s), where, describe(s), key.redact(errorMessage(hs.body())), hs.retryAfter().orElse(null), e);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof StreamedReplies.Broken b) {
                return failure(b.kind(), where, b.what(), key.redact(b.detail()), null, e);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof TimeoutException || t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return failure(Kind.TIMEOUT, where, "timed out (no reply within " + timeout.toMillis() + " ms)", "", null, e);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof InterruptedException) {
                return failure(Kind.OTHER, where, "interrupted", "", null, e);
            }
            if (t instanceof JsonProcessingException jp) {
                return failure(Kind.MALFORMED, where, "malformed reply (not valid JSON)",
                        key.redact(clip(String.valueOf(jp.getOriginalMessage()))), null, e);
            }
            if (t instanceof ConnectException) {
                String detail = t.getMessage() == null || t.getMessage().isBlank()
                        ? "nothing accepts connections there (is the server running, and is base_url right?)"
                        : key.redact(clip(t.getMessage()));
                return failure(Kind.OTHER, where, "cannot connect", detail, null, e);
            }
            if (t instanceof UnresolvedModelServerException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return failure(Kind.OTHER, where, "cannot resolve the server's address", "", null, e);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof IOException io) {
                return failure(Kind.SERVER, where, "connection failed", key.redact(clip(io.getClass().getSimpleName()
                        + (io.getMessage() == null ? "" : ": " + io.getMessage()))), null, e);
            }
        }
        // LangChain4j's typed exceptions, should a path throw them without an HTTP status
        Kind k = e instanceof AuthenticationException ? Kind.AUTHENTICATION
                : e instanceof ModelNotFoundException ? Kind.NOT_FOUND
                : e instanceof RateLimitException ? Kind.RATE_LIMITED
                : e instanceof InternalServerException ? Kind.SERVER
                : e instanceof InvalidRequestException || e instanceof IllegalArgumentException ? Kind.BAD_REQUEST
                : e instanceof NullPointerException || e instanceof ClassCastException || e instanceof IndexOutOfBoundsException ? Kind.MALFORMED
                : Kind.OTHER;
        String what = switch (k) {
            case MALFORMED -> "malformed reply (fields the provider's API defines are missing or of the wrong type)";
            case BAD_REQUEST -> "invalid request";
            default -> "failed";
        };
        return failure(k, where, what, key.redact(clip(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))), null, e);
    }

    static LlmException failure(Kind kind, String where, String what, String detail, Duration retryAfter, Throwable cause) {
        Failure f = new Failure(where, what, detail, retryAfter, cause);
        return new LlmException(kind, f.message(0), f);
    }

    static Kind kindOf(int status) {
        if (status == 401 || status == 403) {
            return Kind.AUTHENTICATION;
        }
        if (status == 404) {
            return Kind.NOT_FOUND;
        }
        if (status == 408) {
            return Kind.TIMEOUT;
        }
        if (status == 429) {
            return Kind.RATE_LIMITED;
        }
        if (status >= 500) {
            return Kind.SERVER;
        }
        return status >= 400 ? Kind.BAD_REQUEST : Kind.OTHER;
    }

    static String describe(int status) {
        String what = switch (status) {
            case 400 -> "bad request";
            case 401 -> "authentication failed";
            case 403 -> "permission denied";
            case 404 -> "not found";
            case 408 -> "request timed out";
            case 429 -> "rate limited";
            default -> status >= 500 ? "server error" : status >= 400 ? "request rejected" : "unexpected status";
        };
        return what + " (" + status + ")";
    }

    /**
     * The provider's own message from an error body: {@code error.message} (OpenAI, Anthropic, Gemini),
     * {@code error} as a string (Ollama), {@code message}; else the body, clipped.
     */
    static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null) {
                JsonNode err = n.get("error");
                if (err != null && err.isObject() && err.path("message").isTextual()) {
                    return clip(err.get("message").asText());
                }
                if (err != null && err.isTextual()) {
                    return clip(err.asText());
                }
                if (n.path("message").isTextual()) {
                    return clip(n.get("message").asText());
                }
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through: the raw body
        }
        return clip(body.strip());
    }

    private static String clip(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= DETAIL_LIMIT ? one : one.substring(0, DETAIL_LIMIT) + "...";
    }

    private static List<Throwable> chain(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t) && out.size() < 32; t = t.getCause()) {
            out.add(t);
        }
        return out;
    }
}
