package dev.kaizen.llm.operator;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.operator.Deferred;
import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.operator.ProposalContext;
import dev.kaizen.core.program.ProgramId;
import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.budget.BudgetedClient;
import dev.kaizen.llm.edit.EditFormat;
import dev.kaizen.llm.edit.EditResult;
import dev.kaizen.llm.edit.Edits;
import dev.kaizen.llm.ensemble.ModelBandit;
import dev.kaizen.llm.prompt.Prompt;
import dev.kaizen.llm.prompt.PromptInput;
import dev.kaizen.llm.record.Cassette;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Proposes a child by asking a language model: the bandit picks a model, the prompt shows the
 * parent, its metrics and feedback, inspirations and the run's insights, and the reply is applied
 * as a search/replace diff, a full rewrite, or a crossover of the parent and an inspiration. When
 * a reply cannot be applied, the model is asked once more with the precise error. Every exchange
 * is in the run's cassette, and the proposal's description names it ({@code [exchange 12]}), so
 * the ledger's proposal entry points at the exchange that produced it.
 *
 * <p>The operator is {@linkplain #slow() slow}: the engine picks the model and fixes the prompt's
 * content on its own thread ({@link #start}), asks the model on a worker thread, and settles what
 * the proposal cost with the model bandit back on its thread, in proposal order, so several
 * models' replies are awaited at once and a run stays reproducible from its seed and cassette.
 *
 * <p>Failures are explicit: a model error or a reply that still does not apply makes
 * {@link Deferred#make} throw {@link LlmProposalException}, which the engine records as a skipped
 * proposal with that reason.
 */
final class LlmOperator implements Operator {

    private final EditFormat format;
    private final LlmSession session;
    private final String name;
    private final Map<ProgramId, Pending> pending = new HashMap<>();

    /** What a proposal cost and who made it, until its child is evaluated. */
    private record Pending(String model, double cost, String summary) {}

    LlmOperator(EditFormat format, LlmSession session) {
        this.format = format;
        this.session = session;
        this.name = "llm." + format.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String name() {
        return name;
    }

    /** Model calls are slow: the engine makes these proposals on worker threads, several at once. */
    @Override
    public boolean slow() {
        return true;
    }

    @Override
    public Optional<Proposal> propose(ProposalContext context) {
        Deferred deferred = start(context);
        try {
            return deferred.make();
        } finally {
            deferred.settle();
        }
    }

    /**
     * Picks the model and fixes what the prompt shows, on the engine's thread; the returned
     * {@link Deferred} asks the model (and re-asks once) on a worker thread, and records what the
     * proposal cost with the model bandit when the engine settles it.
     */
    @Override
    public Deferred start(ProposalContext context) {
        PromptInput input;
        if (format == EditFormat.CROSSOVER) {
            Optional<Candidate> other = context.inspirations().stream().filter(c -> !c.id().equals(context.parent().id())).findFirst();
            if (other.isEmpty()) {
                return Optional::empty;
            }
            input = PromptInput.crossover(context.target(), context.parent(), other.get(),
                    context.inspirations().stream().filter(c -> !c.id().equals(other.get().id())).toList(), session.insights());
        } else {
            input = PromptInput.of(format, context, session.insights());
        }
        String model = session.settings().bandit().choose(context.random());
        String proposal = String.format(Locale.ROOT, "%016x", context.random().nextLong());
        return new Asking(input, model, session.client(model), context, proposal);
    }

    /** One proposal's model exchanges: made on a worker thread, settled on the engine's. */
    private final class Asking implements Deferred {
        private final PromptInput input;
        private final String model;
        private final BudgetedClient client;
        private final ProposalContext context;
        private final String proposal;
        private final List<String> exchanges = new ArrayList<>();
        private double cost;
        /** What settling records; until make decides, a proposal that failed outright. */
        private volatile Runnable settlement;

        Asking(PromptInput input, String model, BudgetedClient client, ProposalContext context, String proposal) {
            this.input = input;
            this.model = model;
            this.client = client;
            this.context = context;
            this.proposal = proposal;
            this.settlement = nothingFor(ModelBandit.MIN_COST);
        }

        @Override
        public Optional<Proposal> make() {
            Prompt prompt = session.prompts().build(input, client.spec());
            ChatRequest request = prompt.toRequest(client.spec().maxOutputTokens(), client.spec().temperature());
            EditResult result = null;
            for (int attempt = 0; attempt < 2; attempt++) {
                Cassette.Recorded recorded;
                try {
                    recorded = client.chatRecorded(request.forProposal(proposal + "." + (attempt + 1)));
                } catch (LlmException e) {
                    // no exchange took place: a budget refusal is not the model's fault; a replay miss is
                    double spent = e.kind() == LlmException.Kind.BUDGET ? cost : cost + ModelBandit.MIN_COST;
                    settlement = spent > 0 ? nothingFor(spent) : () -> { };
                    throw new LlmProposalException(name + " " + model + (exchanges.isEmpty() ? "" : " " + tag(exchanges)) + ": " + e.getMessage(), e);
                }
                exchanges.add(recorded.exchangeId());
                ChatReply reply;
                try {
                    reply = recorded.replyOrThrow();
                } catch (LlmException e) {
                    double spent = cost + ModelBandit.MIN_COST;
                    settlement = nothingFor(spent);
                    throw new LlmProposalException(name + " " + model + " " + tag(exchanges) + ": " + e.getMessage(), e);
                }
                cost += ModelBandit.effectiveCost(client.quote().cost(reply.usage()), reply.usage(), ModelBandit.DEFAULT_LOCAL_USD_PER_MILLION_TOKENS);
                result = Edits.apply(format, context.parent().code(), reply.text(), Optional.of(context.target().blueprint()));
                if (!(result instanceof EditResult.Failed failed) || !failed.retryable() || attempt == 1) {
                    break;
                }
                request = new ChatRequest(request.system(), request.user() + "\n\n## Your previous answer\n\n" + reply.text()
                        + "\n\n## Why it could not be applied\n\n" + failed.error()
                        + "\n\nAnswer again in the same format, fixing only that.", request.maxOutputTokens(), request.temperature());
            }
            double spent = cost;
            switch (result) {
                case EditResult.Applied applied -> {
                    // an edit that leaves the parent as it is comes back as Failed from Edits.apply
                    settlement = () -> pending.put(applied.code().id(), new Pending(model, spent, applied.summary()));
                    return Optional.of(new Proposal(applied.code(), name + " " + model + " " + tag(exchanges) + ": " + applied.summary()));
                }
                case EditResult.Failed failed -> {
                    settlement = nothingFor(spent);
                    throw new LlmProposalException(name + " " + model + " " + tag(exchanges) + ": the reply could not be applied: " + failed.error());
                }
            }
        }

        /** Settling a proposal that came to nothing: a pull of this model with no gain, at {@code cost}. */
        private Runnable nothingFor(double cost) {
            return () -> session.settings().bandit().record(model, 0, cost);
        }

        @Override
        public void settle() {
            settlement.run();
            publish();
        }
    }

    @Override
    public void observe(Candidate child, Candidate parent) {
        Pending p = pending.remove(child.id());
        if (p == null) {
            return;
        }
        double gain = child.feasible() && parent.feasible() ? Math.max(0, child.fitness() - parent.fitness())
                : child.feasible() && !parent.feasible() ? 1 : 0;
        session.settings().bandit().record(p.model(), gain, p.cost());
        if (gain > 0) {
            session.learn(String.format(Locale.ROOT, "%s by %s improved fitness by %.6g: %s", name, p.model(), gain, p.summary()));
        } else if (!child.evaluation().passed()) {
            session.learn(name + " by " + p.model() + " failed (" + child.evaluation().outcome().kind() + "): " + p.summary());
        }
        publish();
    }

    private void publish() {
        session.settings().banditSink().accept(session.settings().bandit().exportState());
    }

    /** {@code [exchange 12]} or {@code [exchanges 12, 13]}: how ledger entries point at the cassette. */
    static String tag(List<String> exchanges) {
        return (exchanges.size() == 1 ? "[exchange " : "[exchanges ") + String.join(", ", exchanges) + "]";
    }
}
