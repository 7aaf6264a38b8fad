package dev.kaizen.llm.record;

import dev.kaizen.llm.ChatReply;
import dev.kaizen.llm.ChatRequest;
import dev.kaizen.llm.LlmException;
import dev.kaizen.llm.ModelSpec;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Answers requests from a {@link Cassette} without any network. A request is matched by its hash
 * under this client's model label; identical requests made several times get the recorded exchanges
 * in recorded order. A request that names its {@linkplain ChatRequest#proposal() proposal} and is
 * not in the cassette as it is gets the exchange that proposal recorded, if any: its prompt then
 * differs from the recording only in what the run measured differently (timings in a Java
 * target's feedback), and {@link #approximate()} counts these. Recorded failures are thrown again
 * as the same {@link LlmException} (kind and message). A request the cassette does not hold, or
 * holds fewer times than asked, fails with {@link LlmException.Kind#REPLAY_MISSING}, naming the hash
 * and the closest recorded request.
 *
 * <p>The cassette's exchanges are read once, when the client is made. Safe to use from many threads;
 * identical requests from several threads then share the recorded replies in arrival order.
 */
public final class ReplayingClient implements RecordedClient {

    private final ModelSpec spec;
    private final Map<String, ArrayDeque<Cassette.Exchange>> queues = new HashMap<>();
    private final Map<String, Integer> recordedCounts = new HashMap<>();
    private final Map<String, ArrayDeque<Cassette.Exchange>> byProposal = new HashMap<>();
    private final java.util.Set<Long> replayed = new java.util.HashSet<>();
    private final List<Cassette.Exchange> all;
    private int approximate;

    public ReplayingClient(Cassette cassette, ModelSpec spec) {
        Objects.requireNonNull(cassette, "cassette");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.all = cassette.exchanges();
        for (Cassette.Exchange e : all) {
            if (e.model().equals(spec.label())) {
                queues.computeIfAbsent(e.hash(), h -> new ArrayDeque<>()).addLast(e);
                recordedCounts.merge(e.hash(), 1, Integer::sum);
                if (!e.request().proposal().isEmpty()) {
                    byProposal.computeIfAbsent(e.request().proposal(), p -> new ArrayDeque<>()).addLast(e);
                }
            }
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public ChatReply chat(ChatRequest request) {
        return chatRecorded(request).replyOrThrow();
    }

    /**
     * {@inheritDoc}
     *
     * @throws LlmException of kind {@link LlmException.Kind#REPLAY_MISSING} when the cassette has no (more) such exchange
     */
    @Override
    public Cassette.Recorded chatRecorded(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        String hash = request.hash(spec.label());
        Cassette.Exchange e;
        synchronized (queues) {
            e = next(queues.get(hash));
            if (e == null && !request.proposal().isEmpty()) {
                e = next(byProposal.get(request.proposal()));
                if (e != null) {
                    approximate++;
                }
            }
            if (e != null) {
                replayed.add(e.seq());
            }
        }
        if (e == null) {
            throw new LlmException(LlmException.Kind.REPLAY_MISSING, missing(request, hash));
        }
        return e.ok() ? Cassette.Recorded.ok(e.id(), e.toReply()) : Cassette.Recorded.failed(e.id(), e.toException());
    }

    /** The next exchange of {@code queue} not replayed yet (each is in two queues). */
    private Cassette.Exchange next(ArrayDeque<Cassette.Exchange> queue) {
        if (queue == null) {
            return null;
        }
        Cassette.Exchange e;
        do {
            e = queue.pollFirst();
        } while (e != null && replayed.contains(e.seq()));
        return e;
    }

    /** Recorded exchanges of this model not replayed yet. */
    public int remaining() {
        synchronized (queues) {
            return (int) all.stream().filter(e -> e.model().equals(spec.label()) && !replayed.contains(e.seq())).count();
        }
    }

    /** Requests answered by their proposal's recorded exchange because their prompt differed from the recording. */
    public int approximate() {
        synchronized (queues) {
            return approximate;
        }
    }

    private String missing(ChatRequest request, String hash) {
        String label = spec.label();
        StringBuilder m = new StringBuilder();
        m.append("replay: ").append(label).append(" request ").append(hash.substring(0, 12))
                .append(String.format(Locale.ROOT, " (system %d chars, user %d chars, max_output_tokens %d, temperature %s)",
                        request.system().length(), request.user().length(), request.maxOutputTokens(), request.temperature()));
        Integer recorded = recordedCounts.get(hash);
        if (recorded != null) {
            return m.append(" was recorded ").append(recorded).append(recorded == 1 ? " time" : " times")
                    .append(" and every recording has been replayed already").toString();
        }
        m.append(" is not in the cassette");
        List<Cassette.Exchange> sameModel = all.stream().filter(x -> x.model().equals(label)).toList();
        List<Cassette.Exchange> pool = sameModel.isEmpty() ? all : sameModel;
        if (pool.isEmpty()) {
            return m.append(", which is empty").toString();
        }
        if (sameModel.isEmpty()) {
            TreeSet<String> models = new TreeSet<>();
            all.forEach(x -> models.add(x.model()));
            m.append(", which holds no exchange of this model (it holds ").append(String.join(", ", models)).append(")");
        }
        Cassette.Exchange closest = pool.stream()
                .min(Comparator.<Cassette.Exchange>comparingInt(x -> differences(x, label, request).size())
                        .thenComparingLong(x -> -(commonPrefix(x.request().system(), request.system()) + (long) commonPrefix(x.request().user(), request.user())))
                        .thenComparingLong(Cassette.Exchange::seq))
                .orElseThrow();
        return m.append("; closest recorded: exchange ").append(closest.id()).append(", which differs in ")
                .append(String.join(", ", differences(closest, label, request).values())).toString();
    }

    private static Map<String, String> differences(Cassette.Exchange x, String label, ChatRequest r) {
        Map<String, String> d = new LinkedHashMap<>();
        if (!x.model().equals(label)) {
            d.put("model", "model (" + x.model() + ")");
        }
        if (!x.request().system().equals(r.system())) {
            d.put("system", "system (from character " + commonPrefix(x.request().system(), r.system()) + ")");
        }
        if (!x.request().user().equals(r.user())) {
            d.put("user", "user (from character " + commonPrefix(x.request().user(), r.user()) + ")");
        }
        if (x.request().maxOutputTokens() != r.maxOutputTokens()) {
            d.put("max", "max_output_tokens (" + x.request().maxOutputTokens() + ")");
        }
        if (Double.compare(x.request().temperature(), r.temperature()) != 0) {
            d.put("temperature", "temperature (" + x.request().temperature() + ")");
        }
        if (!x.request().proposal().equals(r.proposal())) {
            d.put("proposal", "proposal (" + (x.request().proposal().isEmpty() ? "none" : x.request().proposal()) + ")");
        }
        if (d.isEmpty()) {
            d.put("none", "nothing visible (the hash differs)");
        }
        return d;
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
