package dev.kaizen.llm.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.operator.Deferred;
import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.operator.ProposalContext;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Objective;
import dev.kaizen.core.target.Target;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.budget.Budget;
import dev.kaizen.llm.budget.PriceTable;
import dev.kaizen.llm.edit.EditFormat;
import dev.kaizen.llm.edit.EditResult;
import dev.kaizen.llm.edit.Edits;
import dev.kaizen.llm.ensemble.ModelBandit;
import dev.kaizen.llm.prompt.PromptFixtures;
import dev.kaizen.llm.record.Cassette;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The language-model operator's two-phase contract against a local server speaking OpenAI's chat
 * completions protocol: what {@code start} fixes, what {@code make} does on a worker thread, and what
 * {@code settle} and {@code observe} record.
 */
class LlmOperatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PACKING = PromptFixtures.PACKING;

    /** A diff that applies to the seed. */
    private static final String GOOD_DIFF = """
            Spread the circles vertically.

            ### region: packing.py#1
            <<<<<<< SEARCH
                    centers.append((i * 0.1, 0.5))
            =======
                    centers.append((i * 0.1, 0.25 + 0.5 * (i % 2)))
            >>>>>>> REPLACE
            """;

    /** A diff whose SEARCH text is not in the seed. */
    private static final String BAD_DIFF = """
            ### region: packing.py#1
            <<<<<<< SEARCH
                    centers.append((i * 0.2, 0.7))
            =======
                    centers.append((i * 0.2, 0.75))
            >>>>>>> REPLACE
            """;

    private static final ModelSpec SPEC_TEMPLATE = ModelSpec.of(Provider.OPENAI, "qwen2.5-coder:7b");
    private static final String MODEL = SPEC_TEMPLATE.label();

    @TempDir
    Path dir;

    private ChatServer server;
    private ModelBandit bandit;
    private final List<String> published = Collections.synchronizedList(new ArrayList<>());
    private LlmSession session;
    private Target target;
    private Candidate parent;
    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    @BeforeEach
    void open() {
        server = ChatServer.start();
        Blueprint blueprint = new Blueprint(List.of(Blueprint.parse("packing.py", PACKING)));
        target = new Target("circle-packing", "Pack circles in the unit square.", Path.of("circle-packing"), blueprint,
                Objective.maximize("score"), List.of());
        parent = candidate(blueprint.seed(), 1.0);
        bandit = ModelBandit.bandit(Map.of(MODEL, 1.0));
        ModelSpec spec = SPEC_TEMPLATE.withBaseUrl(server.url("/v1")).withTimeout(Duration.ofSeconds(10));
        session = LlmSession.open(new LlmSession.Settings(target, List.of(spec), bandit, Budget.unlimited(), PriceTable.defaults(),
                dir.resolve("llm"), Optional.empty(), Optional.empty(), Map.<String, String>of()::get, published::add));
    }

    @AfterEach
    void close() {
        worker.shutdownNow();
        session.close();
        server.close();
    }

    private LlmOperator diff() {
        return new LlmOperator(EditFormat.DIFF, session);
    }

    private ProposalContext context(long seed) {
        return new ProposalContext(target, parent, List.of(), new SplittableRandom(seed));
    }

    private static Candidate candidate(Code code, double score) {
        Evaluation e = Evaluation.passed(Map.of("score", score), "", "run", Duration.ofMillis(5));
        return new Candidate(0, code.id(), code, List.of(), "seed", "", Patch.empty(), e, score, 0, "", 0, Instant.EPOCH);
    }

    private Optional<Proposal> makeOnWorker(Deferred deferred, AtomicReference<Thread> ranOn) throws Exception {
        Future<Optional<Proposal>> f = worker.submit(() -> {
            ranOn.set(Thread.currentThread());
            return deferred.make();
        });
        return f.get();
    }

    /** What {@code make} threw on the worker thread. */
    private Throwable failureOnWorker(Deferred deferred) {
        Future<Optional<Proposal>> f = worker.submit(deferred::make);
        ExecutionException e = catchThrowableOfType(ExecutionException.class, f::get);
        assertThat(e).as("make should have thrown").isNotNull();
        return e.getCause();
    }

    private List<Cassette.Exchange> exchanges() {
        return session.cassette().exchanges();
    }

    private ModelBandit.Arm arm() {
        return bandit.stats().getFirst();
    }

    @Test
    void isSlow() {
        assertThat(diff().slow()).isTrue();
        assertThat(diff().name()).isEqualTo("llm.diff");
    }

    @Test
    void startOnTheEngineThreadThenMakeOnAWorkerGivesAProposalNamingItsExchange() throws Exception {
        server.replies(GOOD_DIFF);
        LlmOperator op = diff();
        String initial = bandit.exportState();

        Deferred deferred = op.start(context(1));
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Optional<Proposal> proposal = makeOnWorker(deferred, ranOn);

        assertThat(ranOn.get()).isNotNull().isNotSameAs(Thread.currentThread());
        assertThat(exchanges()).hasSize(1);
        String id = exchanges().getFirst().id();
        assertThat(proposal).isPresent();
        assertThat(proposal.get().description())
                .isEqualTo("llm.diff " + MODEL + " [exchange " + id + "]: search/replace: 1 block in packing.py#1");
        assertThat(proposal.get().code().region("packing.py#1")).contains("centers.append((i * 0.1, 0.25 + 0.5 * (i % 2)))");
        assertThat(bandit.exportState()).as("make leaves the bandit alone").isEqualTo(initial);
        assertThat(published).isEmpty();

        deferred.settle();

        // a proposal that made a child is rewarded once the child is evaluated (observe), not when settled
        assertThat(bandit.exportState()).isEqualTo(initial);
        assertThat(published).containsExactly(initial);
    }

    @Test
    void aFailedProposalChangesTheBanditOnlyWhenSettled() throws Exception {
        server.reply(401, "{\"error\":{\"message\":\"Invalid API key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        String initial = bandit.exportState();
        Deferred deferred = diff().start(context(1));

        Throwable thrown = failureOnWorker(deferred);

        assertThat(thrown).isInstanceOf(LlmProposalException.class);
        assertThat(bandit.exportState()).isEqualTo(initial);

        deferred.settle();

        assertThat(bandit.exportState()).isNotEqualTo(initial);
        assertThat(published).containsExactly(bandit.exportState());
    }

    @Test
    void aBudgetRefusalFailsTheProposalWithoutCallingOrBlamingTheModel() throws Exception {
        ModelSpec spec = SPEC_TEMPLATE.withBaseUrl(server.url("/v1")).withTimeout(Duration.ofSeconds(10));
        Budget tiny = new Budget(java.util.OptionalDouble.empty(), java.util.OptionalLong.of(10));
        try (LlmSession capped = LlmSession.open(new LlmSession.Settings(target, List.of(spec), bandit, tiny, PriceTable.defaults(),
                dir.resolve("capped"), Optional.empty(), Optional.empty(), Map.<String, String>of()::get, published::add))) {
            String initial = bandit.exportState();
            Deferred deferred = new LlmOperator(EditFormat.DIFF, capped).start(context(5));

            Throwable thrown = failureOnWorker(deferred);
            deferred.settle();

            assertThat(thrown).isInstanceOf(LlmProposalException.class).hasMessageStartingWith("llm.diff " + MODEL + ": budget: ")
                    .hasMessageNotContaining("[exchange");
            assertThat(server.bodies()).as("requests that reached the model").isEmpty();
            assertThat(bandit.exportState()).as("the model is not blamed for the budget").isEqualTo(initial);
            assertThat(capped.exhaustion()).hasValueSatisfying(why -> assertThat(why).startsWith("the llm budget is spent: "));
        }
    }

    @Test
    void theProposalIdIsRecordedInTheCassetteButNeverSentToTheModel() throws Exception {
        server.replies(GOOD_DIFF);
        Deferred deferred = diff().start(context(3));

        makeOnWorker(deferred, new AtomicReference<>());
        deferred.settle();

        Cassette.Exchange exchange = exchanges().getFirst();
        String proposal = exchange.request().proposal();
        assertThat(proposal).matches("[0-9a-f]{16}\\.1");
        String id = proposal.substring(0, 16);
        // the line on disk names it
        String line = Files.readAllLines(session.cassette().file()).getFirst();
        assertThat(JSON.readTree(line).path("request").path("proposal").asText()).isEqualTo(proposal);
        // the server never sees it
        assertThat(server.bodies()).hasSize(1);
        String body = server.bodies().getFirst();
        assertThat(body).doesNotContain(id);
        JsonNode json = JSON.readTree(body);
        assertThat(json.findValues("proposal")).isEmpty();
        assertThat(json.path("messages").get(1).path("content").asText()).isEqualTo(exchange.request().user());
    }

    @Test
    void proposalIdsFollowTheRandomStream() throws Exception {
        server.replies(GOOD_DIFF);
        LlmOperator op = diff();

        List<String> ids = new ArrayList<>();
        for (long seed : new long[] {11, 12, 13, 13}) {
            Deferred d = op.start(context(seed));
            makeOnWorker(d, new AtomicReference<>());
            d.settle();
            ids.add(exchanges().getLast().request().proposal());
        }

        // identical contexts and prompts; only the random stream differs, or not
        assertThat(server.bodies()).hasSize(4).containsOnly(server.bodies().getFirst());
        assertThat(ids.get(0)).isNotEqualTo(ids.get(1));
        assertThat(ids.get(1)).isNotEqualTo(ids.get(2));
        assertThat(ids.get(2)).isEqualTo(ids.get(3));
    }

    @Test
    void aReplyThatDoesNotApplyIsReaskedOnceWithThePreciseError() throws Exception {
        server.replies(BAD_DIFF, GOOD_DIFF);
        String error = ((EditResult.Failed) Edits.apply(EditFormat.DIFF, parent.code(), BAD_DIFF, Optional.of(target.blueprint()))).error();
        Deferred deferred = diff().start(context(5));

        Optional<Proposal> proposal = makeOnWorker(deferred, new AtomicReference<>());

        assertThat(server.bodies()).hasSize(2);
        String firstUser = userMessage(server.bodies().get(0));
        String secondUser = userMessage(server.bodies().get(1));
        assertThat(error).contains("block 1");
        assertThat(secondUser)
                .startsWith(firstUser)
                .contains("## Your previous answer\n\n" + BAD_DIFF)
                .contains("## Why it could not be applied\n\n" + error + "\n\n");
        assertThat(firstUser).doesNotContain(error);
        List<Cassette.Exchange> exchanges = exchanges();
        assertThat(exchanges).hasSize(2);
        String p = exchanges.get(0).request().proposal();
        assertThat(p).endsWith(".1");
        assertThat(exchanges.get(1).request().proposal()).isEqualTo(p.substring(0, p.length() - 2) + ".2");
        assertThat(proposal).isPresent();
        assertThat(proposal.get().description())
                .startsWith("llm.diff " + MODEL + " [exchanges " + exchanges.get(0).id() + ", " + exchanges.get(1).id() + "]: search/replace");
    }

    @Test
    void aReplyThatStillDoesNotApplyFailsTheProposalAndSettlesAZeroGainPull() throws Exception {
        server.replies(BAD_DIFF);
        Deferred deferred = diff().start(context(5));

        Throwable thrown = failureOnWorker(deferred);

        assertThat(server.bodies()).as("one re-ask, no more").hasSize(2);
        List<Cassette.Exchange> exchanges = exchanges();
        assertThat(thrown).isInstanceOf(LlmProposalException.class)
                .hasMessageStartingWith("llm.diff " + MODEL + " [exchanges " + exchanges.get(0).id() + ", " + exchanges.get(1).id() + "]")
                .hasMessageContaining("the reply could not be applied: ")
                .hasMessageContaining("block 1");
        assertThat(arm().calls()).isZero();

        deferred.settle();

        ModelBandit.Arm arm = arm();
        assertThat(arm.model()).isEqualTo(MODEL);
        assertThat(arm.calls()).isEqualTo(1);
        assertThat(arm.improved()).isZero();
        assertThat(arm.gain()).isZero();
        assertThat(arm.efficiency()).isZero();
        assertThat(arm.pulls()).isEqualTo(1.0);
        // both exchanges' tokens are counted, at the local shadow price
        assertThat(arm.cost()).isPositive();
    }

    @Test
    void anUnauthorizedModelFailsTheProposalAtOnceAndSettlesAZeroGainPull() throws Exception {
        server.reply(401, "{\"error\":{\"message\":\"Invalid API key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        Deferred deferred = diff().start(context(5));

        Throwable thrown = failureOnWorker(deferred);

        assertThat(server.bodies()).as("no retry and no re-ask").hasSize(1);
        assertThat(thrown).isInstanceOf(LlmProposalException.class)
                .hasMessageStartingWith("llm.diff " + MODEL + " [exchange " + exchanges().getFirst().id() + "]: ")
                .hasMessageContaining(MODEL + " at " + server.url("/v1") + ": authentication failed (401): Invalid API key");
        assertThat(thrown.getCause()).isInstanceOfSatisfying(LlmException.class,
                e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.AUTHENTICATION));
        assertThat(exchanges().getFirst().failure()).map(Cassette.Failure::kind).contains(LlmException.Kind.AUTHENTICATION);

        deferred.settle();

        ModelBandit.Arm arm = arm();
        assertThat(arm.calls()).isEqualTo(1);
        assertThat(arm.improved()).isZero();
        assertThat(arm.gain()).isZero();
        assertThat(arm.cost()).isEqualTo(ModelBandit.MIN_COST);
    }

    @Test
    void aReplyThatLeavesTheParentUnchangedIsReaskedAndThenFailsTheProposal() throws Exception {
        // the edit formats report a reply that changes nothing as a failure a re-ask may fix; the operator's
        // branch for an applied edit equal to its parent (Optional.empty) is a guard the formats never reach
        String noOp = """
                ### region: packing.py#1
                <<<<<<< SEARCH
                        centers.append((i * 0.1, 0.5))
                =======
                        centers.append((i * 0.1, 0.5))
                >>>>>>> REPLACE
                """;
        server.replies(noOp);
        Deferred deferred = diff().start(context(5));

        Throwable thrown = failureOnWorker(deferred);

        assertThat(server.bodies()).hasSize(2);
        assertThat(userMessage(server.bodies().get(1))).contains("leave the code unchanged");
        assertThat(thrown).isInstanceOf(LlmProposalException.class).hasMessageContaining("leave the code unchanged");
        deferred.settle();
        assertThat(arm().calls()).isEqualTo(1);
        assertThat(arm().gain()).isZero();
    }

    @Test
    void aCrossoverWithoutASecondParentOffersNothingAndAsksNoModel() throws Exception {
        String initial = bandit.exportState();
        LlmOperator crossover = new LlmOperator(EditFormat.CROSSOVER, session);
        // the only inspiration is the parent itself
        Deferred deferred = crossover.start(new ProposalContext(target, parent, List.of(parent), new SplittableRandom(1)));

        assertThat(makeOnWorker(deferred, new AtomicReference<>())).isEmpty();
        deferred.settle();

        assertThat(server.bodies()).isEmpty();
        assertThat(exchanges()).isEmpty();
        assertThat(bandit.exportState()).isEqualTo(initial);
    }

    @Test
    void observingABetterChildAfterSettlingRecordsItsGainAndLearnsAnInsight() throws Exception {
        server.replies(GOOD_DIFF);
        LlmOperator op = diff();
        Deferred deferred = op.start(context(7));
        Proposal proposal = makeOnWorker(deferred, new AtomicReference<>()).orElseThrow();
        deferred.settle();
        assertThat(arm().calls()).isZero();
        String settled = bandit.exportState();
        Candidate child = candidate(proposal.code(), 1.75);

        op.observe(child, parent);

        ModelBandit.Arm arm = arm();
        assertThat(arm.calls()).isEqualTo(1);
        assertThat(arm.improved()).isEqualTo(1);
        assertThat(arm.gain()).isEqualTo(0.75);
        assertThat(arm.efficiency()).isPositive();
        assertThat(bandit.exportState()).isNotEqualTo(settled);
        assertThat(published.getLast()).isEqualTo(bandit.exportState());
        assertThat(session.insights()).containsExactly(
                "llm.diff by " + MODEL + " improved fitness by 0.750000: search/replace: 1 block in packing.py#1");

        // a child is observed once; a child this operator did not propose changes nothing
        op.observe(child, parent);
        op.observe(candidate(Code.single("packing.py#1", "def pack(n):\n    return []\n"), 9.0), parent);
        assertThat(arm().calls()).isEqualTo(1);
        assertThat(session.insights()).hasSize(1);
    }

    @Test
    void theNextPromptShowsWhatWasLearned() throws Exception {
        server.replies(GOOD_DIFF);
        LlmOperator op = diff();
        Deferred first = op.start(context(7));
        Proposal proposal = makeOnWorker(first, new AtomicReference<>()).orElseThrow();
        first.settle();
        op.observe(candidate(proposal.code(), 2.0), parent);

        Deferred second = op.start(context(8));
        makeOnWorker(second, new AtomicReference<>());

        assertThat(userMessage(server.bodies().get(1))).contains("improved fitness by 1.00000");
        assertThat(userMessage(server.bodies().get(0))).doesNotContain("improved fitness");
    }

    private static String userMessage(String body) {
        try {
            JsonNode messages = JSON.readTree(body).path("messages");
            return messages.get(messages.size() - 1).path("content").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String completion(String text) {
        try {
            return """
                    {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"qwen2.5-coder:7b",
                     "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":900,"completion_tokens":120,"total_tokens":1020}}
                    """.formatted(JSON.writeValueAsString(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A local server on the loopback address speaking OpenAI's chat completions protocol: answers each
     * request with the next scripted status and body (the last one repeats) and keeps the bodies it received.
     */
    private static final class ChatServer implements AutoCloseable {

        private record Answer(int status, String body) {}

        private final HttpServer http;
        private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        private final Deque<Answer> script = new ArrayDeque<>();
        private final List<String> bodies = new ArrayList<>();

        private ChatServer() throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", this::handle);
            http.setExecutor(executor);
            http.start();
        }

        static ChatServer start() {
            try {
                return new ChatServer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Answers every request with {@code status} and {@code body}. */
        synchronized void reply(int status, String body) {
            script.clear();
            script.add(new Answer(status, body));
        }

        /** Answers the next requests with completions of {@code texts}, in order; the last one repeats. */
        synchronized void replies(String... texts) {
            script.clear();
            for (String text : texts) {
                script.add(new Answer(200, completion(text)));
            }
        }

        URI url(String path) {
            return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path);
        }

        synchronized List<String> bodies() {
            return List.copyOf(bodies);
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Answer answer;
                synchronized (this) {
                    bodies.add(body);
                    answer = script.size() > 1 ? script.poll() : script.peek();
                }
                if (answer == null) {
                    answer = new Answer(500, "{\"error\":{\"message\":\"no reply scripted\"}}");
                }
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(answer.status(), bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }

        @Override
        public void close() {
            http.stop(0);
            executor.shutdownNow();
        }
    }
}
