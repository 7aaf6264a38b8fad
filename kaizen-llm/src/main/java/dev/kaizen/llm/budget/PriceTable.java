package dev.kaizen.llm.budget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Prices per model label ({@code openai:gpt-5-mini}), immutable. The defaults come from the resource
 * {@code dev/kaizen/llm/prices/v1.json}; a user's file or map overrides them with {@link #with}.
 *
 * <p>How a model is priced ({@link #quote}): its label in the table; else its label without a date
 * or {@code -latest} suffix ({@code claude-sonnet-4-5-20250929} is priced as {@code claude-sonnet-4-5});
 * else, when it is local (Ollama, or a custom base URL that is not a known vendor's), it is free;
 * else its price is unknown: its tokens are counted, its cost is 0 and {@link Quote#known()} is
 * false, so the caller can warn.
 *
 * <p>File format: {@code {"version": 1, "models": {"openai:gpt-5": {"input": 1.25, "output": 10.0}}}},
 * in USD per million tokens; other top-level fields ({@code currency}, {@code as_of}, {@code note}) are informative.
 */
public final class PriceTable {

    /** The classpath resource holding the default prices. */
    public static final String DEFAULTS_RESOURCE = "/dev/kaizen/llm/prices/v1.json";

    /** Where a quote's price came from. */
    public enum Source {
        /** The price table, exactly or without a date suffix. */
        TABLE,
        /** A local model, free because it is not in the table. */
        LOCAL,
        /** A hosted model missing from the table: cost counted as 0. */
        UNKNOWN
    }

    /**
     * The price of one configured model.
     *
     * @param model  the model label
     * @param price  its price ({@link Price#FREE} when local or unknown)
     * @param source where the price came from
     */
    public record Quote(String model, Price price, Source source) {
        public Quote {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(price, "price");
            Objects.requireNonNull(source, "source");
        }

        /** False when the model is hosted but not priced: its dollars are not counted. */
        public boolean known() {
            return source != Source.UNKNOWN;
        }

        public double cost(Usage usage) {
            return price.cost(usage);
        }
    }

    private static final Pattern VERSION_SUFFIX = Pattern.compile("(-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|@\\d{8}|-latest)$");
    private static final String[] VENDOR_HOSTS = {"openai.com", "anthropic.com", "googleapis.com", "openrouter.ai", "together.xyz",
            "together.ai", "groq.com", "mistral.ai", "deepseek.com", "fireworks.ai", "x.ai", "azure.com"};

    private final Map<String, Price> prices;
    private final String asOf;

    private PriceTable(Map<String, Price> prices, String asOf) {
        this.prices = Collections.unmodifiableMap(new TreeMap<>(prices));
        this.asOf = asOf;
    }

    /** The built-in prices. */
    public static PriceTable defaults() {
        try (InputStream in = PriceTable.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("price resource " + DEFAULTS_RESOURCE + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULTS_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULTS_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** A table with no prices: every hosted model is unknown, every local one free. */
    public static PriceTable empty() {
        return new PriceTable(Map.of(), "");
    }

    /** The prices in a file of the format above. */
    public static PriceTable load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read price file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The prices in {@code json}; {@code origin} names the source in error messages.
     *
     * @throws IllegalArgumentException naming the origin and the bad entry
     */
    public static PriceTable parse(String json, String origin) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("price table " + origin + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("price table " + origin + " must be a JSON object");
        }
        JsonNode version = root.get("version");
        if (version != null && !(version.isIntegralNumber() && version.intValue() == 1)) {
            throw new IllegalArgumentException("price table " + origin + " has version " + version + "; this version reads 1");
        }
        JsonNode models = root.get("models");
        if (models == null || !models.isObject()) {
            throw new IllegalArgumentException("price table " + origin + " needs an object 'models'");
        }
        Map<String, Price> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : models.properties()) {
            String label = normalise(e.getKey(), origin);
            JsonNode in = e.getValue().get("input");
            JsonNode outPrice = e.getValue().get("output");
            if (in == null || !in.isNumber() || outPrice == null || !outPrice.isNumber()) {
                throw new IllegalArgumentException("price table " + origin + ": model '" + e.getKey() + "' needs numbers 'input' and 'output' (USD per 1M tokens)");
            }
            try {
                out.put(label, new Price(in.doubleValue(), outPrice.doubleValue()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("price table " + origin + ": model '" + e.getKey() + "': " + ex.getMessage(), ex);
            }
        }
        JsonNode asOf = root.get("as_of");
        return new PriceTable(out, asOf != null && asOf.isTextual() ? asOf.textValue() : "");
    }

    /**
     * This table with {@code overrides} added or replacing entries; keys are model labels ({@code provider:model}).
     *
     * @throws IllegalArgumentException if a key is not a model label
     */
    public PriceTable with(Map<String, Price> overrides) {
        Map<String, Price> merged = new TreeMap<>(prices);
        overrides.forEach((k, v) -> merged.put(normalise(k, "overrides"), Objects.requireNonNull(v, "price of " + k)));
        return new PriceTable(merged, asOf);
    }

    /** This table with every price of {@code other} added or replacing entries. */
    public PriceTable with(PriceTable other) {
        return with(other.prices);
    }

    /** Every priced label. */
    public Map<String, Price> prices() {
        return prices;
    }

    /** When the prices were taken ({@code 2025-10}), or empty if the source did not say. */
    public String asOf() {
        return asOf;
    }

    /** The price of {@code label}, exactly or without a date or {@code -latest} suffix. */
    public Optional<Price> find(String label) {
        String key = label.strip().toLowerCase(Locale.ROOT);
        Price p = prices.get(key);
        if (p == null) {
            String stripped = VERSION_SUFFIX.matcher(key).replaceFirst("");
            p = prices.get(stripped);
        }
        return Optional.ofNullable(p);
    }

    /** How {@code spec} is priced; see the class comment. */
    public Quote quote(ModelSpec spec) {
        String label = spec.label();
        Optional<Price> p = find(label);
        if (p.isPresent()) {
            return new Quote(label, p.get(), Source.TABLE);
        }
        if (isLocal(spec)) {
            return new Quote(label, Price.FREE, Source.LOCAL);
        }
        return new Quote(label, Price.FREE, Source.UNKNOWN);
    }

    private static boolean isLocal(ModelSpec spec) {
        if (spec.provider() == Provider.OLLAMA) {
            return true;
        }
        if (spec.baseUrl().isEmpty()) {
            return false;
        }
        URI url = spec.baseUrl().get();
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        for (String vendor : VENDOR_HOSTS) {
            if (host.equals(vendor) || host.endsWith("." + vendor)) {
                return false;
            }
        }
        return true;
    }

    private static String normalise(String label, String origin) {
        String key = label.strip().toLowerCase(Locale.ROOT);
        int colon = key.indexOf(':');
        if (colon < 1 || colon == key.length() - 1) {
            throw new IllegalArgumentException("price table " + origin + ": '" + label + "' is not a model label (provider:model, e.g. openai:gpt-5-mini)");
        }
        try {
            Provider.of(key.substring(0, colon));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("price table " + origin + ": '" + label + "': " + e.getMessage(), e);
        }
        return key;
    }
}
