package dev.kaizen.llm.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.Usage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {

    private final PriceTable defaults = PriceTable.defaults();

    @Test
    void defaultsPriceCommonModelsOfEachHostedProvider() {
        for (String label : new String[] {"openai:gpt-5", "openai:gpt-5-mini", "openai:gpt-4o-mini", "anthropic:claude-sonnet-4-5",
                "anthropic:claude-haiku-4-5", "gemini:gemini-2.5-pro", "gemini:gemini-2.5-flash"}) {
            assertThat(defaults.find(label)).as(label).hasValueSatisfying(p -> {
                assertThat(p.inputPerMillion()).isPositive();
                assertThat(p.outputPerMillion()).isGreaterThanOrEqualTo(p.inputPerMillion());
            });
        }
        assertThat(defaults.find("openai:gpt-5-mini")).contains(new Price(0.25, 2.0));
        assertThat(defaults.asOf()).isNotEmpty();
    }

    @Test
    void quotesAHostedModelFromTheTableAndComputesItsCost() {
        PriceTable.Quote q = defaults.quote(ModelSpec.of(Provider.OPENAI, "gpt-5-mini"));
        assertThat(q.source()).isEqualTo(PriceTable.Source.TABLE);
        assertThat(q.known()).isTrue();
        assertThat(q.cost(new Usage(1_000_000, 500_000))).isCloseTo(0.25 + 1.0, within(1e-12));
        assertThat(q.cost(new Usage(2000, 1000))).isCloseTo(0.0005 + 0.002, within(1e-12));
    }

    @Test
    void datedSnapshotsArePricedAsTheirModelButOtherVariantsAreNot() {
        assertThat(defaults.quote(ModelSpec.of(Provider.ANTHROPIC, "claude-sonnet-4-5-20250929")).price()).isEqualTo(new Price(3, 15));
        assertThat(defaults.quote(ModelSpec.of(Provider.OPENAI, "gpt-4o-2024-08-06")).price()).isEqualTo(new Price(2.5, 10));
        assertThat(defaults.quote(ModelSpec.of(Provider.OPENAI, "gpt-4o-mini-2024-07-18")).price()).isEqualTo(new Price(0.15, 0.6));
        assertThat(defaults.quote(ModelSpec.of(Provider.ANTHROPIC, "claude-3-7-sonnet-latest")).source()).isEqualTo(PriceTable.Source.TABLE);
        assertThat(defaults.quote(ModelSpec.of(Provider.OPENAI, "gpt-5-turbo-max")).source()).isEqualTo(PriceTable.Source.UNKNOWN);
    }

    @Test
    void localModelsAreFreeAndUnknownHostedModelsAreFlagged() {
        PriceTable.Quote ollama = defaults.quote(ModelSpec.of(Provider.OLLAMA, "qwen2.5-coder:7b"));
        assertThat(ollama.source()).isEqualTo(PriceTable.Source.LOCAL);
        assertThat(ollama.known()).isTrue();
        assertThat(ollama.cost(new Usage(50_000, 50_000))).isZero();

        PriceTable.Quote vllm = defaults.quote(ModelSpec.of(Provider.OPENAI, "Qwen/Qwen2.5-Coder-32B").withBaseUrl(URI.create("http://gpu-box:8000/v1")));
        assertThat(vllm.source()).isEqualTo(PriceTable.Source.LOCAL);

        PriceTable.Quote vendorUrl = defaults.quote(ModelSpec.of(Provider.OPENAI, "gpt-7").withBaseUrl(URI.create("https://api.openai.com/v1")));
        assertThat(vendorUrl.source()).isEqualTo(PriceTable.Source.UNKNOWN);

        PriceTable.Quote unknown = defaults.quote(ModelSpec.of(Provider.GEMINI, "gemini-9-ultra"));
        assertThat(unknown.known()).isFalse();
        assertThat(unknown.cost(new Usage(1000, 1000))).isZero();

        // a priced model stays priced behind a custom URL (a proxy)
        assertThat(defaults.quote(ModelSpec.of(Provider.OPENAI, "gpt-5").withBaseUrl(URI.create("http://proxy.local/v1"))).source())
                .isEqualTo(PriceTable.Source.TABLE);
    }

    @Test
    void overridesAddAndReplacePricesWithoutChangingTheOriginal() {
        PriceTable custom = defaults.with(Map.of("openai:gpt-5-mini", new Price(1, 1), "ollama:llama3.3:70b", new Price(0.05, 0.05),
                "Gemini:Gemini-9-Ultra", new Price(9, 9)));
        assertThat(custom.find("openai:gpt-5-mini")).contains(new Price(1, 1));
        assertThat(defaults.find("openai:gpt-5-mini")).contains(new Price(0.25, 2.0));
        PriceTable.Quote local = custom.quote(ModelSpec.of(Provider.OLLAMA, "llama3.3:70b"));
        assertThat(local.source()).isEqualTo(PriceTable.Source.TABLE);
        assertThat(local.price()).isEqualTo(new Price(0.05, 0.05));
        assertThat(custom.quote(ModelSpec.of(Provider.GEMINI, "gemini-9-ultra")).price()).isEqualTo(new Price(9, 9));
        assertThat(custom.find("anthropic:claude-sonnet-4-5")).isPresent();
        assertThatThrownBy(() -> defaults.with(Map.of("gpt-5", new Price(1, 1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a model label");
        assertThatThrownBy(() -> defaults.with(Map.of("azure:gpt-5", new Price(1, 1)))).hasMessageContaining("unknown provider");
    }

    @Test
    void loadsAUserFileAndRejectsABadOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, "{\"version\": 1, \"models\": {\"anthropic:claude-opus-4-1\": {\"input\": 10, \"output\": 50}}}");
        PriceTable merged = defaults.with(PriceTable.load(file));
        assertThat(merged.find("anthropic:claude-opus-4-1")).contains(new Price(10, 50));
        assertThat(merged.find("openai:gpt-5")).isPresent();

        Files.writeString(file, "{\"models\": {\"openai:x\": {\"input\": -1, \"output\": 2}}}");
        assertThatThrownBy(() -> PriceTable.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("openai:x");
        Files.writeString(file, "{\"models\": {\"openai:x\": {\"input\": 1}}}");
        assertThatThrownBy(() -> PriceTable.load(file)).hasMessageContaining("'output'");
        Files.writeString(file, "[1,2");
        assertThatThrownBy(() -> PriceTable.load(file)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> new Price(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
