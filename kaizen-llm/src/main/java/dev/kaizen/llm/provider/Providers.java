package dev.kaizen.llm.provider;

import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmClient;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Provider;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import org.slf4j.Logger;
import org.slf4j.helpers.NOPLogger;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Builds the {@link LlmClient} for a {@link ModelSpec}: LangChain4j's chat model for the provider, with its
 * own retries and request/response logging off, inside {@link Retrying}. Keys come from the spec's
 * environment variable or key file and are resolved once, when the client is built.
 */
public final class Providers {

    private static final NamePrefixes REASONING_PREFIXES = new NamePrefixes(List.of("o1", "o3", "o4", "gpt-5"));

    private Providers() {
    }

    /** The client for {@code spec}, keys from the process environment, {@link RetryPolicy#DEFAULT}. */
    public static LlmClient client(ModelSpec spec) {
        return client(spec, System::getenv);
    }

    /**
     * The client for {@code spec}, reading environment variables through {@code env}.
     *
     * @throws LlmException AUTHENTICATION when the provider needs a key and none is found
     */
    public static LlmClient client(ModelSpec spec, Function<String, String> env) {
        return client(spec, env, RetryPolicy.DEFAULT);
    }

    /** As {@link #client(ModelSpec, Function)}, waiting between retries as {@code policy} says. */
    public static LlmClient client(ModelSpec spec, Function<String, String> env, RetryPolicy policy) {
        return new Retrying(direct(spec, env), policy);
    }

    /** A client that makes exactly one attempt per call: no retries. */
    public static LlmClient direct(ModelSpec spec, Function<String, String> env) {
        return direct(spec, env, NOPLogger.NOP_LOGGER);
    }

    /** As {@link #direct(ModelSpec, Function)}, handing LangChain4j {@code logger} (which it must never use). */
    static LlmClient direct(ModelSpec spec, Function<String, String> env, Logger logger) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(env, "env");
        String baseUrl = stripSlash(spec.baseUrl().orElse(defaultBaseUrl(spec.provider())).toString());
        String where = spec.label() + " at " + baseUrl;
        boolean officialOpenAi = spec.provider() == Provider.OPENAI
                && "api.openai.com".equalsIgnoreCase(spec.baseUrl().orElse(defaultBaseUrl(Provider.OPENAI)).getHost());
        boolean required = switch (spec.provider()) {
            case OPENAI -> officialOpenAi;
            case ANTHROPIC, GEMINI -> true;
            case OLLAMA -> false;
        };
        Optional<String> defaultVariable = required ? defaultKeyVariable(spec.provider()) : Optional.empty();
        ApiKey key = ApiKey.resolve(spec, env, defaultVariable, required, where);
        ChatModel model;
        try {
            model = model(spec, baseUrl, key, logger);
        } catch (RuntimeException e) {
            throw new LlmException(LlmException.Kind.BAD_REQUEST,
                    where + ": cannot configure the client: " + key.redact(String.valueOf(e.getMessage())), e);
        }
        return new ChatModelClient(spec, where, model, translator(spec), key);
    }

    /** Where a provider is reached when the spec names no base URL. */
    public static URI defaultBaseUrl(Provider provider) {
        return URI.create(switch (provider) {
            case OPENAI -> "https://api.openai.com/v1";
            case ANTHROPIC -> "https://api.anthropic.com/v1";
            case GEMINI -> "https://generativelanguage.googleapis.com/v1beta";
            case OLLAMA -> "http://localhost:11434";
        });
    }

    /**
     * The environment variable read when a spec names neither a variable nor a file and the provider needs
     * a key: {@code OPENAI_API_KEY} (official endpoint only), {@code ANTHROPIC_API_KEY}, {@code GEMINI_API_KEY}.
     */
    public static Optional<String> defaultKeyVariable(Provider provider) {
        return switch (provider) {
            case OPENAI -> Optional.of("OPENAI_API_KEY");
            case ANTHROPIC -> Optional.of("ANTHROPIC_API_KEY");
            case GEMINI -> Optional.of("GEMINI_API_KEY");
            case OLLAMA -> Optional.empty();
        };
    }

    /**
     * Whether an OpenAI model is a reasoning model ({@code o1}, {@code o3}, {@code o4}, {@code gpt-5} families),
     * which takes {@code max_completion_tokens} instead of {@code max_tokens} and no temperature.
     */
    static boolean reasoningModel(String model) {
        return REASONING_PREFIXES.matches(model.toLowerCase(Locale.ROOT));
    }

    private static ChatModel model(ModelSpec spec, String baseUrl, ApiKey key, Logger logger) {
        ProviderHttpClient.Builder http = new ProviderHttpClient.Builder(key, spec.provider(),
                spec.provider() == Provider.GEMINI ? Providers::withGeminiUsageMetadata : UnaryOperator.identity());
        String apiKey = key.present() ? key.value() : null;
        return switch (spec.provider()) {
            case OPENAI -> OpenAiChatModel.builder()
                    .httpClientBuilder(http)
                    .baseUrl(baseUrl)
                    .apiKey(apiKey)
                    .modelName(spec.model())
                    .timeout(spec.timeout())
                    .maxRetries(0)
                    .logRequests(false)
                    .logResponses(false)
                    .logger(logger)
                    .build();
            case ANTHROPIC -> AnthropicChatModel.builder()
                    .httpClientBuilder(http)
                    .baseUrl(baseUrl)
                    .apiKey(apiKey)
                    .modelName(spec.model())
                    .maxTokens(spec.maxOutputTokens())
                    .timeout(spec.timeout())
                    .maxRetries(0)
                    .logRequests(false)
                    .logResponses(false)
                    .logger(logger)
                    .build();
            case GEMINI -> GoogleAiGeminiChatModel.builder()
                    .httpClientBuilder(http)
                    .baseUrl(baseUrl)
                    .apiKey(apiKey)
                    .modelName(spec.model())
                    .timeout(spec.timeout())
                    .maxRetries(0)
                    .logRequestsAndResponses(false)
                    .logRequests(false)
                    .logResponses(false)
                    .logger(logger)
                    .build();
            case OLLAMA -> OllamaChatModel.builder()
                    .httpClientBuilder(http)
                    .baseUrl(baseUrl)
                    .modelName(spec.model())
                    .timeout(spec.timeout())
                    .maxRetries(0)
                    .logRequests(false)
                    .logResponses(false)
                    .logger(logger)
                    .customHeaders(apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey))
                    .build();
        };
    }

    /** Our request as LangChain4j's: system and user messages, the output limit, the temperature. */
    private static Function<ChatRequest, dev.langchain4j.model.chat.request.ChatRequest> translator(ModelSpec spec) {
        boolean reasoning = spec.provider() == Provider.OPENAI && reasoningModel(spec.model());
        boolean anthropic = spec.provider() == Provider.ANTHROPIC;
        return r -> {
            List<ChatMessage> messages = new ArrayList<>(2);
            if (!r.system().isBlank()) {
                messages.add(SystemMessage.from(r.system()));
            }
            messages.add(UserMessage.from(r.user()));
            var b = dev.langchain4j.model.chat.request.ChatRequest.builder().messages(messages);
            if (reasoning) {
                return b.parameters(OpenAiChatRequestParameters.builder()
                        .modelName(spec.model())
                        .maxCompletionTokens(r.maxOutputTokens())
                        .build()).build();
            }
            // Anthropic accepts temperatures from 0 to 1 only
            double t = anthropic ? Math.min(1.0, r.temperature()) : r.temperature();
            return b.maxOutputTokens(r.maxOutputTokens()).temperature(t).build();
        };
    }

    /**
     * A Gemini response with an empty {@code usageMetadata} when it has none: LangChain4j 1.10 fails with a
     * NullPointerException on a response without it, while usage is then simply estimated.
     */
    static String withGeminiUsageMetadata(String body) {
        if (body == null || body.contains("\"usageMetadata\"")) {
            return body;
        }
        int end = body.lastIndexOf('}');
        if (end < 0 || !body.strip().startsWith("{") || body.substring(0, end).strip().equals("{")) {
            return body;
        }
        return body.substring(0, end) + ",\"usageMetadata\":{}" + body.substring(end);
    }

    private static String stripSlash(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /** Model-name prefixes, each matching the name itself or the name followed by {@code -} or {@code .}. */
    private record NamePrefixes(List<String> prefixes) {
        boolean matches(String name) {
            for (String p : prefixes) {
                if (name.equals(p) || name.startsWith(p + "-") || name.startsWith(p + ".")) {
                    return true;
                }
            }
            return false;
        }
    }
}
