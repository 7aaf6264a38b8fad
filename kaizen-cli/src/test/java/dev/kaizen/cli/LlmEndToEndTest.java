package dev.kaizen.cli;

import static dev.kaizen.cli.CliTestSupport.kaizen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.llm.record.Cassette;
import dev.kaizen.store.JsonlLedger;
import dev.kaizen.store.LedgerEntry;
import dev.kaizen.store.SqliteArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local OpenAI-compatible server that answers with real search/replace edits drives the
 * circle-packing example to a better score through {@code kaizen run}; the same run replayed from
 * its cassette, with the server gone, gives the same archive.
 */
class LlmEndToEndTest {

    /** What surefire puts in KAIZEN_TEST_SECRET, used here as the model's API key. */
    private static final String KEY = "not-for-candidates";

    @TempDir
    Path tmp;

    @Test
    void a_local_model_improves_the_example_and_a_replay_reproduces_the_archive_offline() throws Exception {
        assumeTrue(CliTestSupport.onPath("python3"), "the example's evaluator is Python");
        assumeTrue(KEY.equals(System.getenv("KAIZEN_TEST_SECRET")), "surefire sets KAIZEN_TEST_SECRET");
        Path recorded;
        Path first = CliTestSupport.example("circle-packing", tmp.resolve("recorded"));
        try (LocalCoderServer server = new LocalCoderServer(true)) {
            Files.writeString(first.resolve("kaizen.yaml"), Files.readString(first.resolve("kaizen.yaml")) + """
                    llm:
                      models: [{ provider: openai, base_url: "%s", model: local-coder, api_key_env: KAIZEN_TEST_SECRET, max_retries: 0 }]
                      formats: { diff: 1, rewrite: 0, crossover: 0 }
                      offline_operators: false
                    """.formatted(server.baseUrl()));

            // three proposals wait on the model at once; its replies come back in any order
            CliTestSupport.Result r = kaizen("run", first.toString(), "--evaluations", "30", "--parallelism", "3");

            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).contains("models: openai:local-coder");
            assertThat(server.mostAtOnce()).as("requests the model answered at once").isGreaterThan(1);
            assertThat(server.requests()).isGreaterThanOrEqualTo(29);
            assertThat(server.authorizations()).allMatch(("Bearer " + KEY)::equals);
            recorded = RunDirectory.locate(first.toString()).dir();
        }
        List<Candidate> original = candidates(recorded);
        Candidate seed = original.getFirst();
        double best = original.stream().filter(Candidate::feasible).mapToDouble(c -> c.evaluation().metrics().get("score")).max().orElseThrow();
        assertThat(best).as("the local model's edits improved the score").isGreaterThan(seed.evaluation().metrics().get("score"));
        assertThat(original.stream().skip(1)).allMatch(c -> c.operator().equals("llm.diff"));
        List<LedgerEntry> ledger = JsonlLedger.read(recorded.resolve("ledger.jsonl"));
        assertThat(ledger.stream().filter(e -> e.type().equals("proposal") && String.valueOf(e.data().get("description")).contains("[exchange")))
                .as("proposals point at their exchanges").hasSizeGreaterThanOrEqualTo(20);
        assertThat(ledger).anyMatch(e -> e.type().equals("llm"));
        Path cassette = recorded.resolve("llm");
        assertThat(cassette).isDirectory();
        assertNoKeyIn(recorded);

        // fine-tuning data from the recorded run
        CliTestSupport.Result sft = kaizen("export", recorded.toString(), "--format", "sft");
        assertThat(sft.code()).as(sft.all()).isZero();
        List<JsonNode> sftLines = jsonLines(recorded.resolve("export-sft.jsonl"));
        long improving = original.stream().filter(c -> c.operator().equals("llm.diff") && c.feasible()
                && c.fitness() > original.stream().filter(p -> p.id().equals(c.parents().getFirst())).findFirst().orElseThrow().fitness()).count();
        assertThat(sftLines).hasSize((int) improving).isNotEmpty();
        for (JsonNode line : sftLines) {
            assertThat(line.path("messages").get(2).path("content").asText()).contains("<<<<<<< SEARCH");
            assertThat(line.path("metadata").path("gain").asDouble()).isPositive();
        }
        CliTestSupport.Result dpo = kaizen("export", recorded.toString(), "--format", "dpo", "--out", tmp.resolve("dpo.jsonl").toString());
        assertThat(dpo.code()).as(dpo.all()).isZero();
        for (JsonNode line : jsonLines(tmp.resolve("dpo.jsonl"))) {
            assertThat(line.path("chosen").asText()).isNotEqualTo(line.path("rejected").asText());
            assertThat(line.path("prompt").get(1).path("content").asText()).isNotBlank();
        }
        assertThat(kaizen("export", recorded.toString(), "--format", "csv").all()).contains("--format must be sft or dpo");

        // the same run, answered from the cassette with the server gone
        Path second = CliTestSupport.example("circle-packing", tmp.resolve("replayed"));
        Files.writeString(second.resolve("kaizen.yaml"), Files.readString(second.resolve("kaizen.yaml")) + """
                llm:
                  models: [{ provider: openai, base_url: "http://127.0.0.1:9/v1", model: local-coder, api_key_env: KAIZEN_TEST_SECRET, max_retries: 0 }]
                  formats: { diff: 1, rewrite: 0, crossover: 0 }
                  offline_operators: false
                  replay: "%s"
                """.formatted(cassette));

        CliTestSupport.Result replay = kaizen("run", second.toString(), "--evaluations", "30", "--parallelism", "3");

        assertThat(replay.code()).as(replay.all()).isZero();
        assertThat(replay.out()).contains("no network").doesNotContain("differed from the recording");
        List<Candidate> again = candidates(RunDirectory.locate(second.toString()).dir());
        assertThat(again).hasSameSizeAs(original);
        for (int i = 0; i < original.size(); i++) {
            Candidate a = original.get(i);
            Candidate b = again.get(i);
            assertThat(b.id()).as("candidate %d", i + 1).isEqualTo(a.id());
            assertThat(b.operator()).isEqualTo(a.operator());
            assertThat(b.evaluation().outcome()).isEqualTo(a.evaluation().outcome());
            assertThat(b.evaluation().metrics()).isEqualTo(a.evaluation().metrics());
            assertThat(b.description()).isEqualTo(a.description());
        }
    }

    @Test
    void a_java_target_whose_timings_differ_replays_to_the_same_candidates() throws Exception {
        assumeTrue(CliTestSupport.onPath("mvn"), "the example resolves its classpath with Maven");
        String llm = """
                llm:
                  models: [{ provider: openai, base_url: "%s", model: java-coder, max_retries: 0 }]
                  formats: { diff: 1, rewrite: 0, crossover: 0 }
                  offline_operators: false
                """;
        Path first = CliTestSupport.example("java-speedup", tmp.resolve("recorded"));
        Path yaml = first.resolve("kaizen.yaml");
        // a few timing rounds: each candidate's feedback carries its own measured times
        String timed = Files.readString(yaml).replace("timing: { warmup: 3, rounds: 11, confidence: 0.99 }", "timing: { warmup: 1, rounds: 3, confidence: 0.99 }");
        Path recorded;
        try (LocalCoderServer server = new LocalCoderServer(false, LocalCoderServer::percentilesEdit)) {
            Files.writeString(yaml, timed + llm.formatted(server.baseUrl()));
            CliTestSupport.Result r = kaizen("run", first.toString(), "--evaluations", "10", "--parallelism", "2");
            assertThat(r.code()).as(r.all()).isZero();
            recorded = RunDirectory.locate(first.toString()).dir();
        }
        List<Candidate> original = candidates(recorded);
        assertThat(original).hasSizeGreaterThan(3);
        assertThat(original.stream().mapToDouble(c -> c.evaluation().metrics().getOrDefault("cost", Double.MAX_VALUE)).min().orElseThrow())
                .as("the model's edits made it cheaper").isLessThan(original.getFirst().evaluation().metrics().get("cost"));

        Path second = CliTestSupport.example("java-speedup", tmp.resolve("replayed"));
        Files.writeString(second.resolve("kaizen.yaml"), timed + llm.formatted("http://127.0.0.1:9/v1") + "  replay: \"" + recorded.resolve("llm") + "\"\n");

        CliTestSupport.Result replay = kaizen("run", second.toString(), "--evaluations", "10", "--parallelism", "2");

        assertThat(replay.code()).as(replay.all()).isZero();
        assertThat(replay.out()).containsPattern("replay: [1-9]\\d* prompts differed from the recording");
        List<Candidate> again = candidates(RunDirectory.locate(second.toString()).dir());
        assertThat(again).hasSameSizeAs(original);
        for (int i = 0; i < original.size(); i++) {
            assertThat(again.get(i).id()).as("candidate %d", i + 1).isEqualTo(original.get(i).id());
            assertThat(again.get(i).description()).isEqualTo(original.get(i).description());
            assertThat(again.get(i).evaluation().outcome()).isEqualTo(original.get(i).evaluation().outcome());
            assertThat(again.get(i).evaluation().metrics().get("cost")).isEqualTo(original.get(i).evaluation().metrics().get("cost"));
        }
    }

    @Test
    void a_token_budget_stops_the_run_cleanly_and_says_so() throws Exception {
        assumeTrue(CliTestSupport.onPath("python3"), "the example's evaluator is Python");
        Path target = CliTestSupport.example("circle-packing", tmp.resolve("budget"));
        try (LocalCoderServer server = new LocalCoderServer()) {
            Files.writeString(target.resolve("kaizen.yaml"), Files.readString(target.resolve("kaizen.yaml")) + """
                    llm:
                      models: [{ provider: openai, base_url: "%s", model: local-coder, max_output_tokens: 100, max_retries: 0 }]
                      formats: { diff: 1, rewrite: 0, crossover: 0 }
                      offline_operators: false
                      budget: { tokens: 12000 }
                    """.formatted(server.baseUrl()));

            // three calls in flight at once: the cap must hold them all
            CliTestSupport.Result r = kaizen("run", target.toString(), "--evaluations", "30", "--parallelism", "3");

            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).contains("stopped: a spending cap was reached", "the llm budget is spent: ").containsPattern("models: \\d+ calls \\(0 failed, [1-9]\\d* refused by the budget\\)");
            int calls = server.requests();
            assertThat(calls).isBetween(1, 29);
            Path run = RunDirectory.locate(target.toString()).dir();
            List<Candidate> all = candidates(run);
            assertThat(all).hasSizeLessThan(30);
            try (Cassette cassette = Cassette.openReadOnly(run.resolve("llm"))) {
                long spent = cassette.exchanges().stream().mapToLong(e -> e.usage().inputTokens() + e.usage().outputTokens()).sum();
                assertThat(spent).as("tokens the recorded exchanges used").isPositive().isLessThanOrEqualTo(12_000);
                assertThat(cassette.exchanges()).hasSize(calls);
            }
            assertThat(kaizen("audit", "verify", target.toString()).code()).isZero();

            // what the models cost stays with the run
            CliTestSupport.Result status = kaizen("status", run.toString());
            assertThat(status.out()).containsPattern("models: +" + calls + " calls \\(0 failed, [1-9]\\d* refused by the budget\\)")
                    .containsPattern("openai:local-coder +" + calls + " calls \\(0 failed\\)");
            assertThat(kaizen("report", run.toString()).code()).isZero();
            assertThat(Files.readString(run.resolve("report.html"))).contains("<h2>Models</h2>", "<td>openai:local-coder</td>");
        }
    }

    @Test
    void a_model_that_cannot_be_reached_stops_the_run_with_the_reason() throws Exception {
        assumeTrue(CliTestSupport.onPath("python3"), "the example's evaluator is Python");
        Path target = CliTestSupport.example("circle-packing", tmp.resolve("down"));
        Files.writeString(target.resolve("kaizen.yaml"), Files.readString(target.resolve("kaizen.yaml")) + """
                llm:
                  models: [{ provider: openai, base_url: "http://127.0.0.1:9/v1", model: nobody-home, max_retries: 0 }]
                  formats: { diff: 1, rewrite: 0, crossover: 0 }
                  offline_operators: false
                """);

        CliTestSupport.Result r = kaizen("run", target.toString(), "--evaluations", "100", "--parallelism", "2");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).contains("stopped: the operators failed to make a proposal too many times in a row")
                .contains("25 failures in a row; the last: llm.diff: operator failed: ")
                .contains("openai:nobody-home")
                // the first failure is shown when it happens, the count at the end
                .contains("llm.diff failed to make a proposal: operator failed: LlmProposalException: llm.diff openai:nobody-home")
                .containsPattern("llm.diff failed to make 2[5-6] proposals; the last: operator failed: ");
        List<Candidate> all = candidates(RunDirectory.locate(target.toString()).dir());
        assertThat(all).as("only the seed was evaluated").hasSize(1);
        List<LedgerEntry> ledger = JsonlLedger.read(RunDirectory.locate(target.toString()).dir().resolve("ledger.jsonl"));
        assertThat(ledger.stream().filter(e -> e.type().equals("proposal.skipped"))).hasSizeGreaterThanOrEqualTo(25)
                .allSatisfy(e -> assertThat(String.valueOf(e.data().get("reason"))).contains("nobody-home"));
        assertThat(kaizen("audit", "verify", target.toString()).code()).isZero();
    }

    @Test
    void the_bandit_and_the_spending_carry_over_a_resume() throws Exception {
        assumeTrue(CliTestSupport.onPath("python3"), "the example's evaluator is Python");
        Path target = CliTestSupport.example("circle-packing", tmp.resolve("resume"));
        try (LocalCoderServer server = new LocalCoderServer()) {
            Files.writeString(target.resolve("kaizen.yaml"), Files.readString(target.resolve("kaizen.yaml")) + """
                    llm:
                      models:
                        - { provider: openai, base_url: "%1$s", model: coder-a, max_retries: 0 }
                        - { provider: openai, base_url: "%1$s", model: coder-b, max_retries: 0 }
                      formats: { diff: 1, rewrite: 0, crossover: 0 }
                      offline_operators: false
                    """.formatted(server.baseUrl()));
            CliTestSupport.Result first = kaizen("run", target.toString(), "--evaluations", "10", "--parallelism", "1");
            assertThat(first.code()).as(first.all()).isZero();
            Path run = RunDirectory.locate(target.toString()).dir();
            JsonNode banditBefore = meta(run, Llms.BANDIT_META);
            int requestsBefore = server.requests();
            assertThat(meta(run, Llms.SPENDING_META).path("calls").asInt()).isEqualTo(requestsBefore);

            CliTestSupport.Result second = kaizen("resume", run.toString(), "--evaluations", "20");

            assertThat(second.code()).as(second.all()).isZero();
            assertThat(server.requests()).isGreaterThan(requestsBefore);
            assertThat(meta(run, Llms.SPENDING_META).path("calls").asInt()).as("spending counts both sessions").isEqualTo(server.requests());
            assertThat(second.out()).contains("models: " + server.requests() + " calls");
            JsonNode banditAfter = meta(run, Llms.BANDIT_META);
            for (String model : List.of("openai:coder-a", "openai:coder-b")) {
                assertThat(calls(banditAfter, model)).as("%s's statistics continue", model).isGreaterThanOrEqualTo(calls(banditBefore, model));
            }
            assertThat(calls(banditAfter, "openai:coder-a") + calls(banditAfter, "openai:coder-b"))
                    .isGreaterThan(calls(banditBefore, "openai:coder-a") + calls(banditBefore, "openai:coder-b"));
        }
    }

    private static JsonNode meta(Path run, String key) throws IOException {
        try (SqliteArchive archive = SqliteArchive.openReadOnly(run.resolve("archive.db"))) {
            return new ObjectMapper().readTree(archive.meta(key).orElseThrow(() -> new AssertionError("no archive meta " + key)));
        }
    }

    private static long calls(JsonNode bandit, String model) {
        for (JsonNode m : bandit.path("models")) {
            if (m.path("model").asText().equals(model)) {
                return m.path("calls").asLong();
            }
        }
        return 0;
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(json.readTree(line));
        }
        return out;
    }

    private static List<Candidate> candidates(Path run) {
        try (SqliteArchive archive = SqliteArchive.openReadOnly(run.resolve("archive.db"))) {
            return archive.history(0, 10_000);
        }
    }

    /** The key was sent to the server, and is in no file of the run: archive, ledger, cassette. */
    private static void assertNoKeyIn(Path run) throws IOException {
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(KEY);
            }
        }
    }
}
