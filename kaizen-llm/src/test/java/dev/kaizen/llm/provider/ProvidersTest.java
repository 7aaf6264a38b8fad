package dev.kaizen.llm.provider;

import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmClient;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.LlmException.Kind;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.provider.FakeServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ProvidersTest {

    static final ChatRequest REQUEST = new ChatRequest("sys", "user", 64, 1.5);
    static final String OPENAI_OK = OpenAiProviderTest.completion("m", "\"hi\"", "stop", OpenAiProviderTest.usage(1, 1));

    static LlmException construction(ModelSpec spec, Map<String, String> env) {
        return catchThrowableOfType(LlmException.class, () -> Providers.client(spec, env::get));
    }

    @Test
    void theOfficialOpenAiEndpointNeedsAKeyAndSaysWhichVariable() {
        LlmException e = construction(ModelSpec.of(Provider.OPENAI, "gpt-5-mini"), Map.of());

        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(e.getMessage()).isEqualTo("openai:gpt-5-mini at https://api.openai.com/v1: no API key: environment variable OPENAI_API_KEY is not set");
    }

    @Test
    void anthropicAndGeminiNeedKeysFromTheConfiguredSource(@TempDir Path dir) {
        LlmException anthropic = construction(ModelSpec.of(Provider.ANTHROPIC, "claude-sonnet-4-5").withApiKeyEnv("MY_ANTHROPIC"), Map.of("OTHER", "x"));
        assertThat(anthropic.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(anthropic.getMessage()).contains("anthropic:claude-sonnet-4-5").contains("MY_ANTHROPIC");

        Path missing = dir.resolve("gemini.key");
        ModelSpec gemini = new ModelSpec(Provider.GEMINI, "gemini-2.5-pro", Optional.empty(), Optional.empty(), Optional.of(missing), 32_768, 1024,
                Duration.ofSeconds(5), 0, 0.7);
        LlmException e = construction(gemini, Map.of("GEMINI_API_KEY", "not used when a file is named"));
        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("gemini:gemini-2.5-pro").contains(missing.toString()).contains("does not exist");
    }

    @Test
    void anExplicitlyConfiguredButUnsetKeyIsAnErrorEvenForALocalServer() {
        LlmException e = construction(ModelSpec.of(Provider.OPENAI, "local").withBaseUrl(java.net.URI.create("http://127.0.0.1:9/v1"))
                .withApiKeyEnv("VLLM_KEY"), Map.of());

        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("VLLM_KEY");
    }

    @Test
    void theKeyFileFirstLineIsTrimmedAndSent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("key");
        Files.writeString(file, "  sk-from-file-123 \nsecond line\n");
        try (FakeServer server = FakeServer.start()) {
            server.reply(Reply.json(200, OPENAI_OK));
            ModelSpec spec = new ModelSpec(Provider.OPENAI, "gpt-4.1", Optional.of(server.url("/v1")), Optional.empty(), Optional.of(file),
                    32_768, 1024, Duration.ofSeconds(5), 0, 0.7);

            LlmClient c = Providers.client(spec, Map.<String, String>of()::get);
            c.chat(REQUEST);

            assertThat(server.last().header("authorization")).isEqualTo("Bearer sk-from-file-123");
            assertThat(c.toString()).doesNotContain("sk-from-file-123");
            // a non-reasoning OpenAI model gets max_tokens and the temperature
            assertThat(server.last().json().path("max_tokens").asInt()).isEqualTo(64);
            assertThat(server.last().json().path("temperature").asDouble()).isEqualTo(1.5);
        }
    }

    @Test
    void anOllamaKeyIsSentAsABearerToken() {
        try (FakeServer server = FakeServer.start()) {
            server.reply(Reply.json(200, "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"done\":true}"));
            ModelSpec spec = ModelSpec.of(Provider.OLLAMA, "m").withBaseUrl(server.url("")).withApiKeyEnv("OLLAMA_KEY");

            Providers.client(spec, Map.of("OLLAMA_KEY", "proxy-secret")::get).chat(REQUEST);

            assertThat(server.last().header("authorization")).isEqualTo("Bearer proxy-secret");
        }
    }

    @Test
    void anthropicTemperatureIsCappedAtOne() {
        try (FakeServer server = FakeServer.start()) {
            server.reply(Reply.json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"c\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],"
                    + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}"));
            ModelSpec spec = ModelSpec.of(Provider.ANTHROPIC, "c").withBaseUrl(server.url("/v1")).withApiKeyEnv("K");

            Providers.client(spec, Map.of("K", "k")::get).chat(REQUEST);

            assertThat(server.last().json().path("temperature").asDouble()).isEqualTo(1.0);
        }
    }

    @Test
    void aServerThatIsNotThereCannotBeConnectedToAndIsNotRetried() {
        java.net.URI url;
        try (FakeServer gone = FakeServer.start()) {
            url = gone.url("");
        }
        ModelSpec spec = ModelSpec.of(Provider.OLLAMA, "m").withBaseUrl(url).withMaxRetries(3);
        List<Duration> sleeps = new java.util.ArrayList<>();

        LlmException e = catchThrowableOfType(LlmException.class,
                () -> new Retrying(Providers.direct(spec, Map.<String, String>of()::get), RetryPolicy.DEFAULT, sleeps::add, () -> 0).chat(REQUEST));

        assertThat(e.kind()).isEqualTo(Kind.OTHER);
        assertThat(e.getMessage()).startsWith("ollama:m at " + url + ": cannot connect").doesNotContain("null")
                .contains("is the server running, and is base_url right?");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aReplyWithoutTheExpectedFieldsIsMalformed() {
        try (FakeServer server = FakeServer.start()) {
            server.reply(Reply.json(200, "{\"object\":\"chat.completion\"}"));
            ModelSpec spec = ModelSpec.of(Provider.OPENAI, "m").withBaseUrl(server.url("/v1"));

            LlmException e = catchThrowableOfType(LlmException.class, () -> Providers.client(spec, Map.<String, String>of()::get).chat(REQUEST));

            assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
            assertThat(server.count()).isEqualTo(1);
        }
    }

    @Test
    void retryAfterIsReadInEveryForm() {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        assertThat(ProviderHttpClient.retryAfter(headers(Map.of("retry-after", List.of("7"))), now)).contains(Duration.ofSeconds(7));
        assertThat(ProviderHttpClient.retryAfter(headers(Map.of("Retry-After", List.of("1.5"))), now)).contains(Duration.ofMillis(1500));
        assertThat(ProviderHttpClient.retryAfter(headers(Map.of("retry-after-ms", List.of("250"), "retry-after", List.of("1"))), now))
                .contains(Duration.ofMillis(250));
        assertThat(ProviderHttpClient.retryAfter(headers(Map.of("retry-after", List.of("Sun, 01 Jun 2025 12:00:30 GMT"))), now))
                .contains(Duration.ofSeconds(30));
        assertThat(ProviderHttpClient.retryAfter(headers(Map.of("retry-after", List.of("soon"))), now)).isEmpty();
        assertThat(ProviderHttpClient.retryAfter(headers(Map.of()), now)).isEmpty();
    }

    @Test
    void reasoningModelsAreRecognisedByName() {
        assertThat(List.of("gpt-5", "gpt-5-mini", "gpt-5.1", "o1", "o3-mini", "o4-mini")).allMatch(Providers::reasoningModel);
        assertThat(List.of("gpt-4.1", "gpt-4o-mini", "omni", "qwen2.5-coder:7b", "o")).noneMatch(Providers::reasoningModel);
    }

    @Test
    void geminiResponsesWithoutUsageGetAnEmptyUsageBlock() {
        assertThat(Providers.withGeminiUsageMetadata("{\"candidates\":[]}")).isEqualTo("{\"candidates\":[],\"usageMetadata\":{}}");
        assertThat(Providers.withGeminiUsageMetadata("{\"usageMetadata\":{\"promptTokenCount\":1}}")).isEqualTo("{\"usageMetadata\":{\"promptTokenCount\":1}}");
        assertThat(Providers.withGeminiUsageMetadata("{}")).isEqualTo("{}");
        assertThat(Providers.withGeminiUsageMetadata("not json")).isEqualTo("not json");
    }

    @Test
    void errorMessagesAreTakenFromEachProvidersErrorShape() {
        assertThat(Failures.errorMessage("{\"error\":{\"message\":\"openai says\",\"type\":\"x\"}}")).isEqualTo("openai says");
        assertThat(Failures.errorMessage("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")).isEqualTo("Overloaded");
        assertThat(Failures.errorMessage("{\"error\":\"model 'x' not found\"}")).isEqualTo("model 'x' not found");
        assertThat(Failures.errorMessage("<html>502 Bad Gateway</html>")).isEqualTo("<html>502 Bad Gateway</html>");
        assertThat(Failures.errorMessage("x".repeat(2000))).hasSize(503);
    }

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }
}
