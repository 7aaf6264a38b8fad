package dev.kaizen.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.provider.FakeServer.Received;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Ollama's native {@code /api/chat}, non-streaming. */
class OllamaProviderTest extends ProviderContractTest {

    @Override
    Provider provider() {
        return Provider.OLLAMA;
    }

    @Override
    String model() {
        return "qwen2.5-coder:7b";
    }

    @Override
    String basePath() {
        return "";
    }

    @Override
    String chatPath() {
        return "/api/chat";
    }

    @Override
    Optional<String> key() {
        return Optional.empty();
    }

    private String chat(String content, String counts) {
        return """
                {"model":"qwen2.5-coder:7b","created_at":"2025-06-24T10:15:03.218817Z",
                 "message":{"role":"assistant","content":%s},"done_reason":"stop","done":true,
                 "total_duration":4883583458,"load_duration":1334875%s}
                """.formatted(content, counts);
    }

    @Override
    String okBody(String text, int inputTokens, int outputTokens) {
        return chat(quote(text), ",\"prompt_eval_count\":%d,\"prompt_eval_duration\":342546000,\"eval_count\":%d,\"eval_duration\":4535599000"
                .formatted(inputTokens, outputTokens));
    }

    @Override
    String okBodyWithoutUsage(String text) {
        return chat(quote(text), "");
    }

    @Override
    String emptyBody() {
        return chat("\"\"", ",\"prompt_eval_count\":20,\"eval_count\":1");
    }

    @Override
    String errorBody(int status, String message) {
        return "{\"error\":" + quote(message) + "}";
    }

    @Override
    void assertRequest(Received r) {
        assertThat(r.header("authorization")).isNull();
        JsonNode j = r.json();
        assertThat(j.path("model").asText()).isEqualTo("qwen2.5-coder:7b");
        assertThat(j.path("stream").asBoolean(true)).isFalse();
        assertThat(j.path("messages")).hasSize(2);
        assertThat(j.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(j.path("messages").get(0).path("content").asText()).isEqualTo(REQUEST.system());
        assertThat(j.path("messages").get(1).path("role").asText()).isEqualTo("user");
        assertThat(j.path("messages").get(1).path("content").asText()).isEqualTo(REQUEST.user());
        assertThat(j.path("options").path("num_predict").asInt()).isEqualTo(321);
        assertThat(j.path("options").path("temperature").asDouble()).isEqualTo(0.5);
    }
}
