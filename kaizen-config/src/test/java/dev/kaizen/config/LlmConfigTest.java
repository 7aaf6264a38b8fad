package dev.kaizen.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Provider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llm:}: the models, selection, budget, replay, formats, and every error. */
class LlmConfigTest {

    @TempDir
    Path dir;

    static final String OK = "files: [packing.py]\nevaluator: { command: run }\n";

    @BeforeEach
    void target() throws IOException {
        Files.writeString(dir.resolve("packing.py"), ConfigLoaderTest.PACKING);
    }

    KaizenConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, dir, "kaizen.yaml");
    }

    void assertError(String yaml, int line, String key, String detailPart) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("a ConfigException for:\n%s", yaml).isNotNull();
        assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
        assertThat(e.key()).as(e.getMessage()).isEqualTo(key);
        assertThat(e.getMessage()).contains(detailPart);
    }

    @Test
    void without_llm_there_is_none() {
        assertThat(parse(OK).llm()).isEmpty();
    }

    @Test
    void reads_the_models_of_the_issue_example_and_the_defaults() throws IOException {
        Files.createDirectories(dir.resolve("runs/r1/llm"));
        KaizenConfig c = parse(OK + """
                llm:
                  models:
                    - { provider: openai, model: gpt-5-mini, api_key_env: OPENAI_API_KEY }
                    - { provider: openai, base_url: http://localhost:8080/v1, model: qwen-coder }
                    - { provider: anthropic, model: claude-sonnet-4-5, api_key_env: ANTHROPIC_API_KEY, timeout: 30s, max_retries: 1 }
                    - { provider: gemini, model: gemini-2.5-flash, api_key_env: GEMINI_API_KEY, context_tokens: 1000000, max_output_tokens: 8192 }
                    - { provider: ollama, base_url: http://localhost:11434, model: "qwen2.5-coder:7b", temperature: 0.2 }
                  selection: bandit
                  budget: { usd: 20, tokens: 5_000_000 }
                  replay: runs/r1/llm
                  formats: { diff: 1, rewrite: 0 }
                  offline_operators: false
                """);
        LlmConfig llm = c.llm().orElseThrow();
        assertThat(llm.models()).extracting(ModelSpec::label)
                .containsExactly("openai:gpt-5-mini", "openai:qwen-coder", "anthropic:claude-sonnet-4-5", "gemini:gemini-2.5-flash", "ollama:qwen2.5-coder:7b");
        assertThat(llm.models().get(0).apiKeyEnv()).contains("OPENAI_API_KEY");
        assertThat(llm.models().get(1).baseUrl()).contains(URI.create("http://localhost:8080/v1"));
        assertThat(llm.models().get(2).timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(llm.models().get(2).maxRetries()).isEqualTo(1);
        assertThat(llm.models().get(3).contextTokens()).isEqualTo(1_000_000);
        assertThat(llm.models().get(3).maxOutputTokens()).isEqualTo(8192);
        assertThat(llm.models().get(4).provider()).isEqualTo(Provider.OLLAMA);
        assertThat(llm.models().get(4).temperature()).isEqualTo(0.2);
        assertThat(llm.budgetUsd().getAsDouble()).isEqualTo(20.0);
        assertThat(llm.budgetTokens().getAsLong()).isEqualTo(5_000_000L);
        assertThat(llm.replay()).contains(dir.resolve("runs/r1/llm"));
        assertThat(llm.formats()).isEqualTo(Map.of("diff", 1.0, "rewrite", 0.0));
        assertThat(llm.offlineOperators()).isFalse();
        assertThat(llm.selection()).isEqualTo("bandit");
        assertThat(c.withSeed(3).llm()).isEqualTo(c.llm());
    }

    @Test
    void one_model_gets_every_default() {
        LlmConfig llm = parse(OK + "llm: { models: [{ provider: ollama, model: llama3 }] }\n").llm().orElseThrow();
        assertThat(llm.models().getFirst()).isEqualTo(ModelSpec.of(Provider.OLLAMA, "llama3"));
        assertThat(llm.budgetUsd()).isEmpty();
        assertThat(llm.replay()).isEqualTo(Optional.empty());
        assertThat(llm.formats()).isEqualTo(LlmConfig.defaultFormats());
        assertThat(llm.offlineOperators()).isTrue();
    }

    @Test
    void errors_name_the_key_and_the_line() {
        assertError(OK + "llm: { selection: bandit }\n", 3, "llm.models", "is required");
        assertError(OK + "llm:\n  models: []\n", 4, "llm.models", "at least one model");
        assertError(OK + "llm:\n  models: [{ provider: openia, model: x }]\n", 4, "llm.models[0].provider", "openai");
        assertError(OK + "llm:\n  models: [{ provider: openai }]\n", 4, "llm.models[0].model", "is required");
        assertError(OK + "llm:\n  models: [{ provider: openai, model: x, base_url: ftp://h/v1 }]\n", 4, "llm.models[0].base_url", "http or https");
        assertError(OK + "llm:\n  models: [{ provider: openai, model: x, api_key_file: no-such-key.txt }]\n", 4, "llm.models[0].api_key_file", "does not exist");
        assertError(OK + "llm:\n  models: [{ provider: openai, model: x, temprature: 1 }]\n", 4, "llm.models[0].temprature", "temperature");
        assertError(OK + "llm:\n  models: [{ provider: openai, model: x }]\n  formats: { patch: 1 }\n", 5, "llm.formats.patch", "diff");
        assertError(OK + "llm:\n  models: [{ provider: openai, model: x }]\n  selection: fixed\n  weights: { openai:y: 2 }\n", 6, "llm.weights.openai:y", "openai:x");
        assertError(OK + "llm:\n  models: [{ provider: openai, model: x }]\n  replay: runs/none\n", 5, "llm.replay", "does not exist");
    }
}
