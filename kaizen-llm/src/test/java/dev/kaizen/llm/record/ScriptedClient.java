package dev.kaizen.llm.record;

import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmClient;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Usage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/** A deterministic in-memory client for decorator tests: answers by a script given the call number. */
public final class ScriptedClient implements LlmClient {

    private final ModelSpec spec;
    private final BiFunction<Integer, ChatRequest, ChatReply> script;
    private final AtomicInteger calls = new AtomicInteger();

    public ScriptedClient(ModelSpec spec, BiFunction<Integer, ChatRequest, ChatReply> script) {
        this.spec = spec;
        this.script = script;
    }

    /** Replies {@code reply <n> to <user>} with 10 input and 5 output tokens per call. */
    public static ScriptedClient echo(ModelSpec spec) {
        return new ScriptedClient(spec, (n, r) -> new ChatReply("reply " + n + " to " + r.user(), new Usage(10, 5), spec.label(), Duration.ofMillis(3)));
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public ChatReply chat(ChatRequest request) {
        return script.apply(calls.getAndIncrement(), request);
    }

    public int calls() {
        return calls.get();
    }
}
