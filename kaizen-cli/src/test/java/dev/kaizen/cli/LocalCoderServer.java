package dev.kaizen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local OpenAI-compatible server ({@code POST /v1/chat/completions}) standing in for a small
 * coding model on the circle-packing example: it reads the prompt, picks one {@code add_row} or
 * {@code nudge} line of code it shows, moves one of that line's coordinates a little, and answers
 * with a real search/replace edit, in a chat.completion object with usage. Its choice is seeded
 * by the request's text and the request's number, so that, like a model sampling at a
 * temperature, the same prompt asked again gets another answer. Like a real server it answers
 * several requests at once, each after a short random delay, so replies come back in another order
 * than they were asked in. Made {@linkplain #LocalCoderServer(boolean) to wait}, its first request
 * waits (up to 5 s) for a second to arrive, so that a client asking one request at a time shows up
 * as {@link #mostAtOnce()} 1.
 */
final class LocalCoderServer implements AutoCloseable {

    private static final Pattern CODE_LINE = Pattern.compile("(?m)^([ \\t]*)((?:add_row|nudge)\\(centers, [^\\n]*\\))[ \\t]*$");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+\\.\\d+");

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> authorizations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.function.BiFunction<String, Integer, String> editor;
    private final AtomicInteger answering = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch firstTwo = new java.util.concurrent.CountDownLatch(2);
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();

    LocalCoderServer() throws IOException {
        this(false);
    }

    /** A server whose first request waits for a second when {@code firstWaitsForSecond}. */
    LocalCoderServer(boolean firstWaitsForSecond) throws IOException {
        this(firstWaitsForSecond, LocalCoderServer::edit);
    }

    /** A server that answers with {@code editor}'s reply to the prompt and the request's number. */
    LocalCoderServer(boolean firstWaitsForSecond, java.util.function.BiFunction<String, Integer, String> editor) throws IOException {
        this.editor = editor;
        if (!firstWaitsForSecond) {
            firstTwo.countDown();
            firstTwo.countDown();
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::answer);
        server.setExecutor(threads);
        server.start();
    }

    /** The most requests the server was answering at one time. */
    int mostAtOnce() {
        return mostAtOnce.get();
    }

    /** The base URL to configure: {@code http://127.0.0.1:PORT/v1}. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    int requests() {
        return requests.get();
    }

    /** The Authorization headers the server received. */
    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void answer(HttpExchange exchange) throws IOException {
        int now = answering.incrementAndGet();
        mostAtOnce.accumulateAndGet(now, Math::max);
        try (exchange) {
            firstTwo.countDown();
            firstTwo.await(5, java.util.concurrent.TimeUnit.SECONDS);
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(0, 25));
            int number = requests.incrementAndGet();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            JsonNode request = json.readTree(exchange.getRequestBody());
            StringBuilder prompt = new StringBuilder();
            for (JsonNode m : request.path("messages")) {
                JsonNode content = m.path("content");
                prompt.append(content.isTextual() ? content.asText() : content.toString()).append('\n');
            }
            String reply = editor.apply(prompt.toString(), number);
            ObjectNode body = json.createObjectNode();
            body.put("id", "chatcmpl-" + number);
            body.put("object", "chat.completion");
            body.put("created", 1_700_000_000L);
            body.put("model", request.path("model").asText("local-coder"));
            ObjectNode choice = body.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", reply);
            choice.put("finish_reason", "stop");
            ObjectNode usage = body.putObject("usage");
            int in = prompt.length() / 4;
            int out = reply.length() / 4;
            usage.put("prompt_tokens", in);
            usage.put("completion_tokens", out);
            usage.put("total_tokens", in + out);
            byte[] bytes = json.writeValueAsBytes(body);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            answering.decrementAndGet();
        }
    }

    /** A search/replace edit moving one coordinate of one code line shown in the prompt, or a polite refusal when none is shown. */
    static String edit(String prompt, int sample) {
        List<String[]> lines = new ArrayList<>();
        Matcher m = CODE_LINE.matcher(prompt);
        while (m.find()) {
            lines.add(new String[] {m.group(1), m.group(2)});
        }
        if (lines.isEmpty()) {
            return "I could not find the code to change.";
        }
        SplittableRandom random = new SplittableRandom(prompt.hashCode() * 31L + sample);
        String[] line = lines.get(random.nextInt(lines.size()));
        List<int[]> numbers = new ArrayList<>();
        Matcher n = NUMBER.matcher(line[1]);
        while (n.find()) {
            numbers.add(new int[] {n.start(), n.end()});
        }
        if (numbers.isEmpty()) {
            return "Nothing to tune in that line.";
        }
        int[] at = numbers.get(random.nextInt(numbers.size()));
        double value = Double.parseDouble(line[1].substring(at[0], at[1]));
        double step = (random.nextBoolean() ? 1 : -1) * (random.nextBoolean() ? 0.01 : 0.004);
        String moved = String.format(Locale.ROOT, "%.3f", value + step);
        String replaced = line[1].substring(0, at[0]) + moved + line[1].substring(at[1]);
        return "Moving one coordinate a little should let the neighbouring circles grow.\n\n"
                + "<<<<<<< SEARCH\n" + line[0] + line[1] + "\n=======\n" + line[0] + replaced + "\n>>>>>>> REPLACE\n";
    }

    /** Edits a coder might try on the java-speedup example's {@code Percentiles}: three make it cheaper, one breaks a test. */
    private static final List<String[]> PERCENTILES_EDITS = List.of(
            new String[] {"        for (int k = 0; k < ps.length; k++) {\n            sort(sorted);\n", "        for (int k = 0; k < ps.length; k++) {\n"},
            new String[] {"            checkSorted(sorted);\n", ""},
            new String[] {"""
                            for (int i = 0; i < a.length - 1; i++) {
                                int min = i;
                                for (int j = i + 1; j < a.length; j++) {
                                    if (a[j] < a[min]) {
                                        min = j;
                                    }
                                }
                                int t = a[i];
                                a[i] = a[min];
                                a[min] = t;
                            }
                    """, "        java.util.Arrays.sort(a);\n"},
            new String[] {"            out[k] = sorted[Math.max(0, rank - 1)];\n", "            out[k] = sorted[Math.min(sorted.length - 1, rank)];\n"});

    /** A search/replace edit of the java-speedup example, one of those whose search text the prompt shows, or a refusal when none is left. */
    static String percentilesEdit(String prompt, int sample) {
        List<String[]> applicable = PERCENTILES_EDITS.stream().filter(e -> prompt.contains(e[0])).toList();
        if (applicable.isEmpty()) {
            return "Nothing left to speed up.";
        }
        String[] e = applicable.get(new SplittableRandom(prompt.hashCode() * 31L + sample).nextInt(applicable.size()));
        return "This should be cheaper.\n\n<<<<<<< SEARCH\n" + e[0] + "=======\n" + e[1] + ">>>>>>> REPLACE\n";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
