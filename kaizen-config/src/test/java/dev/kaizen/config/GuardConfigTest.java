package dev.kaizen.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kaizen.core.guard.GuardPolicy;
import dev.kaizen.core.guard.MetricRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guard}, {@code metrics} and {@code sandbox}: values, defaults and every error. */
class GuardConfigTest {

    @TempDir
    Path dir;

    static final String OK = "files: [packing.py]\nevaluator: { command: run }\n";
    static final String JAVA = "files: [Sorter.java]\nevaluator: { type: java, tests: [com.acme.SorterTest] }\n";

    @BeforeEach
    void target() throws IOException {
        Files.writeString(dir.resolve("packing.py"), ConfigLoaderTest.PACKING);
        Files.writeString(dir.resolve("Sorter.java"), "class Sorter {\n    // EVOLVE-BLOCK-START\n    int x;\n    // EVOLVE-BLOCK-END\n}\n");
    }

    KaizenConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, dir, "kaizen.yaml");
    }

    void assertError(String yaml, int line, int column, String key, String detail) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("a ConfigException for:\n%s", yaml).isNotNull();
        assertThat(e.getMessage()).isEqualTo("kaizen.yaml:" + line + ":" + column + ": " + key + ": " + detail);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.column()).isEqualTo(column);
        assertThat(e.key()).isEqualTo(key);
    }

    @Test
    void without_the_sections_every_default_applies() {
        KaizenConfig c = parse(OK);
        assertThat(c.guard()).isEqualTo(GuardSpec.defaults());
        assertThat(c.guard().protect()).containsExactly("kaizen.yaml");
        assertThat(c.guard().policy()).isEqualTo(GuardPolicy.defaults().withProtect(List.of("kaizen.yaml")));
        assertThat(c.metricRanges()).isEmpty();
        assertThat(c.sandbox()).isEqualTo(new SandboxConfig(2L << 30, 256, Duration.ofMinutes(10), 256L << 20, 64L << 20));
    }

    @Test
    void a_command_target_reads_every_setting() {
        KaizenConfig c = parse(OK + """
                guard:
                  protect: [tests/**, evaluate.py, kaizen.yaml]
                  writable: [build/**]
                  max_region_chars: 20_000
                  max_changed_lines: 400
                metrics:
                  score: { min: 0, max: 1 }
                  runtime_ms: { min: 0 }
                  loss: { max: 1e3 }
                sandbox:
                  memory: 512m
                  processes: 64
                  cpu_time: 1m30s
                  disk: 1.5g
                  tmp: 65536
                """);
        assertThat(c.guard().protect()).containsExactly("kaizen.yaml", "tests/**", "evaluate.py");
        assertThat(c.guard().writable()).containsExactly("build/**");
        assertThat(c.guard().policy()).isEqualTo(new GuardPolicy(OptionalInt.of(20_000), 400, List.of("kaizen.yaml", "tests/**", "evaluate.py")));
        assertThat(c.metricRanges()).isEqualTo(Map.of("score", new MetricRange(0, 1), "runtime_ms", MetricRange.atLeast(0), "loss", MetricRange.atMost(1000)));
        assertThat(c.sandbox()).isEqualTo(new SandboxConfig(512L << 20, 64, Duration.ofSeconds(90), 3L << 29, 65536));
        // the copies keep them
        assertThat(c.withSeed(9).guard()).isEqualTo(c.guard());
        assertThat(c.withParallelism(3).sandbox()).isEqualTo(c.sandbox());
    }

    @Test
    void sandbox_read_only_paths_resolve_against_the_target_and_must_exist() throws IOException {
        Files.createDirectories(dir.resolve("tools/bin"));

        KaizenConfig c = parse(OK + "sandbox:\n  read_only: [tools, " + dir.resolve("tools/bin") + "]\n");

        assertThat(c.sandbox().readOnly()).containsExactly(dir.resolve("tools"), dir.resolve("tools/bin"));
        assertError(OK + "sandbox:\n  read_only: [tools, missing]\n", 4, 22, "sandbox.read_only[1]", dir.resolve("missing") + " does not exist");
    }

    @Test
    void a_java_target_reads_forbid_and_allow() {
        KaizenConfig c = parse(JAVA + """
                guard:
                  forbid: [java.sql.*, com.acme.Db.connect, threads]
                  allow: [files, Network, files]
                """);
        assertThat(c.guard().forbid()).containsExactly("java.sql.*", "com.acme.Db.connect", "threads");
        assertThat(c.guard().allow()).containsExactly("files", "network");
    }

    @Test
    void guard_errors_name_the_key_and_the_place() {
        assertError(OK + "guard:\n  protec: [tests/**]\n", 4, 3, "guard.protec", "unknown key 'protec' in guard; did you mean 'protect'?");
        assertError(OK + "guard: [tests/**]\n", 3, 8, "guard",
                "expected a map with keys such as protect, writable, max_region_chars, max_changed_lines, forbid, allow, got a list");
        assertError(OK + "guard:\n  protect: tests/**\n", 4, 12, "guard.protect", "expected a list, got \"tests/**\"; write protect: [tests/**, evaluate.py]");
        assertError(OK + "guard:\n  protect: [/etc/passwd]\n", 4, 13, "guard.protect[0]", "must be relative to the target directory, got \"/etc/passwd\"");
        assertError(OK + "guard:\n  writable: [build/**, ../x/*]\n", 4, 24, "guard.writable[1]", "must stay inside the target directory, got \"../x/*\"");
        ConfigException glob = catchThrowableOfType(ConfigException.class, () -> parse(OK + "guard:\n  protect: [\"tests/[a\"]\n"));
        assertThat(glob.getMessage()).startsWith("kaizen.yaml:4:13: guard.protect[0]: is not a valid glob: ").doesNotContain("\n");
        assertError(OK + "guard:\n  max_region_chars: 0\n", 4, 21, "guard.max_region_chars", "must be between 1 and 1000000000, got 0");
        assertError(OK + "guard:\n  max_changed_lines: -5\n", 4, 22, "guard.max_changed_lines", "must be between 1 and 1000000000, got -5");
        assertError(OK + "guard:\n  max_changed_lines: lots\n", 4, 22, "guard.max_changed_lines", "expected a whole number, got \"lots\"");
    }

    @Test
    void forbid_and_allow_are_for_java_targets_and_checked() {
        assertError(OK + "guard:\n  allow: [files]\n", 4, 3, "guard.allow",
                "applies to java targets (evaluator: { type: java }) only; this target's evaluator is a command");
        assertError(JAVA + "guard:\n  allow: [files, netwrk]\n", 4, 18, "guard.allow[1]",
                "unknown value \"netwrk\"; did you mean 'network'? expected one of process, exit, reflection, classloading, network, files, native, unsafe, environment");
        assertError(JAVA + "guard:\n  forbid: [java.sql.*, \"Db#connect\"]\n", 4, 24, "guard.forbid[1]",
                "expected a class, a method or a package such as com.acme.Db, com.acme.Db.connect or java.sql.*, got \"Db#connect\"");
    }

    @Test
    void metric_range_errors_name_the_key_and_the_place() {
        assertError(OK + "metrics: [score]\n", 3, 10, "metrics", "expected a map of metric: { min, max }, e.g. { score: { min: 0, max: 1 } }, got a list");
        assertError(OK + "metrics:\n  score: { min: 2, max: 1 }\n", 4, 25, "metrics.score.max", "must be at least min (2), got 1");
        assertError(OK + "metrics:\n  score: {}\n", 4, 10, "metrics.score", "a range for 'score' needs min, max or both");
        assertError(OK + "metrics:\n  score: { min: .nan }\n", 4, 17, "metrics.score.min", "must be a finite number, got .nan");
        assertError(OK + "metrics:\n  score: { max: -.inf }\n", 4, 17, "metrics.score.max", "must be a finite number, got -.inf");
        assertError(OK + "metrics:\n  score: { mx: 1 }\n", 4, 12, "metrics.score.mx", "unknown key 'mx' in metrics.score; did you mean 'max'?");
        assertError(OK + "metrics:\n  score: 1\n", 4, 10, "metrics.score", "expected a map with keys such as min, max, got 1");
        assertError(OK + "metrics:\n  score: { min: 0 }\n  score: { max: 1 }\n", 5, 3, "metrics.score", "duplicate key 'score'");
    }

    @Test
    void sandbox_errors_name_the_key_and_the_place() {
        assertError(OK + "sandbox:\n  memory: 2 gigs\n", 4, 11, "sandbox.memory", "expected a size such as 512m, 2g or 65536 (bytes), got \"2 gigs\"");
        assertError(OK + "sandbox:\n  disk: 0m\n", 4, 9, "sandbox.disk", "expected a positive size, got \"0m\"");
        assertError(OK + "sandbox:\n  tmp: 1.5\n", 4, 8, "sandbox.tmp", "a size in bytes must be a whole number, got \"1.5\"");
        assertError(OK + "sandbox:\n  processes: 0\n", 4, 14, "sandbox.processes", "must be between 1 and 1000000, got 0");
        assertError(OK + "sandbox:\n  cpu_time: forever\n", 4, 13, "sandbox.cpu_time", "expected a duration such as 30s, 5m, 1h or 250ms, got \"forever\"");
        assertError(OK + "sandbox:\n  memroy: 1g\n", 4, 3, "sandbox.memroy", "unknown key 'memroy' in sandbox; did you mean 'memory'?");
    }

    @Test
    void sizes_read_binary_units() {
        assertThat(Sizes.parse("512m")).isEqualTo(512L << 20);
        assertThat(Sizes.parse("2G")).isEqualTo(2L << 30);
        assertThat(Sizes.parse("64 MiB")).isEqualTo(64L << 20);
        assertThat(Sizes.parse("4k")).isEqualTo(4096);
        assertThat(Sizes.parse("1_000")).isEqualTo(1000);
        assertThatThrownBy(() -> Sizes.parse("99999999999g")).hasMessageContaining("too large");
        assertThatThrownBy(() -> Sizes.parse("-1m")).hasMessageContaining("expected a size");
    }
}
