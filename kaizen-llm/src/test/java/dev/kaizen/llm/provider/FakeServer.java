package dev.kaizen.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server on 127.0.0.1 that answers every request with the next scripted reply (the last one
 * repeats) and records what it received.
 */
final class FakeServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A scripted answer: status, headers, body, and how long to wait before answering. */
    record Reply(int status, Map<String, String> headers, String body, Duration delay) {

        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), body, Duration.ZERO);
        }

        Reply header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, Map.copyOf(h), body, delay);
        }

        Reply after(Duration d) {
            return new Reply(status, headers, body, d);
        }
    }

    /** One request as the server saw it; header names in lower case. */
    record Received(String method, String path, String query, Map<String, List<String>> headers, String body) {

        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();

    private FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static FakeServer start() {
        try {
            return new FakeServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers the next requests with {@code replies}, in order; the last one repeats. */
    synchronized FakeServer reply(Reply... replies) {
        script.clear();
        script.addAll(List.of(replies));
        return this;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    synchronized int count() {
        return received.size();
    }

    synchronized List<Received> requests() {
        return List.copyOf(received);
    }

    synchronized Received last() {
        return received.getLast();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            Reply reply;
            synchronized (this) {
                received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                        Map.copyOf(headers), body));
                reply = script.size() > 1 ? script.poll() : script.peek();
            }
            if (reply == null) {
                reply = Reply.json(500, "{\"error\":{\"message\":\"no reply scripted\"}}");
            }
            if (!reply.delay().isZero() && closed.await(reply.delay().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException | InterruptedException clientGone) {
            // the client timed out and closed the connection
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
