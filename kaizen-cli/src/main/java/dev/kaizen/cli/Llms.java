package dev.kaizen.cli;

import dev.kaizen.config.KaizenConfig;
import dev.kaizen.config.LlmConfig;
import dev.kaizen.core.archive.Archive;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.budget.Budget;
import dev.kaizen.llm.budget.PriceTable;
import dev.kaizen.llm.budget.Spending;
import dev.kaizen.llm.ensemble.ModelBandit;
import dev.kaizen.llm.operator.LlmSession;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Opens the language-model session a configuration asks for, carrying its bandit and spending over a resume. */
final class Llms {

    /** Archive meta keys: the bandit's state and what was spent, updated after every model call. */
    static final String BANDIT_META = "llm.bandit";
    static final String SPENDING_META = "llm.spending";

    private Llms() {}

    /** The session of {@code config}'s {@code llm:} section, recording into {@code runDir/llm}; empty without one. */
    static Optional<LlmSession> open(KaizenConfig config, Path runDir, Archive archive) {
        if (config.llm().isEmpty()) {
            return Optional.empty();
        }
        LlmConfig llm = config.llm().get();
        Map<String, Double> weights = new LinkedHashMap<>();
        for (ModelSpec m : llm.models()) {
            weights.put(m.label(), llm.weights().getOrDefault(m.label(), 1.0));
        }
        ModelBandit bandit = llm.selection().equals("fixed") ? ModelBandit.fixed(weights) : ModelBandit.bandit(weights);
        archive.meta(BANDIT_META).ifPresent(bandit::importState);
        Spending prior = archive.meta(SPENDING_META).map(Spending::fromJson).orElse(Spending.NONE);
        Budget budget = Budget.resumed(llm.budgetUsd(), llm.budgetTokens(), prior);
        LlmSession.Settings settings = new LlmSession.Settings(config.target(), llm.models(), bandit, budget, PriceTable.defaults(),
                runDir.resolve("llm"), llm.replay(), llm.prompts(), System::getenv, state -> {
                    archive.putMeta(BANDIT_META, state);
                    archive.putMeta(SPENDING_META, budget.spending().toJson());
                });
        try {
            return Optional.of(LlmSession.open(settings));
        } catch (LlmException e) {
            throw new CliException("cannot use the configured models: " + e.getMessage());
        }
    }

    /** What a run's models have cost, from its archive; empty for a run without models. */
    static Optional<Spending> spending(Archive archive) {
        return archive.meta(SPENDING_META).map(Spending::fromJson);
    }

    /**
     * Prints what the models cost, as {@code kaizen run} and {@code kaizen status} show it: the run's
     * totals (calls, failures, budget refusals, tokens, dollars) after {@code label}, then a line per model.
     */
    static void printSpending(PrintStream out, String label, Spending s) {
        List<String> lines = spendingLines(s);
        out.println(label + lines.getFirst());
        lines.stream().skip(1).forEach(out::println);
    }

    private static List<String> spendingLines(Spending s) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%d calls (%d failed, %d refused by the budget), %d tokens in, %d out, $%.4f",
                s.calls(), s.failed(), s.refused(), s.inputTokens(), s.outputTokens(), s.usd()));
        for (Spending.ModelSpending m : s.models().values()) {
            lines.add(String.format(Locale.ROOT, "  %-30s %d calls (%d failed), %d tokens in, %d out, %s", m.model(), m.calls(), m.failed(),
                    m.inputTokens(), m.outputTokens(), m.priced() ? String.format(Locale.ROOT, "$%.4f", m.usd()) : "no price known: dollars not counted"));
        }
        return lines;
    }

    /** The ledger's record of the models a run uses (never a key). */
    static Map<String, Object> describe(LlmConfig llm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("models", llm.models().stream().map(s -> Map.of("label", s.label(), "base_url", s.baseUrl().map(Object::toString).orElse("default"),
                "context_tokens", s.contextTokens(), "max_output_tokens", s.maxOutputTokens())).toList());
        m.put("selection", llm.selection());
        m.put("budget_usd", llm.budgetUsd().isPresent() ? llm.budgetUsd().getAsDouble() : null);
        m.put("budget_tokens", llm.budgetTokens().isPresent() ? llm.budgetTokens().getAsLong() : null);
        m.put("replay", llm.replay().map(Path::toString).orElse(null));
        m.put("formats", llm.formats());
        return m;
    }
}
