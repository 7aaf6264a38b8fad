package dev.kaizen.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.LlmException.Kind;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.Usage;
import dev.kaizen.llm.provider.FakeServer.Received;
import dev.kaizen.llm.provider.FakeServer.Reply;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * A chat completion streamed as OpenAI streams it: a chunk with the role, a chunk per piece of text, a
     * chunk with {@code finish} (null for none), a chunk with {@code usage} (empty for none), then {@code data: [DONE]} when
     * {@code done}; events end with a blank line.
     */
    static String eventStream(String model, List<String> pieces, String finish, String usage, boolean done) {
        List<String> deltas = new ArrayList<>();
        deltas.add("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}");
        pieces.forEach(p -> deltas.add("{\"content\":" + quote(p) + "}"));
        StringBuilder b = new StringBuilder();
        for (String delta : deltas) {
            b.append(chunk(model, "[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":null}]", "null"));
        }
        if (finish != null) {
            b.append(chunk(model, "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"" + finish + "\"}]", "null"));
        }
        if (!usage.isEmpty()) {
            b.append(chunk(model, "[]", usage.substring(usage.indexOf(':') + 1)));
        }
        return done ? b.append("data: [DONE]\n\n").toString() : b.toString();
    }

    private static String chunk(String model, String choices, String usage) {
        return "data: {\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,"
                + "\"model\":\"" + model + "\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_4a0f4d6a3c\",\"choices\":" + choices
                + ",\"usage\":" + usage.replace("\n", "").strip() + "}\n\n";
    }

    /** A 200 answer streamed as Server-Sent Events. */
    static Reply events(String body) {
        return new Reply(200, Map.of("Content-Type", "text/event-stream; charset=utf-8"), body, Duration.ZERO);
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

    @Test
    void anEventStreamIsAssembledIntoOneReply() {
        server.reply(events(eventStream(model() + "-2025-08-07", List.of("--- a/f\n", "+++ b/f\n", "done"), "stop", usage(12, 34), true)));

        ChatReply reply = client().chat(REQUEST);

        assertThat(reply.text()).isEqualTo("--- a/f\n+++ b/f\ndone");
        assertThat(reply.usage()).isEqualTo(new Usage(12, 34));
        assertThat(server.count()).isEqualTo(1);
        assertRequest(server.last());
    }

    @Test
    void anEventStreamWithoutTextIsAnEmptyReplyWithTheLastFinishReason() {
        // a reasoning model that spent its whole budget thinking, streamed
        server.reply(events(eventStream(model(), List.of(), "length", usage(20, 321), true)));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.EMPTY);
        assertThat(e.getMessage()).isEqualTo(where() + ": the model returned an empty reply (finish reason LENGTH)");
        assertThat(server.count()).isEqualTo(1);
    }

    @Test
    void anErrorInAnEventStreamNeverShowsTheKey() {
        String k = key().orElseThrow();
        server.reply(events(eventStream(model(), List.of("partial"), "stop", "", false)
                + "data: {\"error\":{\"message\":\"Incorrect API key provided: " + k + ".\",\"type\":\"invalid_request_error\",\"code\":401}}\n\n"));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(server.count()).isEqualTo(1);
        assertThat(e.getMessage()).isEqualTo(where() + ": the server reported an error in its streamed reply (status 401): Incorrect API key provided: [redacted].");
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(t.getMessage()).doesNotContain(k);
            assertThat(t.toString()).doesNotContain(k);
        }
    }
}
