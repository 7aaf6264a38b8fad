package dev.kaizen.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs end to end on a small archive and reports sane numbers (real runs are 100k and 1M). */
class ArchiveBenchmarkTest {

    @Test
    void measures_a_small_archive(@TempDir Path dir) {
        ArchiveBenchmark.Result result = ArchiveBenchmark.run(dir, 2_000, 7);

        assertThat(result.candidates()).isEqualTo(2_000);
        assertThat(result.insertTotal()).isPositive();
        assertThat(result.meanAddMicros()).isPositive();
        assertThat(result.tailAddMicros()).isPositive();
        assertThat(result.selectMicros()).isPositive();
        assertThat(result.containsMicros()).isPositive();
        assertThat(result.findMicros()).isPositive();
        assertThat(result.reopen()).isPositive();
        assertThat(result.fileBytes()).isGreaterThan(2_000L * 1_000);
        assertThat(result.toString()).startsWith("2,000 candidates: ").contains("µs/add").contains("reopen").contains("MiB");
    }
}
