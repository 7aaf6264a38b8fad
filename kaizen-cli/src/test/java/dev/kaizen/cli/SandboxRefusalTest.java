package dev.kaizen.cli;

import static dev.kaizen.cli.CliTestSupport.kaizen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.sandbox.SandboxException;
import dev.kaizen.store.JsonlLedger;
import dev.kaizen.store.LedgerEntry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kaizen evaluates nothing without a sandbox, unless told --unsafe-no-sandbox, which it says loudly and ledgers. */
class SandboxRefusalTest {

    @TempDir
    Path tmp;

    @Test
    void without_a_sandbox_it_refuses_to_evaluate_names_the_cause_and_creates_nothing() throws Exception {
        Path target = CliTestSupport.example("circle-packing", tmp);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> Runner.start(target, Runner.Overrides.none(), new PrintStream(out, true, StandardCharsets.UTF_8), false,
                () -> {
                    throw new SandboxException("bubblewrap (bwrap) is not installed: candidates cannot be contained; install it");
                }))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("refusing to evaluate")
                .hasMessageContaining("bubblewrap (bwrap) is not installed");
        assertThat(target.resolve(".kaizen")).doesNotExist();
    }

    @Test
    void unsafe_no_sandbox_runs_with_a_loud_warning_and_writes_it_to_the_ledger() throws Exception {
        Path target = CliTestSupport.example("circle-packing", tmp);

        CliTestSupport.Result r = kaizen("run", target.toString(), "--evaluations", "4", "--unsafe-no-sandbox");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("WARNING: --unsafe-no-sandbox").contains("sandbox: none + ");
        Map<String, Object> entry = sandboxEntry(target);
        assertThat(entry).containsEntry("namespaces", "none").containsEntry("unsafe_no_sandbox", true);
    }

    @Test
    void a_normal_run_records_the_isolation_it_got() throws Exception {
        try (Sandbox s = Sandbox.detect()) {
            assumeTrue(s.isolation().sandboxed());
        } catch (SandboxException e) {
            assumeTrue(false, "no sandbox here: " + e.getMessage());
        }
        Path target = CliTestSupport.example("circle-packing", tmp);

        CliTestSupport.Result r = kaizen("run", target.toString(), "--evaluations", "4");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).doesNotContain("WARNING").contains("sandbox: bubblewrap + ");
        assertThat(sandboxEntry(target)).containsEntry("namespaces", "bubblewrap").containsEntry("unsafe_no_sandbox", false);
    }

    private static Map<String, Object> sandboxEntry(Path target) {
        Path run = RunDirectory.locate(target.toString()).dir();
        List<LedgerEntry> entries = JsonlLedger.read(run.resolve("ledger.jsonl"));
        assertThat(entries.get(0).type()).isEqualTo("config");
        return entries.stream().filter(e -> e.type().equals("sandbox")).findFirst().orElseThrow().data();
    }
}
