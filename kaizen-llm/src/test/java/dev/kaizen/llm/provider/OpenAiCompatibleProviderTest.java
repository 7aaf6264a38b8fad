package dev.kaizen.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.provider.FakeServer.Received;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** An OpenAI-compatible server (vLLM, llama.cpp, LM Studio) at its own base URL, reached without a key. */
class OpenAiCompatibleProviderTest extends ProviderContractTest {

    @Override
    Provider provider() {
        return Provider.OPENAI;
    }

    @Override
    String model() {
        return "qwen2.5-coder:7b";
    }

    @Override
    String basePath() {
        return "/v1/";
    }

    @Override
    String chatPath() {
        return "/v1/chat/completions";
    }

    @Override
    Optional<String> key() {
        return Optional.empty();
    }

    @Override
    String where() {
        return spec().label() + " at " + server.url("/v1");
    }

    @Override
    String okBody(String text, int inputTokens, int outputTokens) {
        return OpenAiProviderTest.completion(model(), quote(text), "stop", OpenAiProviderTest.usage(inputTokens, outputTokens));
    }

    @Override
    String okBodyWithoutUsage(String text) {
        return OpenAiProviderTest.completion(model(), quote(text), "stop", "");
    }

    @Override
    String emptyBody() {
        return OpenAiProviderTest.completion(model(), "null", "stop", OpenAiProviderTest.usage(20, 0));
    }

    @Override
    String errorBody(int status, String message) {
        // vLLM's shape: the OpenAI error object
        return "{\"error\":{\"message\":" + quote(message) + ",\"type\":\"BadRequestError\",\"param\":null,\"code\":" + status + "}}";
    }

    @Override
    void assertRequest(Received r) {
        assertThat(r.header("authorization")).isNull();
        JsonNode j = r.json();
        assertThat(j.path("model").asText()).isEqualTo("qwen2.5-coder:7b");
        assertThat(j.path("messages")).hasSize(2);
        assertThat(j.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(j.path("messages").get(1).path("content").asText()).isEqualTo(REQUEST.user());
        assertThat(j.path("max_tokens").asInt()).isEqualTo(321);
        assertThat(j.has("max_completion_tokens")).isFalse();
        assertThat(j.path("temperature").asDouble()).isEqualTo(0.5);
    }
}
