package dev.kaizen.llm.provider;

import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmClient;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Usage;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * One attempt per call against a LangChain4j {@link ChatModel} (built with its retries off): the reply,
 * its usage (estimated at four characters a token when the provider reports none), or an
 * {@link LlmException} naming the model and the server.
 */
final class ChatModelClient implements LlmClient {

    private final ModelSpec spec;
    private final String where;
    private final ChatModel model;
    private final Function<ChatRequest, dev.langchain4j.model.chat.request.ChatRequest> translate;
    private final ApiKey key;

    ChatModelClient(ModelSpec spec, String where, ChatModel model,
                    Function<ChatRequest, dev.langchain4j.model.chat.request.ChatRequest> translate, ApiKey key) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.where = Objects.requireNonNull(where, "where");
        this.model = Objects.requireNonNull(model, "model");
        this.translate = Objects.requireNonNull(translate, "translate");
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public ChatReply chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        long start = System.nanoTime();
        ChatResponse response;
        try {
            response = model.chat(translate.apply(request));
        } catch (RuntimeException e) {
            throw Failures.map(e, where, spec.timeout(), key);
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        AiMessage message = response == null ? null : response.aiMessage();
        String text = message == null ? null : message.text();
        if (text == null || text.isBlank()) {
            String finish = response == null || response.finishReason() == null ? "" : " (finish reason " + response.finishReason() + ")";
            throw Failures.failure(LlmException.Kind.EMPTY, where, "the model returned an empty reply" + finish, "", null, null);
        }
        return new ChatReply(text, usage(response.tokenUsage(), request, text), spec.label(), latency);
    }

    private static Usage usage(TokenUsage reported, ChatRequest request, String reply) {
        Integer in = reported == null ? null : reported.inputTokenCount();
        Integer out = reported == null ? null : reported.outputTokenCount();
        return new Usage(
                in != null && in >= 0 ? in : estimate(request.system().length() + (long) request.user().length()),
                out != null && out >= 0 ? out : estimate(reply.length()));
    }

    /** Four characters a token, rounded up. */
    static long estimate(long chars) {
        return (chars + 3) / 4;
    }

    @Override
    public String toString() {
        return "ChatModelClient[" + where + "]";
    }
}
