package dev.kaizen.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JavaSettingsTest {

    private static final Path DIR = Path.of("/projects/demo");

    @Test
    void defaults_are_documented_values() {
        JavaSettings s = JavaSettings.builder(DIR, List.of("demo.SorterTest")).build();

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
        assertThat(s.classDirPaths()).containsExactly(DIR.resolve("target/classes").toAbsolutePath(), DIR.resolve("target/test-classes").toAbsolutePath());
    }

    @Test
    void to_builder_round_trips() {
        JavaSettings s = JavaSettings.builder(DIR, List.of("a.BTest")).scoreMethod("a.Bench#score").workers(3)
                .failingTests(JavaSettings.FailingTests.SCORE).classpath(ClasspathSource.entries(List.of("lib/x.jar"))).build();

        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThat(s.scoreMethod()).isEqualTo(Optional.of("a.Bench#score"));
    }

    @Test
    void rejects_settings_out_of_range_naming_them() {
        var b = JavaSettings.builder(DIR, List.of("demo.SorterTest"));
        assertThatThrownBy(() -> JavaSettings.builder(DIR, List.of()).build()).hasMessageContaining("at least one test class");
        assertThatThrownBy(() -> JavaSettings.builder(DIR, List.of("demo/SorterTest.java")).build()).hasMessageContaining("is not a class name");
        assertThatThrownBy(() -> b.scoreMethod("demo.Bench.score").build()).hasMessageContaining("com.acme.Bench#score");
        assertThatThrownBy(() -> b.scoreMethod(null).workers(0).build()).hasMessageContaining("workers");
        assertThatThrownBy(() -> b.workers(1).confidence(1.0).build()).hasMessageContaining("confidence");
        assertThatThrownBy(() -> b.confidence(0.95).rounds(-1).build()).hasMessageContaining("rounds");
        assertThatThrownBy(() -> b.rounds(3).testTimeout(Duration.ZERO).build()).hasMessageContaining("testTimeout");
        assertThatThrownBy(() -> b.testTimeout(Duration.ofSeconds(1)).workerHeap(1 << 20).build()).hasMessageContaining("worker heap");
        assertThatThrownBy(() -> b.workerHeap(64L << 20).recycleAfter(0).build()).hasMessageContaining("recycleAfter");
        assertThatThrownBy(() -> b.recycleAfter(5).release("java21").build()).hasMessageContaining("release");
        assertThat(b.release("17").build().release()).isEqualTo("17");
    }
}
