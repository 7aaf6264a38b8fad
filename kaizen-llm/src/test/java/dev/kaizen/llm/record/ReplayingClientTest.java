package dev.kaizen.llm.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.Usage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayingClientTest {

    private static final ModelSpec MINI = ModelSpec.of(Provider.OPENAI, "gpt-5-mini");
    private static final ModelSpec HAIKU = ModelSpec.of(Provider.ANTHROPIC, "claude-haiku-4-5");

    @TempDir
    Path dir;

    private static ChatRequest request(String user) {
        return new ChatRequest("system rules", user, 512, 0.7);
    }

    private List<Cassette.Recorded> record(ScriptedClient inner, String... users) {
        List<Cassette.Recorded> out = new ArrayList<>();
        try (Cassette c = Cassette.open(dir)) {
            RecordingClient client = new RecordingClient(inner, c);
            for (String u : users) {
                out.add(client.chatRecorded(request(u)));
            }
        }
        return out;
    }

    @Test
    void replaysRepliesUsageAndIdsWithoutTheInnerClient() {
        List<Cassette.Recorded> recorded = record(ScriptedClient.echo(MINI), "a", "b");
        ReplayingClient replay = new ReplayingClient(Cassette.openReadOnly(dir), MINI);
        assertThat(replay.spec()).isEqualTo(MINI);
        Cassette.Recorded b = replay.chatRecorded(request("b"));
        Cassette.Recorded a = replay.chatRecorded(request("a"));
        assertThat(a.exchangeId()).isEqualTo(recorded.get(0).exchangeId());
        assertThat(b.exchangeId()).isEqualTo(recorded.get(1).exchangeId());
        ChatReply reply = a.replyOrThrow();
        assertThat(reply.text()).isEqualTo("reply 0 to a");
        assertThat(reply.usage()).isEqualTo(new Usage(10, 5));
        assertThat(reply.model()).isEqualTo(MINI.label());
        assertThat(b.replyOrThrow().text()).isEqualTo("reply 1 to b");
        assertThat(replay.remaining()).isZero();
    }

    @Test
    void repeatedIdenticalRequestsGetTheirRepliesInRecordedOrder() {
        record(ScriptedClient.echo(MINI), "same", "other", "same", "same");
        ReplayingClient replay = new ReplayingClient(Cassette.openReadOnly(dir), MINI);
        assertThat(replay.chat(request("same")).text()).isEqualTo("reply 0 to same");
        assertThat(replay.chat(request("same")).text()).isEqualTo("reply 2 to same");
        assertThat(replay.chat(request("other")).text()).isEqualTo("reply 1 to other");
        assertThat(replay.chat(request("same")).text()).isEqualTo("reply 3 to same");
        assertThatThrownBy(() -> replay.chat(request("same")))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.REPLAY_MISSING))
                .hasMessageContaining(request("same").hash(MINI.label()).substring(0, 12))
                .hasMessageContaining("recorded 3 times");
    }

    @Test
    void identicalPromptsOfDifferentProposalsGetTheirOwnRepliesWhateverTheOrder() {
        // proposals 7 and 8 ask the same; 8's reply arrived first when recording
        try (Cassette c = Cassette.open(dir)) {
            RecordingClient client = new RecordingClient(ScriptedClient.echo(MINI), c);
            client.chat(request("same").forProposal("8.1"));
            client.chat(request("same").forProposal("7.1"));
        }
        ReplayingClient replay = new ReplayingClient(Cassette.openReadOnly(dir), MINI);
        assertThat(replay.chat(request("same").forProposal("7.1")).text()).isEqualTo("reply 1 to same");
        assertThat(replay.chat(request("same").forProposal("8.1")).text()).isEqualTo("reply 0 to same");
        assertThat(replay.approximate()).isZero();
        assertThat(replay.remaining()).isZero();
        assertThat(Cassette.openReadOnly(dir).exchanges()).extracting(e -> e.request().proposal()).containsExactly("8.1", "7.1");
    }

    @Test
    void aPromptThatDiffersFromTheRecordingGetsItsProposalsReplyAndIsCounted() {
        try (Cassette c = Cassette.open(dir)) {
            RecordingClient client = new RecordingClient(ScriptedClient.echo(MINI), c);
            client.chat(request("parent ran in 41.2 ms").forProposal("a.1"));
            client.chat(request("parent ran in 40.9 ms").forProposal("b.1"));
        }
        ReplayingClient replay = new ReplayingClient(Cassette.openReadOnly(dir), MINI);
        assertThat(replay.chat(request("parent ran in 39.7 ms").forProposal("b.1")).text()).isEqualTo("reply 1 to parent ran in 40.9 ms");
        assertThat(replay.approximate()).isEqualTo(1);
        assertThat(replay.chat(request("parent ran in 41.2 ms").forProposal("a.1")).text()).isEqualTo("reply 0 to parent ran in 41.2 ms");
        assertThat(replay.approximate()).isEqualTo(1);
        // each recorded exchange is replayed once, by whichever match reaches it first
        assertThatThrownBy(() -> replay.chat(request("parent ran in 39.7 ms").forProposal("b.1")))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.REPLAY_MISSING));
        assertThatThrownBy(() -> replay.chat(request("parent ran in 41.2 ms").forProposal("c.1")))
                .hasMessageContaining("proposal (a.1)");
    }

    @Test
    void theProposalIsNotPartOfTheHashWhenThereIsNone() {
        assertThat(request("x").hash("m")).isEqualTo(new ChatRequest("system rules", "x", 512, 0.7, "").hash("m"));
        assertThat(request("x").forProposal("1.1").hash("m")).isNotEqualTo(request("x").hash("m"))
                .isNotEqualTo(request("x").forProposal("1.2").hash("m"));
    }

    @Test
    void recordedFailuresAreThrownAgainAsTheSameException() {
        ScriptedClient inner = new ScriptedClient(MINI, (n, r) -> {
            if (n == 0) {
                throw new LlmException(LlmException.Kind.TIMEOUT, "openai gpt-5-mini: no reply within 120 s");
            }
            return new ChatReply("second try", new Usage(3, 4), MINI.label(), Duration.ofMillis(1));
        });
        List<Cassette.Recorded> recorded = record(inner, "x", "x");
        ReplayingClient replay = new ReplayingClient(Cassette.openReadOnly(dir), MINI);
        Cassette.Recorded first = replay.chatRecorded(request("x"));
        assertThat(first.exchangeId()).isEqualTo(recorded.get(0).exchangeId());
        assertThat(first.failure()).hasValueSatisfying(e -> {
            assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT);
            assertThat(e.getMessage()).isEqualTo("openai gpt-5-mini: no reply within 120 s");
        });
        assertThat(replay.chat(request("x")).text()).isEqualTo("second try");
    }

    @Test
    void aMissingRequestNamesItsHashAndTheClosestRecordedRequest() {
        List<Cassette.Recorded> recorded = record(ScriptedClient.echo(MINI), "def f(): return 1", "class Totally { different }");
        ReplayingClient replay = new ReplayingClient(Cassette.openReadOnly(dir), MINI);
        ChatRequest asked = request("def f(): return 2");
        assertThatThrownBy(() -> replay.chat(asked))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.REPLAY_MISSING))
                .hasMessageContaining(asked.hash(MINI.label()).substring(0, 12))
                .hasMessageContaining("not in the cassette")
                .hasMessageContaining("closest recorded: exchange " + recorded.get(0).exchangeId())
                .hasMessageContaining("user (from character 16)");
        ChatRequest otherTokens = new ChatRequest("system rules", "class Totally { different }", 1024, 0.7);
        assertThatThrownBy(() -> replay.chat(otherTokens)).hasMessageContaining(recorded.get(1).exchangeId()).hasMessageContaining("max_output_tokens (512)");
    }

    @Test
    void theModelIsPartOfTheMatch() {
        record(ScriptedClient.echo(MINI), "a");
        ReplayingClient replay = new ReplayingClient(Cassette.openReadOnly(dir), HAIKU);
        assertThatThrownBy(() -> replay.chat(request("a")))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.REPLAY_MISSING))
                .hasMessageContaining("no exchange of this model (it holds openai:gpt-5-mini)")
                .hasMessageContaining("model (openai:gpt-5-mini)");
    }

    @Test
    void anEmptyCassetteSaysSo() {
        try (Cassette c = Cassette.open(dir)) {
            ReplayingClient replay = new ReplayingClient(c, MINI);
            assertThatThrownBy(() -> replay.chat(request("a"))).hasMessageContaining("which is empty");
        }
    }
}
