package dev.kaizen.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaizen.llm.LlmException.Kind;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.provider.StreamedReplies.Event;
import dev.kaizen.llm.provider.StreamedReplies.Format;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** How streamed bodies are recognised, split into events and assembled; the providers' tests cover them end to end. */
class StreamedRepliesTest {

    private static final String JSON_BODY = "{\"id\":\"x\",\"choices\":[]}";

    @Test
    void aStreamIsRecognisedByItsContentTypeOrAnSseFirstLine() {
        assertThat(StreamedReplies.format(Optional.of("text/event-stream"), "")).contains(Format.EVENTS);
        assertThat(StreamedReplies.format(Optional.of("Text/Event-Stream; charset=utf-8"), "")).contains(Format.EVENTS);
        assertThat(StreamedReplies.format(Optional.of("application/x-ndjson"), "")).contains(Format.NDJSON);
        assertThat(StreamedReplies.format(Optional.of("application/json"), "\n data: {}\n\n")).contains(Format.EVENTS);
        assertThat(StreamedReplies.format(Optional.empty(), "event: ping\ndata: {}\n\n")).contains(Format.EVENTS);
        assertThat(StreamedReplies.format(Optional.of("application/json; charset=utf-8"), JSON_BODY)).isEmpty();
        assertThat(StreamedReplies.format(Optional.of("text/event-stream"), JSON_BODY)).as("one JSON object, mislabelled").isEmpty();
        assertThat(StreamedReplies.format(Optional.empty(), "{\"done\":true}\n")).isEmpty();
    }

    @Test
    void aBodyThatIsNoStreamPassesUnchanged() {
        for (Provider p : Provider.values()) {
            assertThat(StreamedReplies.whole(p, Optional.of("application/json"), JSON_BODY, ApiKey.NONE)).isSameAs(JSON_BODY);
        }
    }

    @Test
    void eventsFollowTheSseRules() {
        String body = ": comment\n\nevent: error\ndata: first\ndata:second\nid: 7\n\r\ndata: [DONE]";

        assertThat(StreamedReplies.events(body)).containsExactly(new Event("error", "first\nsecond"), new Event("message", "[DONE]"));
    }

    @Test
    void theAssembledCompletionTakesTheFinishReasonOfTheLastChunkThatHasOneAndOnlyTheFirstChoice() throws Exception {
        String body = """
                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null},{"index":1,"delta":{"content":"X"}}]}

                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"b"},"finish_reason":"length"}]}

                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{},"finish_reason":null}],"usage":null}

                data: [DONE]

                data: {"ignored":"after the end"}

                """;

        JsonNode out = FakeServer.JSON.readTree(StreamedReplies.whole(Provider.OPENAI, Optional.of("text/event-stream"), body, ApiKey.NONE));

        assertThat(out.path("object").asText()).isEqualTo("chat.completion");
        assertThat(out.path("id").asText()).isEqualTo("c");
        assertThat(out.path("choices")).hasSize(1);
        assertThat(out.path("choices").get(0).path("message").path("content").asText()).isEqualTo("ab");
        assertThat(out.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
        assertThat(out.has("usage")).isFalse();
    }

    @Test
    void aStreamInAnotherProvidersFormatIsRefused() {
        StreamedReplies.Broken b = catchThrowableOfType(StreamedReplies.Broken.class,
                () -> StreamedReplies.whole(Provider.OPENAI, Optional.of("application/x-ndjson"), "{\"done\":true}\n", ApiKey.NONE));

        assertThat(b.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(b.what()).isEqualTo("the server streamed its reply as NDJSON (application/x-ndjson) although one reply was asked for");
    }
}
