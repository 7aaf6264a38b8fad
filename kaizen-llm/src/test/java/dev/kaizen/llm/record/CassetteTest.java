package dev.kaizen.llm.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CassetteTest {

    private static final ModelSpec MINI = ModelSpec.of(Provider.OPENAI, "gpt-5-mini");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T05:06:07.123Z"), ZoneOffset.UTC);

    @TempDir
    Path run;

    private Path dir() {
        return run.resolve("llm");
    }

    private static ChatRequest request(String user) {
        return new ChatRequest("You edit code.\nReply with a diff.", user, 256, 0.8);
    }

    @Test
    void recordsEveryExchangeAndReadsItBack() {
        ScriptedClient inner = new ScriptedClient(MINI, (n, r) -> {
            if (n == 1) {
                throw new LlmException(LlmException.Kind.RATE_LIMITED, "openai gpt-5-mini: 429 too many requests");
            }
            return new ChatReply("line one\nline \"two\" \u00e9\u4e2d", new Usage(120 + n, 40 + n), MINI.label(), Duration.ofMillis(5));
        });
        List<Cassette.Recorded> results = new ArrayList<>();
        try (Cassette c = Cassette.open(dir())) {
            RecordingClient client = new RecordingClient(inner, c, CLOCK);
            results.add(client.chatRecorded(request("task A")));
            results.add(client.chatRecorded(request("task B")));
            results.add(client.chatRecorded(request("task C\twith\ttabs")));
        }
        assertThat(results.get(0).reply()).isPresent();
        assertThat(results.get(1).failure()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.RATE_LIMITED));
        assertThat(results).extracting(Cassette.Recorded::exchangeId).doesNotHaveDuplicates();

        Cassette read = Cassette.openReadOnly(dir());
        List<Cassette.Exchange> ex = read.exchanges();
        assertThat(ex).hasSize(3);
        assertThat(read.droppedBytes()).isZero();
        Cassette.Exchange first = ex.get(0);
        assertThat(first.seq()).isZero();
        assertThat(first.id()).isEqualTo(results.get(0).exchangeId()).startsWith("000000-");
        assertThat(first.model()).isEqualTo("openai:gpt-5-mini");
        assertThat(first.hash()).isEqualTo(request("task A").hash("openai:gpt-5-mini"));
        assertThat(first.request()).isEqualTo(request("task A"));
        assertThat(first.reply()).isEqualTo("line one\nline \"two\" \u00e9\u4e2d");
        assertThat(first.usage()).isEqualTo(new Usage(120, 40));
        assertThat(first.time()).isEqualTo(CLOCK.instant());
        assertThat(first.ok()).isTrue();
        Cassette.Exchange failed = ex.get(1);
        assertThat(failed.ok()).isFalse();
        assertThat(failed.failure()).contains(new Cassette.Failure(LlmException.Kind.RATE_LIMITED, "openai gpt-5-mini: 429 too many requests"));
        assertThat(failed.usage()).isEqualTo(new Usage(0, 0));
        assertThat(ex.get(2).request().user()).isEqualTo("task C\twith\ttabs");
        assertThat(read.find(results.get(2).exchangeId())).contains(ex.get(2));
        assertThat(read.find("000002-000000000000")).isEmpty();
        assertThat(read.find("garbage")).isEmpty();
    }

    @Test
    void writesOneJsonObjectPerLineWithTheDocumentedFields() throws IOException {
        try (Cassette c = Cassette.open(dir())) {
            new RecordingClient(ScriptedClient.echo(MINI), c, CLOCK).chat(request("multi\nline\nprompt"));
        }
        List<String> lines = Files.readAllLines(dir().resolve(Cassette.FILE_NAME), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        JsonNode n = new ObjectMapper().readTree(lines.get(0));
        assertThat(n.get("v").asInt()).isEqualTo(1);
        assertThat(n.get("seq").asLong()).isZero();
        assertThat(n.get("outcome").asText()).isEqualTo("ok");
        assertThat(n.get("request").get("user").asText()).isEqualTo("multi\nline\nprompt");
        assertThat(n.get("request").get("max_output_tokens").asInt()).isEqualTo(256);
        assertThat(n.get("request").get("temperature").asDouble()).isEqualTo(0.8);
        assertThat(n.get("usage").get("input_tokens").asLong()).isEqualTo(10);
        assertThat(n.get("time").asText()).isEqualTo("2025-03-04T05:06:07.123Z");
        assertThat(n.has("latency_ms")).isTrue();
        assertThat(n.get("id").asText()).isEqualTo("000000-" + n.get("hash").asText().substring(0, 12));
    }

    @Test
    void keysNeverReachTheCassette() throws IOException {
        String key = "sk-proj-Qx7vLm29PzKw81TtYb40NcRr";
        Map<String, String> env = Map.of("KAIZEN_TEST_OPENAI_KEY", key);
        ModelSpec spec = MINI.withApiKeyEnv("KAIZEN_TEST_OPENAI_KEY");
        // a careless provider whose error echoes the request's headers and URL
        ScriptedClient inner = new ScriptedClient(spec, (n, r) -> {
            String k = env.get(spec.apiKeyEnv().orElseThrow());
            if (n == 0) {
                throw new LlmException(LlmException.Kind.AUTHENTICATION,
                        "401 from https://api.example.test/v1/chat?key=" + k + " headers {Authorization: Bearer " + k + ", x-api-key: " + k + "}");
            }
            return new ChatReply("ok", new Usage(1, 1), spec.label(), Duration.ZERO);
        });
        try (Cassette c = Cassette.open(dir())) {
            RecordingClient client = new RecordingClient(inner, c, CLOCK);
            assertThat(client.chatRecorded(request("a")).failure()).isPresent();
            client.chat(request("b"));
        }
        String text = Files.readString(dir().resolve(Cassette.FILE_NAME));
        assertThat(text).doesNotContain(key).doesNotContain("Qx7vLm29PzKw81TtYb40NcRr").doesNotContainPattern("sk-[A-Za-z0-9]{6,}");
        assertThat(text).contains("AUTHENTICATION").contains("[redacted]").doesNotContain("KAIZEN_TEST_OPENAI_KEY");
        assertThat(Cassette.openReadOnly(dir()).exchanges()).hasSize(2);
    }

    @Test
    void reopeningAfterAKillDropsATornLastLineAndContinues() throws IOException {
        try (Cassette c = Cassette.open(dir())) {
            RecordingClient client = new RecordingClient(ScriptedClient.echo(MINI), c, CLOCK);
            client.chat(request("one"));
            client.chat(request("two"));
        }
        Path file = dir().resolve(Cassette.FILE_NAME);
        byte[] complete = Files.readAllBytes(file);
        String secondLine = Files.readAllLines(file).get(1).replace("\"seq\":1", "\"seq\":2");
        // the process died in the middle of writing a third line
        Files.write(file, secondLine.substring(0, secondLine.length() / 2).getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        assertThat(Cassette.openReadOnly(dir()).exchanges()).hasSize(2);
        try (Cassette c = Cassette.open(dir())) {
            assertThat(c.exchanges()).extracting(Cassette.Exchange::seq).containsExactly(0L, 1L);
            assertThat(c.droppedBytes()).isEqualTo(secondLine.length() / 2);
            assertThat(Files.readAllBytes(file)).isEqualTo(complete);
            Cassette.Recorded third = new RecordingClient(ScriptedClient.echo(MINI), c, CLOCK).chatRecorded(request("three"));
            assertThat(third.exchangeId()).startsWith("000002-");
        }
        try (Cassette c = Cassette.open(dir())) {
            assertThat(c.exchanges()).extracting(e -> e.request().user()).containsExactly("one", "two", "three");
            assertThat(c.droppedBytes()).isZero();
        }
    }

    @Test
    void aCompleteButGarbledLastLineOrTrailingZerosAreDroppedToo() throws IOException {
        try (Cassette c = Cassette.open(dir())) {
            new RecordingClient(ScriptedClient.echo(MINI), c, CLOCK).chat(request("one"));
        }
        Path file = dir().resolve(Cassette.FILE_NAME);
        Files.write(file, "{\"v\":1,\"seq\":1,\"hash\":\"ab\0\0\0\n\0\0\0\0".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (Cassette c = Cassette.open(dir())) {
            assertThat(c.exchanges()).hasSize(1);
            assertThat(c.droppedBytes()).isPositive();
        }
        assertThat(Files.readString(file)).endsWith("}\n");
    }

    @Test
    void damageBeforeTheLastLineIsAnError() throws IOException {
        try (Cassette c = Cassette.open(dir())) {
            RecordingClient client = new RecordingClient(ScriptedClient.echo(MINI), c, CLOCK);
            client.chat(request("one"));
            client.chat(request("two"));
            client.chat(request("three"));
        }
        Path file = dir().resolve(Cassette.FILE_NAME);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).replace("reply 1 to two", "edited by hand"));
        Files.write(file, lines);
        // the reply is not part of the hash: the edit parses; an edited request does not
        assertThat(Cassette.openReadOnly(dir()).exchanges().get(1).reply()).isEqualTo("edited by hand");
        lines.set(1, lines.get(1).replace("\"user\":\"two\"", "\"user\":\"TWO\""));
        Files.write(file, lines);
        assertThatThrownBy(() -> Cassette.open(dir())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("line 2").hasMessageContaining("does not match its request");
        lines.set(1, "{not json");
        Files.write(file, lines);
        assertThatThrownBy(() -> Cassette.openReadOnly(dir())).isInstanceOf(IllegalStateException.class).hasMessageContaining("line 2");
        assertThat(Files.readAllLines(file)).hasSize(3);
    }

    @Test
    void theProposalIsKeptAndAnEditedOrMistypedOneIsAnError() throws IOException {
        try (Cassette c = Cassette.open(dir())) {
            RecordingClient client = new RecordingClient(ScriptedClient.echo(MINI), c, CLOCK);
            client.chat(request("one").forProposal("00000000000000aa.1"));
            client.chat(request("two"));
        }
        assertThat(Cassette.openReadOnly(dir()).exchanges()).extracting(e -> e.request().proposal()).containsExactly("00000000000000aa.1", "");
        Path file = dir().resolve(Cassette.FILE_NAME);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        assertThat(lines.get(0)).contains("\"proposal\":\"00000000000000aa.1\"");
        assertThat(lines.get(1)).doesNotContain("proposal");
        // the proposal is part of the hash: naming another proposal is caught
        lines.set(0, lines.get(0).replace("00000000000000aa.1", "00000000000000bb.1"));
        Files.write(file, lines);
        assertThatThrownBy(() -> Cassette.openReadOnly(dir())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("line 1").hasMessageContaining("does not match its request");
        lines.set(0, lines.get(0).replace("\"proposal\":\"00000000000000bb.1\"", "\"proposal\":7"));
        Files.write(file, lines);
        assertThatThrownBy(() -> Cassette.openReadOnly(dir())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("line 1").hasMessageContaining("'proposal'");
        assertThat(Files.readAllLines(file)).as("nothing was cut from the cassette").hasSize(2);
    }

    @Test
    void aCassetteIsRecordedByOneWriterAtATime() {
        try (Cassette c = Cassette.open(dir())) {
            assertThatThrownBy(() -> Cassette.open(dir())).isInstanceOf(IllegalStateException.class).hasMessageContaining("already open");
            assertThat(c.size()).isZero();
        }
        Cassette readOnly = Cassette.openReadOnly(dir());
        RecordingClient client = new RecordingClient(ScriptedClient.echo(MINI), readOnly);
        assertThatThrownBy(() -> client.chat(request("x"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
        assertThatThrownBy(() -> Cassette.openReadOnly(run.resolve("nowhere"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherExceptionsAreRecordedAsOtherAndRethrown() {
        ScriptedClient inner = new ScriptedClient(MINI, (n, r) -> {
            throw new IllegalStateException("bug in a provider");
        });
        try (Cassette c = Cassette.open(dir())) {
            RecordingClient client = new RecordingClient(inner, c, CLOCK);
            assertThatThrownBy(() -> client.chatRecorded(request("x"))).isInstanceOf(IllegalStateException.class).hasMessage("bug in a provider");
            assertThat(c.exchanges()).singleElement().satisfies(e ->
                    assertThat(e.failure()).hasValueSatisfying(f -> assertThat(f.kind()).isEqualTo(LlmException.Kind.OTHER)));
        }
    }

    @Test
    void concurrentRecordingKeepsEveryExchangeWithDistinctSequenceNumbers() throws Exception {
        int threads = 8;
        int each = 25;
        try (Cassette c = Cassette.open(dir()); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            RecordingClient client = new RecordingClient(ScriptedClient.echo(MINI), c, CLOCK);
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        ids.add(client.chatRecorded(request("t" + thread + " i" + i)).exchangeId());
                    }
                    return ids;
                }));
            }
            Set<String> ids = new HashSet<>();
            for (Future<List<String>> f : futures) {
                ids.addAll(f.get());
            }
            assertThat(ids).hasSize(threads * each);
        }
        List<Cassette.Exchange> read = Cassette.openReadOnly(dir()).exchanges();
        assertThat(read).hasSize(threads * each);
        assertThat(read).extracting(Cassette.Exchange::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, threads * each).boxed().toList());
    }
}
