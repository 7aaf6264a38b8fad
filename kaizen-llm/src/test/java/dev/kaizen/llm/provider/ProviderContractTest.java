package dev.kaizen.llm.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmClient;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.LlmException.Kind;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Provider;
import dev.kaizen.llm.Usage;
import dev.kaizen.llm.provider.FakeServer.Received;
import dev.kaizen.llm.provider.FakeServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What every provider client must do against a server speaking that provider's wire protocol; each
 * subclass supplies the protocol (paths, bodies, error shapes) and checks the request it sent.
 */
abstract class ProviderContractTest {

    static final ChatRequest REQUEST = new ChatRequest("You improve code. Reply with a diff.", "Make f() faster.", 321, 0.5);

    FakeServer server;
    final List<Duration> sleeps = new ArrayList<>();

    abstract Provider provider();

    abstract String model();

    /** The base URL's path on the fake server ({@code /v1}, or empty). */
    abstract String basePath();

    /** The path a chat request must go to. */
    abstract String chatPath();

    /** The key the client sends, when this protocol needs one. */
    abstract Optional<String> key();

    abstract String okBody(String text, int inputTokens, int outputTokens);

    abstract String okBodyWithoutUsage(String text);

    /** A successful answer with no text, as the provider sends it. */
    abstract String emptyBody();

    /** An error body as the provider sends it with {@code status}. */
    abstract String errorBody(int status, String message);

    /** Checks the provider-specific parts of the request the client sent for {@link #REQUEST}. */
    abstract void assertRequest(Received r);

    @BeforeEach
    void startServer() {
        server = FakeServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    ModelSpec spec() {
        ModelSpec s = ModelSpec.of(provider(), model()).withBaseUrl(server.url(basePath())).withTimeout(Duration.ofSeconds(5)).withMaxRetries(2);
        return key().isPresent() ? s.withApiKeyEnv("KAIZEN_TEST_KEY") : s;
    }

    Function<String, String> env() {
        return key().map(k -> Map.of("KAIZEN_TEST_KEY", k)).orElse(Map.of())::get;
    }

    LlmClient client(ModelSpec spec) {
        return new Retrying(Providers.direct(spec, env()), new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(10)), sleeps::add, () -> 0.5);
    }

    LlmClient client() {
        return client(spec());
    }

    String where() {
        return spec().label() + " at " + server.url(basePath());
    }

    static String quote(String text) {
        try {
            return FakeServer.JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    LlmException failure(LlmClient c) {
        return catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));
    }

    /** For a provider whose streams Kaizen does not assemble: a {@code text/event-stream} reply is refused at once, saying why. */
    void assertEventStreamRefused(String stream) {
        server.reply(new Reply(200, Map.of("Content-Type", "text/event-stream"), stream, Duration.ZERO));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(server.count()).isEqualTo(1);
        assertThat(e.getMessage()).isEqualTo(where() + ": the server streamed its reply as an event stream (text/event-stream) although one reply was asked for:"
                + " Kaizen reads " + provider().name().toLowerCase(java.util.Locale.ROOT) + " replies whole and assembles no event stream for this provider;"
                + " point base_url at a server or proxy that answers non-streaming requests with one reply");
    }

    @Test
    void replyWithUsageFromTheProvider() {
        server.reply(Reply.json(200, okBody("--- a/f\n+++ b/f\n\"quoted\" ünïcode", 12, 34)));
        LlmClient c = client();

        ChatReply reply = c.chat(REQUEST);

        assertThat(reply.text()).isEqualTo("--- a/f\n+++ b/f\n\"quoted\" ünïcode");
        assertThat(reply.usage()).isEqualTo(new Usage(12, 34));
        assertThat(reply.model()).isEqualTo(provider().id() + ":" + model());
        assertThat(reply.latency()).isPositive();
        assertThat(server.count()).isEqualTo(1);
        Received r = server.last();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo(chatPath());
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThat(r.body()).contains("You improve code. Reply with a diff.").contains("Make f() faster.");
        assertRequest(r);
    }

    @Test
    void usageIsEstimatedWhenTheProviderReportsNone() {
        server.reply(Reply.json(200, okBodyWithoutUsage("x".repeat(40))));

        ChatReply reply = client().chat(REQUEST);

        long inputChars = REQUEST.system().length() + REQUEST.user().length();
        assertThat(reply.usage()).isEqualTo(new Usage((inputChars + 3) / 4, 10));
    }

    @Test
    void rateLimitIsRetriedHonouringRetryAfter() {
        server.reply(
                Reply.json(429, errorBody(429, "slow down")),
                Reply.json(429, errorBody(429, "slow down")).header("Retry-After", "2"),
                Reply.json(200, okBody("done", 1, 1)));

        ChatReply reply = client().chat(REQUEST);

        assertThat(reply.text()).isEqualTo("done");
        assertThat(server.count()).isEqualTo(3);
        // first wait: backoff (100 ms, half fixed, half jitter at 0.5); second: the server's Retry-After
        assertThat(sleeps).containsExactly(Duration.ofMillis(75), Duration.ofSeconds(2));
    }

    @Test
    void rateLimitThatPersistsFailsAfterTheConfiguredRetries() {
        server.reply(Reply.json(429, errorBody(429, "Rate limit reached for requests")));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(server.count()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo(where() + ": rate limited (429) after 2 retries: Rate limit reached for requests");
        assertThat(sleeps).containsExactly(Duration.ofMillis(75), Duration.ofMillis(150));
    }

    @Test
    void serverErrorIsRetriedThenReported() {
        server.reply(Reply.json(500, errorBody(500, "The server had an error while processing your request")));

        LlmException e = failure(client(spec().withMaxRetries(3)));

        assertThat(e.kind()).isEqualTo(Kind.SERVER);
        assertThat(server.count()).isEqualTo(4);
        assertThat(e.getMessage()).isEqualTo(where() + ": server error (500) after 3 retries: The server had an error while processing your request");
    }

    @Test
    void serverErrorThenSuccess() {
        server.reply(Reply.json(503, errorBody(503, "overloaded")), Reply.json(200, okBody("fine", 3, 4)));

        assertThat(client().chat(REQUEST).text()).isEqualTo("fine");
        assertThat(server.count()).isEqualTo(2);
    }

    @Test
    void aServerThatDoesNotAnswerInTimeTimesOutAfterRetries() {
        server.reply(Reply.json(200, okBody("too late", 1, 1)).after(Duration.ofSeconds(10)));
        LlmClient c = new Retrying(Providers.direct(spec().withTimeout(Duration.ofMillis(300)).withMaxRetries(1), env()),
                new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(2)));

        LlmException e = failure(c);

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(server.count()).isEqualTo(2);
        assertThat(e.getMessage()).isEqualTo(where() + ": timed out (no reply within 300 ms) after 1 retry");
    }

    @Test
    void malformedJsonIsReportedAndNotRetried() {
        server.reply(Reply.json(200, "{\"id\": \"x\", \"choices\": [ {\"mess"));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(e.getMessage()).startsWith(where() + ": malformed reply");
        assertThat(server.count()).isEqualTo(1);
    }

    @Test
    void anEmptyReplyIsAnError() {
        server.reply(Reply.json(200, emptyBody()));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.EMPTY);
        assertThat(e.getMessage()).startsWith(where() + ": the model returned an empty reply");
        assertThat(server.count()).isEqualTo(1);
    }

    @Test
    void unauthorizedIsNotRetried() {
        server.reply(Reply.json(401, errorBody(401, "Invalid API key")));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(server.count()).isEqualTo(1);
        assertThat(e.getMessage()).isEqualTo(where() + ": authentication failed (401): Invalid API key");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void forbiddenIsNotRetried() {
        server.reply(Reply.json(403, errorBody(403, "Permission denied")));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(server.count()).isEqualTo(1);
    }

    @Test
    void badRequestIsNotRetried() {
        server.reply(Reply.json(400, errorBody(400, "max_tokens is too large")));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(server.count()).isEqualTo(1);
        assertThat(e.getMessage()).isEqualTo(where() + ": bad request (400): max_tokens is too large");
    }

    @Test
    void unknownModelIsNotFoundAndNotRetried() {
        server.reply(Reply.json(404, errorBody(404, "model not found")));

        LlmException e = failure(client());

        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(server.count()).isEqualTo(1);
    }

    @Test
    void aHugeReplyIsReturnedWhole() {
        String huge = "0123456789abcdef\n".repeat(2 * 1024 * 1024 / 17 + 1);
        server.reply(Reply.json(200, okBody(huge, 5, 600_000)));

        ChatReply reply = client().chat(REQUEST);

        assertThat(reply.text()).hasSize(huge.length()).isEqualTo(huge);
        assertThat(reply.usage().outputTokens()).isEqualTo(600_000);
    }

    @Test
    void theKeyNeverAppearsInMessagesOutputOrToString() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        List<Throwable> failures = new ArrayList<>();
        List<String> logged = new ArrayList<>();
        Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (proxy, m, args) -> {
            if (m.getReturnType() == boolean.class) {
                return true; // every level enabled
            }
            if (m.getReturnType() == void.class) {
                logged.add(m.getName() + " " + (args == null ? "" : Arrays.deepToString(args)));
            }
            return m.getReturnType() == String.class ? "recording" : null;
        });
        LlmClient c;
        System.setOut(capture);
        System.setErr(capture);
        try {
            c = new Retrying(Providers.direct(spec(), env(), logger), new RetryPolicy(Duration.ZERO, Duration.ZERO));
            String echoed = "Incorrect API key provided: " + key().orElse("none") + ".";
            server.reply(Reply.json(200, okBody("ok", 1, 1)), Reply.json(401, errorBody(401, echoed)),
                    Reply.json(429, errorBody(429, echoed)));
            c.chat(REQUEST);
            failures.add(failure(c));
            failures.add(failure(c));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(failures).extracting(t -> ((LlmException) t).kind()).containsExactly(Kind.AUTHENTICATION, Kind.RATE_LIMITED);
        assertThat(failures.get(0).getMessage()).contains("Incorrect API key provided");
        assertThat(logged).isEmpty();
        if (key().isPresent()) {
            String k = key().get();
            assertThat(server.requests()).allSatisfy(r -> assertThat(r.headers().toString()).contains(k));
            assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain(k);
            assertThat(c.toString()).doesNotContain(k);
            for (Throwable f : failures) {
                for (Throwable t = f; t != null; t = t.getCause()) {
                    assertThat(t.getMessage()).doesNotContain(k);
                    assertThat(t.toString()).doesNotContain(k);
                }
            }
        }
    }
}
