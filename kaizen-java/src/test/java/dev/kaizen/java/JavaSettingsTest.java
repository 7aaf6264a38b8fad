package dev.kaizen.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.sandbox.Confined;
import dev.kaizen.sandbox.Isolation;
import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.sandbox.SandboxLimits;
import dev.kaizen.sandbox.SandboxSpec;
import dev.kaizen.worker.wire.GuardPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JavaSettingsTest {

    private static final Path DIR = Path.of("/projects/demo");

    /** A sandbox as a value: these tests start nothing. */
    private static Sandbox sandbox(String limits) {
        return new Sandbox() {
            @Override
            public Isolation isolation() {
                return new Isolation("bubblewrap", limits, "a value for settings tests");
            }

            @Override
            public Confined confine(List<String> command, SandboxSpec spec) {
                throw new UnsupportedOperationException("settings tests start nothing");
            }

            @Override
            public void close() {
                // nothing to release
            }
        };
    }

    private static final Sandbox SANDBOX = sandbox("cgroup2");

    @Test
    void defaults_are_documented_values() {
        JavaSettings s = JavaSettings.builder(DIR, List.of("demo.SorterTest")).sandbox(SANDBOX).build();

        assertThat(s.classpath()).isEqualTo(ClasspathSource.maven());
        assertThat(s.classDirs()).containsExactly("target/classes", "target/test-classes");
        assertThat(s.scoreMethod()).isEmpty();
        assertThat(s.workers()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
        assertThat(s.workerHeap()).isEqualTo(512L << 20);
        assertThat(s.candidateTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.testTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.adaptiveLimits()).isTrue();
        assertThat(s.warmup()).isEqualTo(5);
        assertThat(s.rounds()).isEqualTo(15);
        assertThat(s.confidence()).isEqualTo(0.99);
        assertThat(s.countCost()).isFalse();
        assertThat(s.failingTests()).isEqualTo(JavaSettings.FailingTests.REJECT);
        assertThat(s.recycleAfter()).isEqualTo(JavaSettings.DEFAULT_RECYCLE_AFTER);
        assertThat(s.release()).isEqualTo("21");
        assertThat(s.guard()).isEqualTo(GuardPolicy.defaults());
        assertThat(s.sandbox()).isSameAs(SANDBOX);
        assertThat(s.workerLimits()).isEqualTo(new SandboxLimits(JavaSettings.WORKER_CPU_TIME, (512L + 256 + 256) << 20,
                JavaSettings.DEFAULT_WORKER_PROCESSES, 64L << 20, 64L << 20));
        assertThat(s.classDirPaths()).containsExactly(DIR.resolve("target/classes").toAbsolutePath(), DIR.resolve("target/test-classes").toAbsolutePath());
    }

    @Test
    void to_builder_round_trips() {
        JavaSettings s = JavaSettings.builder(DIR, List.of("a.BTest")).scoreMethod("a.Bench#score").workers(3)
                .failingTests(JavaSettings.FailingTests.SCORE).classpath(ClasspathSource.entries(List.of("lib/x.jar"))).sandbox(SANDBOX)
                .allow(List.of("files")).forbid(List.of("threads", "com.acme.Db.connect")).workerMemory(1L << 30).workerProcesses(64).build();

        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThat(s.scoreMethod()).isEqualTo(Optional.of("a.Bench#score"));
        assertThat(s.guard()).isEqualTo(new GuardPolicy(Set.of("files"), List.of("threads", "com.acme.Db.connect")));
        assertThat(s.workerLimits().memoryBytes()).isEqualTo(1L << 30);
        assertThat(s.workerLimits().processes()).isEqualTo(64);
    }

    @Test
    void a_sandbox_is_required_and_rlimits_get_address_space_headroom() {
        assertThatThrownBy(() -> JavaSettings.builder(DIR, List.of("demo.SorterTest")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a sandbox is required").hasMessageContaining("Sandbox.detect()");
        JavaSettings rlimits = JavaSettings.builder(DIR, List.of("demo.SorterTest")).sandbox(sandbox("rlimits")).workerHeap(256L << 20).build();

        assertThat(rlimits.workerLimits().memoryBytes()).isEqualTo((768L << 20) + (16L << 30));
    }

    @Test
    void rejects_settings_out_of_range_naming_them() {
        var b = JavaSettings.builder(DIR, List.of("demo.SorterTest")).sandbox(SANDBOX);
        assertThatThrownBy(() -> JavaSettings.builder(DIR, List.of()).sandbox(SANDBOX).build()).hasMessageContaining("at least one test class");
        assertThatThrownBy(() -> JavaSettings.builder(DIR, List.of("demo/SorterTest.java")).sandbox(SANDBOX).build()).hasMessageContaining("is not a class name");
        assertThatThrownBy(() -> b.scoreMethod("demo.Bench.score").build()).hasMessageContaining("com.acme.Bench#score");
        assertThatThrownBy(() -> b.scoreMethod(null).workers(0).build()).hasMessageContaining("workers");
        assertThatThrownBy(() -> b.workers(1).confidence(1.0).build()).hasMessageContaining("confidence");
        assertThatThrownBy(() -> b.confidence(0.95).rounds(-1).build()).hasMessageContaining("rounds");
        assertThatThrownBy(() -> b.rounds(3).testTimeout(Duration.ZERO).build()).hasMessageContaining("testTimeout");
        assertThatThrownBy(() -> b.testTimeout(Duration.ofSeconds(1)).workerHeap(1 << 20).build()).hasMessageContaining("worker heap");
        assertThatThrownBy(() -> b.workerHeap(64L << 20).recycleAfter(0).build()).hasMessageContaining("recycleAfter");
        assertThatThrownBy(() -> b.recycleAfter(5).release("java21").build()).hasMessageContaining("release");
        assertThatThrownBy(() -> b.release("17").allow(List.of("disk")).build()).hasMessageContaining("unknown guard category 'disk'");
        assertThatThrownBy(() -> b.allow(List.of()).forbid(List.of("Db")).build()).hasMessageContaining("neither a guard category");
        assertThatThrownBy(() -> b.forbid(List.of()).workerProcesses(8).build()).hasMessageContaining("at least 32 processes");
        assertThatThrownBy(() -> b.workerProcesses(64).workerMemory(1 << 20).build()).hasMessageContaining("worker memory limit");
        assertThat(b.workerMemory(0).build().release()).isEqualTo("17");
    }
}
