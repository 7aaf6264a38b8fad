package dev.kaizen.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.provider.FakeServer.Received;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Google's Gemini API, {@code models/{model}:generateContent}. */
class GeminiProviderTest extends ProviderContractTest {

    /** A stream as Gemini sends it from {@code streamGenerateContent?alt=sse}. */
    private static final String STREAM = """
            data: {"candidates":[{"content":{"parts":[{"text":"Hello"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":1,"totalTokenCount":10},"modelVersion":"gemini-2.5-flash"}

            data: {"candidates":[{"content":{"parts":[{"text":" world"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":2,"totalTokenCount":11},"modelVersion":"gemini-2.5-flash"}

            """;

    @Override
    Provider provider() {
        return Provider.GEMINI;
    }

    @Override
    String model() {
        return "gemini-2.5-flash";
    }

    @Override
    String basePath() {
        return "/v1beta";
    }

    @Override
    String chatPath() {
        return "/v1beta/models/gemini-2.5-flash:generateContent";
    }

    @Override
    Optional<String> key() {
        return Optional.of("AIzaSyTESTKEY-gemini-0123456789abcdef");
    }

    private static String response(String candidate, String usage) {
        return """
                {"candidates":[%s]%s,"modelVersion":"gemini-2.5-flash","responseId":"mT9aaPq2Eu2Wz7IP0ZbNoQI"}
                """.formatted(candidate, usage);
    }

    private static String textCandidate(String text) {
        return "{\"content\":{\"parts\":[{\"text\":" + quote(text) + "}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}";
    }

    @Override
    String okBody(String text, int inputTokens, int outputTokens) {
        return response(textCandidate(text),
                ",\"usageMetadata\":{\"promptTokenCount\":%d,\"candidatesTokenCount\":%d,\"totalTokenCount\":%d,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":%d}]}"
                        .formatted(inputTokens, outputTokens, inputTokens + outputTokens, inputTokens));
    }

    @Override
    String okBodyWithoutUsage(String text) {
        return response(textCandidate(text), "");
    }

    @Override
    String emptyBody() {
        // a candidate whose only part is empty text, as sent when the output budget ran out while thinking
        return response("{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":\"MAX_TOKENS\",\"index\":0}",
                ",\"usageMetadata\":{\"promptTokenCount\":20,\"totalTokenCount\":341,\"thoughtsTokenCount\":321}");
    }

    @Override
    String errorBody(int status, String message) {
        String state = switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        };
        return "{\"error\":{\"code\":" + status + ",\"message\":" + quote(message) + ",\"status\":\"" + state + "\"}}";
    }

    @Override
    void assertRequest(Received r) {
        assertThat(r.header("x-goog-api-key")).isEqualTo(key().orElseThrow());
        assertThat(r.query() == null ? "" : r.query()).doesNotContain(key().orElseThrow());
        JsonNode j = r.json();
        assertThat(j.path("systemInstruction").path("parts").get(0).path("text").asText()).isEqualTo(REQUEST.system());
        assertThat(j.path("contents")).hasSize(1);
        assertThat(j.path("contents").get(0).path("role").asText()).isEqualTo("user");
        assertThat(j.path("contents").get(0).path("parts").get(0).path("text").asText()).isEqualTo(REQUEST.user());
        assertThat(j.path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(321);
        assertThat(j.path("generationConfig").path("temperature").asDouble()).isEqualTo(0.5);
    }

    @Test
    void anEventStreamIsRefusedAsNotOneReply() {
        assertEventStreamRefused(STREAM);
    }
}
