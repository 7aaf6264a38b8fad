package dev.kaizen.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.provider.FakeServer.Received;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** OpenAI's chat completions API, with a reasoning model ({@code max_completion_tokens}, no temperature). */
class OpenAiProviderTest extends ProviderContractTest {

    @Override
    Provider provider() {
        return Provider.OPENAI;
    }

    @Override
    String model() {
        return "gpt-5-mini";
    }

    @Override
    String basePath() {
        return "/v1";
    }

    @Override
    String chatPath() {
        return "/v1/chat/completions";
    }

    @Override
    Optional<String> key() {
        return Optional.of("sk-proj-TESTKEY-openai-0123456789");
    }

    static String completion(String model, String content, String finish, String usage) {
        return """
                {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s,"refusal":null,"annotations":[]},
                   "logprobs":null,"finish_reason":"%s"}]%s,"service_tier":"default","system_fingerprint":null}
                """.formatted(model, content, finish, usage);
    }

    static String usage(int in, int out) {
        return """
                ,"usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,
                  "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
                  "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}"""
                .formatted(in, out, in + out);
    }

    @Override
    String okBody(String text, int inputTokens, int outputTokens) {
        return completion(model() + "-2025-08-07", quote(text), "stop", usage(inputTokens, outputTokens));
    }

    @Override
    String okBodyWithoutUsage(String text) {
        return completion(model(), quote(text), "stop", "");
    }

    @Override
    String emptyBody() {
        // a reasoning model that spent its whole budget thinking
        return completion(model(), "\"\"", "length", usage(20, 321));
    }

    @Override
    String errorBody(int status, String message) {
        String typeParamCode = switch (status) {
            case 401 -> "\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"";
            case 429 -> "\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"";
            case 400 -> "\"invalid_request_error\",\"param\":\"max_tokens\",\"code\":\"invalid_value\"";
            default -> "\"server_error\",\"param\":null,\"code\":null";
        };
        return "{\"error\":{\"message\":" + quote(message) + ",\"type\":" + typeParamCode + "}}";
    }

    @Override
    void assertRequest(Received r) {
        assertThat(r.header("authorization")).isEqualTo("Bearer " + key().orElseThrow());
        JsonNode j = r.json();
        assertThat(j.path("model").asText()).isEqualTo("gpt-5-mini");
        assertThat(j.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(j.path("messages").get(0).path("content").asText()).isEqualTo(REQUEST.system());
        assertThat(j.path("messages").get(1).path("role").asText()).isEqualTo("user");
        assertThat(j.path("messages").get(1).path("content").asText()).isEqualTo(REQUEST.user());
        assertThat(j.path("max_completion_tokens").asInt()).isEqualTo(321);
        assertThat(j.has("max_tokens")).isFalse();
        assertThat(j.has("temperature")).isFalse();
        assertThat(j.path("stream").asBoolean(false)).isFalse();
    }
}
