package dev.kaizen.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.provider.FakeServer.Received;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Anthropic's Messages API. */
class AnthropicProviderTest extends ProviderContractTest {

    /** A Messages stream, as Anthropic sends it with {@code "stream": true}. */
    private static final String STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    @Override
    Provider provider() {
        return Provider.ANTHROPIC;
    }

    @Override
    String model() {
        return "claude-sonnet-4-5";
    }

    @Override
    String basePath() {
        return "/v1";
    }

    @Override
    String chatPath() {
        return "/v1/messages";
    }

    @Override
    Optional<String> key() {
        return Optional.of("sk-ant-api03-TESTKEY-anthropic-abcdef");
    }

    private String message(String content, String usage) {
        return """
                {"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":%s,"stop_reason":"end_turn","stop_sequence":null%s}
                """.formatted(content, usage);
    }

    @Override
    String okBody(String text, int inputTokens, int outputTokens) {
        return message("[{\"type\":\"text\",\"text\":" + quote(text) + "}]",
                ",\"usage\":{\"input_tokens\":%d,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":%d,\"service_tier\":\"standard\"}"
                        .formatted(inputTokens, outputTokens));
    }

    @Override
    String okBodyWithoutUsage(String text) {
        return message("[{\"type\":\"text\",\"text\":" + quote(text) + "}]", "");
    }

    @Override
    String emptyBody() {
        return message("[]", ",\"usage\":{\"input_tokens\":20,\"output_tokens\":0}");
    }

    @Override
    String errorBody(int status, String message) {
        String type = switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":" + quote(message) + "}}";
    }

    @Override
    void assertRequest(Received r) {
        assertThat(r.header("x-api-key")).isEqualTo(key().orElseThrow());
        assertThat(r.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(r.header("authorization")).isNull();
        JsonNode j = r.json();
        assertThat(j.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(j.path("max_tokens").asInt()).isEqualTo(321);
        assertThat(j.path("temperature").asDouble()).isEqualTo(0.5);
        JsonNode system = j.path("system");
        String systemText = system.isArray() ? system.get(0).path("text").asText() : system.asText();
        assertThat(systemText).isEqualTo(REQUEST.system());
        assertThat(j.path("messages")).hasSize(1);
        JsonNode user = j.path("messages").get(0);
        assertThat(user.path("role").asText()).isEqualTo("user");
        JsonNode content = user.path("content");
        assertThat(content.isArray() ? content.get(0).path("text").asText() : content.asText()).isEqualTo(REQUEST.user());
    }

    @Test
    void anEventStreamIsRefusedAsNotOneReply() {
        assertEventStreamRefused(STREAM);
    }
}
