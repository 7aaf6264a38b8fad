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
import java.util.List;
import java.util.Map;
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

    /**
     * A reply streamed as Ollama streams it: a line per piece of text with {@code "done": false}, then, when
     * {@code done}, a last line with empty content, {@code "done": true} and the counters.
     */
    private static String ndjson(List<String> pieces, int inputTokens, int outputTokens, boolean done) {
        StringBuilder b = new StringBuilder();
        int second = 3;
        for (String p : pieces) {
            b.append("{\"model\":\"qwen2.5-coder:7b\",\"created_at\":\"2025-06-24T10:15:0").append(second++)
                    .append(".218817Z\",\"message\":{\"role\":\"assistant\",\"content\":").append(quote(p)).append("},\"done\":false}\n");
        }
        if (done) {
            b.append("{\"model\":\"qwen2.5-coder:7b\",\"created_at\":\"2025-06-24T10:15:09.218817Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},")
                    .append("\"done_reason\":\"stop\",\"done\":true,\"total_duration\":4883583458,\"load_duration\":1334875,")
                    .append("\"prompt_eval_count\":").append(inputTokens).append(",\"prompt_eval_duration\":342546000,")
                    .append("\"eval_count\":").append(outputTokens).append(",\"eval_duration\":4535599000}\n");
        }
        return b.toString();
    }

    private static Reply streamed(String body) {
        return new Reply(200, Map.of("Content-Type", "application/x-ndjson"), body, Duration.ZERO);
    }

    @Test
    void anNdjsonStreamIsAssembledIntoOneReply() {
        server.reply(streamed(ndjson(List.of("--- a/f\n", "+++ b/f\n", "\"quoted\" ünïcode"), 12, 34, true)));

        ChatReply reply = client().chat(REQUEST);

        assertThat(reply.text()).isEqualTo("--- a/f\n+++ b/f\n\"quoted\" ünïcode");
        assertThat(reply.usage()).isEqualTo(new Usage(12, 34));
        assertThat(server.count()).isEqualTo(1);
        assertRequest(server.last());
    }

    @Test
    void anNdjsonStreamThatBreaksOffIsRetriedLikeAServerErrorThenReported() {
        server.reply(streamed(ndjson(List.of("--- a/f\n", "+++ b"), 0, 0, false)));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.SERVER);
        assertThat(server.count()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo(where()
                + ": the streamed reply broke off before its end after 2 retries: no line with \"done\": true ended it (after 2 chunks, 13 characters of text)");
    }

    @Test
    void anNdjsonStreamThatBreaksOffSucceedsOnTheRetry() {
        String whole = ndjson(List.of("abc"), 5, 6, true);
        server.reply(streamed(whole.substring(0, whole.lastIndexOf("\"done\":true"))), streamed(whole));

        ChatReply reply = client().chat(REQUEST);

        assertThat(reply.text()).isEqualTo("abc");
        assertThat(reply.usage()).isEqualTo(new Usage(5, 6));
        assertThat(server.count()).isEqualTo(2);
    }

    @Test
    void anErrorLineInAnNdjsonStreamIsReported() {
        server.reply(streamed(ndjson(List.of("par"), 0, 0, false) + "{\"error\":\"model runner has unexpectedly stopped\"}\n"));

        LlmException e = failure(client(spec().withMaxRetries(0)));

        assertThat(e.kind()).isEqualTo(Kind.SERVER);
        assertThat(e.getMessage()).isEqualTo(where() + ": the server reported an error in its streamed reply: model runner has unexpectedly stopped");
    }

    @Test
    void anEventStreamFromOllamaIsRefused() {
        server.reply(OpenAiProviderTest.events(OpenAiProviderTest.eventStream(model(), List.of("x"), "stop", "", true)));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(server.count()).isEqualTo(1);
        assertThat(e.getMessage()).startsWith(where() + ": the server streamed its reply as an event stream (text/event-stream) although one reply was asked for");
    }
}
