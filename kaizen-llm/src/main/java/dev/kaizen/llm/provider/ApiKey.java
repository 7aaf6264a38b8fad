package dev.kaizen.llm.provider;

import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.ModelSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** A key, held only to be sent; its {@code toString()} and {@link #redact} keep it out of every message. */
final class ApiKey {

    /** Redacts nothing: for servers reached without a key. */
    static final ApiKey NONE = new ApiKey("");

    private static final String MASK = "[redacted]";

    private final String value;

    private ApiKey(String value) {
        this.value = value;
    }

    String value() {
        return value;
    }

    boolean present() {
        return !value.isEmpty();
    }

    /** {@code text} with every occurrence of the key replaced. */
    String redact(String text) {
        if (text == null || value.isEmpty()) {
            return text;
        }
        return text.replace(value, MASK);
    }

    @Override
    public String toString() {
        return present() ? "ApiKey[" + MASK + "]" : "ApiKey[none]";
    }

    /**
     * The key for {@code spec}: its environment variable, else its key file (first line, trimmed), else,
     * when it names neither, {@code defaultVariable}.
     *
     * @param where    {@code openai:gpt-5-mini at https://...}, for messages
     * @param required whether the server cannot be used without a key
     * @return the key, or {@link #NONE} when none is configured and none is required
     * @throws LlmException AUTHENTICATION when a configured source yields nothing, or a required key is missing
     */
    static ApiKey resolve(ModelSpec spec, Function<String, String> env, Optional<String> defaultVariable, boolean required, String where) {
        Objects.requireNonNull(env, "env");
        Optional<String> variable = spec.apiKeyEnv().or(() -> spec.apiKeyFile().isPresent() ? Optional.empty() : defaultVariable);
        StringBuilder tried = new StringBuilder();
        if (variable.isPresent()) {
            String v = env.apply(variable.get());
            if (v != null && !v.isBlank()) {
                return new ApiKey(v.strip());
            }
            tried.append("environment variable ").append(variable.get()).append(" is not set");
        }
        if (spec.apiKeyFile().isPresent()) {
            Path file = spec.apiKeyFile().get();
            String line = firstLine(file, where);
            if (!line.isEmpty()) {
                return new ApiKey(line);
            }
            if (!tried.isEmpty()) {
                tried.append(" and ");
            }
            tried.append("key file ").append(file).append(Files.exists(file) ? " has an empty first line" : " does not exist");
        }
        boolean configured = spec.apiKeyEnv().isPresent() || spec.apiKeyFile().isPresent();
        if (required || configured) {
            String why = tried.isEmpty() ? "no key is configured (set api_key_env or api_key_file)" : tried.toString();
            throw new LlmException(LlmException.Kind.AUTHENTICATION, where + ": no API key: " + why);
        }
        return NONE;
    }

    private static String firstLine(Path file, String where) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            return line == null ? "" : line.strip();
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new LlmException(LlmException.Kind.AUTHENTICATION,
                    where + ": no API key: cannot read key file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
