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

import static dev.kaizen.llm.provider.OpenAiProviderTest.eventStream;
import static dev.kaizen.llm.provider.OpenAiProviderTest.events;
import static dev.kaizen.llm.provider.OpenAiProviderTest.usage;
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

    // a server or proxy that streams although one reply was asked for

    @Test
    void anEventStreamIsAssembledIntoOneReply() {
        server.reply(events(eventStream(model(), List.of("--- a/f\n", "+++ b/f\n", "\"quoted\" ünïcode"), "stop", usage(12, 34), true)));

        ChatReply reply = client().chat(REQUEST);

        assertThat(reply.text()).isEqualTo("--- a/f\n+++ b/f\n\"quoted\" ünïcode");
        assertThat(reply.usage()).isEqualTo(new Usage(12, 34));
        assertThat(reply.model()).isEqualTo("openai:qwen2.5-coder:7b");
        assertThat(server.count()).isEqualTo(1);
        assertRequest(server.last());
    }

    @Test
    void anEventStreamWithoutUsageHasItsUsageEstimated() {
        server.reply(events(eventStream(model(), List.of("x".repeat(25), "x".repeat(15)), "stop", "", true)));

        ChatReply reply = client().chat(REQUEST);

        long inputChars = REQUEST.system().length() + REQUEST.user().length();
        assertThat(reply.text()).isEqualTo("x".repeat(40));
        assertThat(reply.usage()).isEqualTo(new Usage((inputChars + 3) / 4, 10));
    }

    @Test
    void anEventStreamWithCrLfLinesCommentsAndMultiLineDataIsAssembled() {
        String body = ": keep-alive\r\n\r\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\r\n"
                + "data: \"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\r\n\r\n"
                + "data:{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\r\n\r\n"
                + "data: [DONE]\r\n\r\n";
        server.reply(events(body));

        ChatReply reply = client().chat(REQUEST);

        assertThat(reply.text()).isEqualTo("ab");
        assertThat(reply.usage()).isEqualTo(new Usage(3, 2));
    }

    @Test
    void anEventStreamLabelledAsJsonIsStillAssembled() {
        server.reply(Reply.json(200, eventStream(model(), List.of("fine"), "stop", usage(3, 4), true)));

        assertThat(client().chat(REQUEST).text()).isEqualTo("fine");
    }

    @Test
    void anEventStreamThatBreaksOffIsRetriedLikeAServerErrorThenReported() {
        // cut off in the middle of the text: no finish reason, no usage, no end
        server.reply(events(eventStream(model(), List.of("--- a/f\n", "+++ b"), null, "", false)));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.SERVER);
        assertThat(server.count()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo(where()
                + ": the streamed reply broke off before its end after 2 retries: no 'data: [DONE]' line ended it (after 3 chunks, 13 characters of text)");
        assertThat(sleeps).containsExactly(Duration.ofMillis(75), Duration.ofMillis(150));
    }

    @Test
    void anEventStreamCutInTheMiddleOfAChunkBreaksOff() {
        String whole = eventStream(model(), List.of("abc"), "stop", "", true);
        server.reply(events(whole.substring(0, whole.indexOf("abc") + 2)));

        LlmException e = failure(client(spec().withMaxRetries(0)));

        assertThat(e.kind()).isEqualTo(Kind.SERVER);
        assertThat(e.getMessage()).isEqualTo(where() + ": the streamed reply broke off before its end: no 'data: [DONE]' line ended it (after 1 chunk, 0 characters of text)");
    }

    @Test
    void anEventStreamThatBreaksOffSucceedsOnTheRetry() {
        server.reply(events(eventStream(model(), List.of("half"), "stop", "", false)),
                events(eventStream(model(), List.of("whole"), "stop", usage(5, 6), true)));

        ChatReply reply = client().chat(REQUEST);

        assertThat(reply.text()).isEqualTo("whole");
        assertThat(reply.usage()).isEqualTo(new Usage(5, 6));
        assertThat(server.count()).isEqualTo(2);
    }

    @Test
    void anErrorInAnEventStreamIsReportedWithTheKindOfItsStatus() {
        // vLLM's shape of an error inside a stream, followed by its end
        server.reply(events(eventStream(model(), List.of("par"), "stop", "", false)
                + "data: {\"error\":{\"object\":\"error\",\"message\":\"This model's maximum context length is 32768 tokens\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}\n\n"
                + "data: [DONE]\n\n"));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(server.count()).isEqualTo(1);
        assertThat(e.getMessage()).isEqualTo(where() + ": the server reported an error in its streamed reply (status 400): This model's maximum context length is 32768 tokens");
    }

    @Test
    void anErrorWithoutStatusInAnEventStreamIsAServerError() {
        server.reply(events("data: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"),
                events(eventStream(model(), List.of("ok"), "stop", "", true)));

        ChatReply reply = client().chat(REQUEST);

        assertThat(reply.text()).isEqualTo("ok");
        assertThat(server.count()).isEqualTo(2);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void aChunkThatIsNotJsonBeforeTheEndIsMalformed() {
        server.reply(events("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\ndata: <html>oops</html>\n\ndata: [DONE]\n\n"));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(server.count()).isEqualTo(1);
        assertThat(e.getMessage()).isEqualTo(where() + ": malformed streamed reply: chunk 2 is not a JSON object: <html>oops</html>");
    }
}
