package dev.kaizen.llm.operator;

import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.target.Target;
import dev.kaizen.llm.LlmClient;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.budget.Budget;
import dev.kaizen.llm.budget.BudgetedClient;
import dev.kaizen.llm.budget.PriceTable;
import dev.kaizen.llm.budget.Spending;
import dev.kaizen.llm.edit.EditFormat;
import dev.kaizen.llm.ensemble.ModelBandit;
import dev.kaizen.llm.prompt.PromptBuilder;
import dev.kaizen.llm.prompt.PromptTemplates;
import dev.kaizen.llm.prompt.TokenCounter;
import dev.kaizen.llm.provider.Providers;
import dev.kaizen.llm.record.Cassette;
import dev.kaizen.llm.record.RecordingClient;
import dev.kaizen.llm.record.ReplayingClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Everything the language-model operators of one run share: a client per model (recording every
 * exchange to the run's cassette, or replaying a recorded one with no network, always under the
 * run's budget), the model bandit, the prompt builder, and the insights learned so far. Close it
 * at the end of the run.
 */
public final class LlmSession implements AutoCloseable {

    /** Insights kept for prompts; older ones are dropped first. */
    static final int MAX_INSIGHTS = 20;

    /**
     * How to open a session.
     *
     * @param target      the target being improved
     * @param models      the configured models
     * @param bandit      how the next model is chosen
     * @param budget      the run's caps
     * @param prices      the price table
     * @param cassetteDir where this run records its exchanges
     * @param replay      a recorded cassette to answer from instead of the network
     * @param prompts     a directory of template overrides
     * @param env         where keys are read from (the environment)
     * @param banditSink  receives the bandit's state after every observation, to survive a resume
     */
    public record Settings(Target target, List<ModelSpec> models, ModelBandit bandit, Budget budget, PriceTable prices, Path cassetteDir,
                           Optional<Path> replay, Optional<Path> prompts, Function<String, String> env, Consumer<String> banditSink) {
        public Settings {
            Objects.requireNonNull(target, "target");
            models = List.copyOf(models);
            if (models.isEmpty()) {
                throw new IllegalArgumentException("no model configured");
            }
            Objects.requireNonNull(bandit, "bandit");
            Objects.requireNonNull(budget, "budget");
            Objects.requireNonNull(prices, "prices");
            Objects.requireNonNull(cassetteDir, "cassetteDir");
            Objects.requireNonNull(replay, "replay");
            Objects.requireNonNull(prompts, "prompts");
            Objects.requireNonNull(env, "env");
            Objects.requireNonNull(banditSink, "banditSink");
        }
    }

    private final Settings settings;
    private final Cassette cassette;
    private final Map<String, BudgetedClient> clients = new LinkedHashMap<>();
    private final List<ReplayingClient> replaying = new ArrayList<>();
    private final PromptBuilder prompts;
    private final List<String> insights = new ArrayList<>();

    private LlmSession(Settings settings, Cassette cassette, PromptBuilder prompts) {
        this.settings = settings;
        this.cassette = cassette;
        this.prompts = prompts;
    }

    /**
     * Opens the cassette (the replayed one read-only, or this run's for appending) and a client
     * per model. Provider clients are built here, so a missing key fails now, naming the model.
     */
    public static LlmSession open(Settings settings) {
        Cassette cassette = settings.replay().isPresent() ? Cassette.openReadOnly(settings.replay().get()) : Cassette.open(settings.cassetteDir());
        LlmSession session = new LlmSession(settings, cassette, new PromptBuilder(new PromptTemplates(settings.prompts()), TokenCounter.estimate()));
        try {
            for (ModelSpec spec : settings.models()) {
                LlmClient base;
                if (settings.replay().isPresent()) {
                    ReplayingClient replay = new ReplayingClient(cassette, spec);
                    session.replaying.add(replay);
                    base = replay;
                } else {
                    base = new RecordingClient(Providers.client(spec, settings.env()), cassette);
                }
                session.clients.put(spec.label(), new BudgetedClient(base, settings.budget(), settings.prices()));
            }
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    /** An operator per edit format whose weight is above 0: {@code llm.diff}, {@code llm.rewrite}, {@code llm.crossover}. */
    public List<Operator> operators(Map<String, Double> formats) {
        List<Operator> ops = new ArrayList<>();
        for (EditFormat f : EditFormat.values()) {
            if (formats.getOrDefault(f.name().toLowerCase(Locale.ROOT), 0.0) > 0) {
                ops.add(new LlmOperator(f, this));
            }
        }
        return List.copyOf(ops);
    }

    /** Why the run should stop for its budget ({@code the llm budget is spent: ...}); empty while it need not. */
    public Optional<String> exhaustion() {
        return settings.budget().exhaustion().map(why -> "the llm budget is spent: " + why);
    }

    /** Requests a replay answered with their proposal's recorded exchange because their prompt differed from the recording. */
    public int approximateReplays() {
        return replaying.stream().mapToInt(ReplayingClient::approximate).sum();
    }

    /** What the models have cost so far in this run (a resumed run's earlier parts included). */
    public Spending spending() {
        return settings.budget().spending();
    }

    /** The cassette exchanges are recorded to (or replayed from). */
    public Cassette cassette() {
        return cassette;
    }

    Settings settings() {
        return settings;
    }

    BudgetedClient client(String model) {
        BudgetedClient c = clients.get(model);
        if (c == null) {
            throw new IllegalStateException("the bandit chose " + model + ", which is not configured (" + clients.keySet() + ")");
        }
        return c;
    }

    PromptBuilder prompts() {
        return prompts;
    }

    synchronized List<String> insights() {
        return List.copyOf(insights);
    }

    synchronized void learn(String insight) {
        insights.add(insight);
        if (insights.size() > MAX_INSIGHTS) {
            insights.removeFirst();
        }
    }

    @Override
    public void close() {
        cassette.close();
    }
}
