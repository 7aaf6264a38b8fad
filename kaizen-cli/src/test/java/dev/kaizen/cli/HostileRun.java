package dev.kaizen.cli;

import dev.kaizen.config.ConfigLoader;
import dev.kaizen.config.KaizenConfig;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.engine.Engine;
import dev.kaizen.core.engine.Limits;
import dev.kaizen.core.engine.RunSummary;
import dev.kaizen.core.eval.Evaluator;
import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.operator.ProposalContext;
import dev.kaizen.core.program.Code;
import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.sandbox.SandboxException;
import dev.kaizen.store.JsonlLedger;
import dev.kaizen.store.LedgerEntry;
import dev.kaizen.store.LedgerVerification;
import dev.kaizen.store.SqliteArchive;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Drives the real engine, sandbox, evaluator, SQLite archive and hash-chained ledger over a list
 * of hostile candidates proposed in order, the way {@code kaizen run} wires them, and collects what
 * each one left in the archive and the ledger.
 */
final class HostileRun {

    /**
     * One attack: a candidate's code and a host-side check that runs right after its evaluation
     * (before the next candidate starts).
     */
    record Attack(String name, Code code, Consumer<Candidate> afterwards) {}

    /** What the suite expects of one attack: the outcome kind, a pattern its reason or feedback matches, and what stops it. */
    record Expect(String kind, String evidence, String stoppedBy) {}

    /** What the run left behind. */
    record Result(RunSummary summary, Map<String, Candidate> byAttack, Map<String, LedgerEntry> ledgerByAttack,
            LedgerVerification verification, long archived) {}

    private HostileRun() {}

    /** The machine's sandbox; the calling tests are skipped, saying why, where none can be made. */
    static Sandbox sandboxOrSkip() {
        try {
            return Sandbox.detect();
        } catch (SandboxException e) {
            org.junit.jupiter.api.Assumptions.abort("no sandbox on this machine (scripts/setup-test-env.sh installs bubblewrap): " + e.getMessage());
            throw e;
        }
    }

    /** A server on the host's loopback that counts the connections it accepts: none may come from a candidate. */
    static ServerSocket countingServer(AtomicInteger accepted) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    static Result run(Path target, Path runDir, List<Attack> attacks, Sandbox sandbox) throws Exception {
        KaizenConfig config = ConfigLoader.load(target);
        Files.createDirectories(runDir);
        Path work = Files.createDirectories(runDir.resolve("work"));
        Path archiveFile = runDir.resolve("archive.db");
        Path ledgerFile = runDir.resolve("ledger.jsonl");
        Map<String, Candidate> byAttack = new LinkedHashMap<>();
        RunSummary summary;
        Scripted operator = new Scripted(attacks);
        try (SqliteArchive archive = SqliteArchive.open(archiveFile, config.strategy().islands());
             JsonlLedger ledger = JsonlLedger.open(ledgerFile, InstantSource.system());
             Evaluator evaluator = Evaluators.open(config, work, 1, sandbox)) {
            summary = Engine.builder()
                    .target(config.target())
                    .evaluator(evaluator)
                    .operators(List.of(operator))
                    .archive(archive)
                    .ledger(ledger)
                    .strategy(config.strategy())
                    .limits(new Limits(attacks.size() + 1, Duration.ofMinutes(30), OptionalDouble.empty()))
                    .seed(config.seed())
                    .parallelism(1)
                    .guard(config.guard().policy())
                    .metricRanges(config.metricRanges())
                    .build()
                    .run();
            for (Attack a : attacks) {
                archive.find(a.code().id()).ifPresent(c -> byAttack.put(a.name(), c));
            }
        }
        Map<String, LedgerEntry> ledgerByAttack = new LinkedHashMap<>();
        Map<String, String> nameById = new LinkedHashMap<>();
        attacks.forEach(a -> nameById.put(a.code().id().hex(), a.name()));
        for (LedgerEntry e : JsonlLedger.read(ledgerFile)) {
            if (e.type().equals("evaluation") && nameById.containsKey(String.valueOf(e.data().get("id")))) {
                ledgerByAttack.put(nameById.get(String.valueOf(e.data().get("id"))), e);
            }
        }
        long archived;
        try (SqliteArchive reopened = SqliteArchive.openReadOnly(archiveFile)) {
            archived = reopened.size();
        }
        return new Result(summary, byAttack, ledgerByAttack, JsonlLedger.verify(ledgerFile), archived);
    }

    /**
     * Every attack whose recorded outcome is not the expected kind with a reason or feedback that
     * matches the expected evidence, or that is missing from the archive or the ledger, or whose
     * ledger entry disagrees with the archive; one line each, empty when all were contained.
     */
    static List<String> misclassified(List<Attack> attacks, Map<String, Expect> expected, Result result) {
        List<String> wrong = new ArrayList<>();
        for (Attack a : attacks) {
            Expect e = expected.get(a.name());
            Candidate c = result.byAttack().get(a.name());
            LedgerEntry entry = result.ledgerByAttack().get(a.name());
            if (c == null || entry == null) {
                wrong.add(a.name() + ": not in the " + (c == null ? "archive" : "ledger"));
                continue;
            }
            String kind = c.evaluation().outcome().kind();
            String text = c.evaluation().outcome().reason() + "\n" + c.evaluation().feedback();
            if (!kind.equals(e.kind()) || !java.util.regex.Pattern.compile(e.evidence()).matcher(text).find()) {
                wrong.add(a.name() + ": expected " + e.kind() + " matching /" + e.evidence() + "/, got " + kind + ": "
                        + c.evaluation().outcome().reason());
            }
            if (!kind.equals(entry.data().get("outcome")) || !c.evaluation().outcome().reason().equals(entry.data().get("reason"))) {
                wrong.add(a.name() + ": the ledger says " + entry.data().get("outcome") + ": " + entry.data().get("reason"));
            }
        }
        return wrong;
    }

    /**
     * Writes a Markdown table (attack, what stopped it, the outcome and reason recorded) to
     * {@code target/FILE} of the module, for the documentation and for people reading a CI log.
     */
    static void writeTable(String file, List<Attack> attacks, Map<String, Expect> expected, Result result) throws java.io.IOException {
        StringBuilder b = new StringBuilder("| attack | stopped by | outcome recorded | reason recorded |\n|---|---|---|---|\n");
        for (Attack a : attacks) {
            Candidate c = result.byAttack().get(a.name());
            String reason = c == null ? "(not archived)" : c.evaluation().outcome().reason().replace("|", "\\|").replace("\n", " ");
            b.append("| ").append(a.name()).append(" | ").append(expected.get(a.name()).stoppedBy()).append(" | `")
                    .append(c == null ? "-" : c.evaluation().outcome().kind()).append("` | ")
                    .append(reason.length() > 180 ? reason.substring(0, 180) + "..." : reason).append(" |\n");
        }
        Path out = Path.of("target", file);
        Files.createDirectories(out.getParent());
        Files.writeString(out, b);
    }

    /** Proposes the attacks in order, whatever the parent; runs each attack's host check once it was evaluated. */
    private static final class Scripted implements Operator {
        private final List<Attack> attacks;
        private final List<Attack> pending = new ArrayList<>();
        private int next;

        Scripted(List<Attack> attacks) {
            this.attacks = List.copyOf(attacks);
        }

        @Override
        public String name() {
            return "hostile";
        }

        @Override
        public Optional<Proposal> propose(ProposalContext context) {
            if (next >= attacks.size()) {
                return Optional.empty();
            }
            Attack a = attacks.get(next++);
            pending.add(a);
            return Optional.of(new Proposal(a.code(), "attack: " + a.name()));
        }

        @Override
        public void observe(Candidate child, Candidate parent) {
            for (Attack a : pending) {
                if (a.code().id().equals(child.id())) {
                    a.afterwards().accept(child);
                }
            }
        }
    }
}
