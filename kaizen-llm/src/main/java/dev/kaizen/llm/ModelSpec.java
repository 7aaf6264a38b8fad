package dev.kaizen.llm;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured model: who serves it, where, with which key, and its limits.
 *
 * @param provider        the wire protocol
 * @param model           the provider's model name ({@code gpt-5-mini}, {@code qwen2.5-coder:7b})
 * @param baseUrl         the server, when not the provider's default (an OpenAI-compatible server, Ollama)
 * @param apiKeyEnv       the environment variable holding the key; keys are never written anywhere
 * @param apiKeyFile      or a file holding the key (its first line)
 * @param contextTokens   the model's context window, for fitting prompts
 * @param maxOutputTokens the most tokens a reply may have
 * @param timeout         per request
 * @param maxRetries      retries after a 429, a 5xx or a timeout; never after another 4xx
 * @param temperature     sampling temperature
 */
public record ModelSpec(Provider provider, String model, Optional<URI> baseUrl, Optional<String> apiKeyEnv, Optional<Path> apiKeyFile,
                        int contextTokens, int maxOutputTokens, Duration timeout, int maxRetries, double temperature) {

    public ModelSpec {
        Objects.requireNonNull(provider, "provider");
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("a model needs a name");
        }
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKeyEnv, "apiKeyEnv");
        Objects.requireNonNull(apiKeyFile, "apiKeyFile");
        if (contextTokens < 1024) {
            throw new IllegalArgumentException("context_tokens must be at least 1024, got " + contextTokens);
        }
        if (maxOutputTokens < 16 || maxOutputTokens >= contextTokens) {
            throw new IllegalArgumentException("max_output_tokens must be at least 16 and below context_tokens (" + contextTokens + "), got " + maxOutputTokens);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("max_retries must be 0 to 10, got " + maxRetries);
        }
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be 0 to 2, got " + temperature);
        }
    }

    /** A model with defaults: 32k context, 4k output, 120 s timeout, 3 retries, temperature 0.8. */
    public static ModelSpec of(Provider provider, String model) {
        return new ModelSpec(provider, model, Optional.empty(), Optional.empty(), Optional.empty(), 32_768, 4096, Duration.ofSeconds(120), 3, 0.8);
    }

    /** {@code openai:gpt-5-mini}, as in messages and the ledger. */
    public String label() {
        return provider.id() + ":" + model;
    }

    public ModelSpec withBaseUrl(URI url) {
        return new ModelSpec(provider, model, Optional.of(url), apiKeyEnv, apiKeyFile, contextTokens, maxOutputTokens, timeout, maxRetries, temperature);
    }

    public ModelSpec withApiKeyEnv(String variable) {
        return new ModelSpec(provider, model, baseUrl, Optional.of(variable), apiKeyFile, contextTokens, maxOutputTokens, timeout, maxRetries, temperature);
    }

    public ModelSpec withTimeout(Duration d) {
        return new ModelSpec(provider, model, baseUrl, apiKeyEnv, apiKeyFile, contextTokens, maxOutputTokens, d, maxRetries, temperature);
    }

    public ModelSpec withMaxRetries(int n) {
        return new ModelSpec(provider, model, baseUrl, apiKeyEnv, apiKeyFile, contextTokens, maxOutputTokens, timeout, n, temperature);
    }

    public ModelSpec withContext(int context, int maxOutput) {
        return new ModelSpec(provider, model, baseUrl, apiKeyEnv, apiKeyFile, context, maxOutput, timeout, maxRetries, temperature);
    }
}
