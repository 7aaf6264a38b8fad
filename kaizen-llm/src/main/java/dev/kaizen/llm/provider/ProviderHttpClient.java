package dev.kaizen.llm.provider;

import dev.kaizen.llm.Provider;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * LangChain4j's HTTP client interface over {@code java.net.http}, non-streaming only. Unlike LangChain4j's
 * own JDK client it keeps a failed response's {@code Retry-After} (in {@link HttpStatusException}) and
 * removes the key from error bodies before they travel in exceptions. A server that streams its answer
 * although one reply was asked for has the stream assembled into the provider's single response, or
 * refused, by {@link StreamedReplies} before LangChain4j parses it. It never logs.
 */
final class ProviderHttpClient implements HttpClient {

    private final java.net.http.HttpClient http;
    private final Duration readTimeout;
    private final ApiKey key;
    private final Provider provider;
    private final UnaryOperator<String> adaptBody;

    private ProviderHttpClient(Duration connectTimeout, Duration readTimeout, ApiKey key, Provider provider, UnaryOperator<String> adaptBody) {
        this.http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .build();
        this.readTimeout = readTimeout;
        this.key = key;
        this.provider = provider;
        this.adaptBody = adaptBody;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            throw new UnsupportedOperationException("multipart requests are not supported");
        }
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(request.url())).timeout(readTimeout);
        request.headers().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
        b.method(request.method().name(), request.body() == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new TimeoutException("no reply within " + readTimeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + key.redact(e.getMessage())), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LangChain4jException("interrupted while waiting for the reply", e);
        }
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            throw new HttpStatusException(status, key.redact(response.body()), retryAfter(response.headers(), Instant.now()).orElse(null));
        }
        String body = StreamedReplies.whole(provider, response.headers().firstValue("content-type"), response.body(), key);
        Map<String, List<String>> headers = response.headers().map();
        if (!Objects.equals(body, response.body())) {
            // the assembled stream is what the provider's non-streaming protocol answers: one JSON object
            headers = new LinkedHashMap<>(headers);
            headers.keySet().removeIf(name -> name.equalsIgnoreCase("content-type") || name.equalsIgnoreCase("content-length"));
            headers.put("content-type", List.of("application/json"));
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(status)
                .headers(headers)
                .body(adaptBody.apply(body))
                .build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        listener.onError(new UnsupportedOperationException("streaming is not supported; requests are sent whole"));
    }

    @Override
    public String toString() {
        return "ProviderHttpClient[readTimeout=" + readTimeout + "]";
    }

    /**
     * The wait a response asks for: {@code retry-after-ms} (milliseconds, as OpenAI sends), else
     * {@code Retry-After} in seconds or as an HTTP date.
     */
    static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                double v = Double.parseDouble(ms.get().strip());
                if (v >= 0 && Double.isFinite(v)) {
                    return Optional.of(Duration.ofNanos((long) (v * 1_000_000)));
                }
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        Optional<String> ra = headers.firstValue("retry-after");
        if (ra.isEmpty()) {
            return Optional.empty();
        }
        String v = ra.get().strip();
        try {
            double seconds = Double.parseDouble(v);
            return seconds >= 0 && Double.isFinite(seconds) ? Optional.of(Duration.ofMillis((long) (seconds * 1000))) : Optional.empty();
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /** Builds {@link ProviderHttpClient}s with the timeouts LangChain4j's models set. */
    static final class Builder implements HttpClientBuilder {

        private final ApiKey key;
        private final Provider provider;
        private final UnaryOperator<String> adaptBody;
        private Duration connectTimeout;
        private Duration readTimeout;

        /**
         * @param provider  whose protocol the responses follow, for assembling a streamed one
         * @param adaptBody applied to every successful response body (a stream once assembled) before LangChain4j parses it
         */
        Builder(ApiKey key, Provider provider, UnaryOperator<String> adaptBody) {
            this.key = Objects.requireNonNull(key, "key");
            this.provider = Objects.requireNonNull(provider, "provider");
            this.adaptBody = Objects.requireNonNull(adaptBody, "adaptBody");
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(Duration d) {
            this.readTimeout = d;
            return this;
        }

        @Override
        public HttpClient build() {
            return new ProviderHttpClient(
                    connectTimeout == null ? Duration.ofSeconds(15) : connectTimeout,
                    readTimeout == null ? Duration.ofSeconds(60) : readTimeout,
                    key, provider, adaptBody);
        }

        @Override
        public String toString() {
            return "ProviderHttpClient.Builder[connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
        }
    }
}
