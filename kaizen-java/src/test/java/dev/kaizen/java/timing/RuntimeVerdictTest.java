package dev.kaizen.java.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalDouble;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RuntimeVerdictTest {

    private static long[] range(long from, int n) {
        return LongStream.range(from, from + n).toArray();
    }

    @Test
    void a_significantly_faster_candidate_is_credited_with_the_parent_runtime_times_the_ratio() {
        RuntimeVerdict v = RuntimeVerdict.compare(range(100, 15), range(200, 15), OptionalDouble.of(1000), 0.99);

        assertThat(v.faster()).isTrue();
        assertThat(v.ratio()).isCloseTo(107.0 / 207, within(1e-12));
        assertThat(v.runtimeNs()).isCloseTo(1000 * 107.0 / 207, within(1e-9));
        assertThat(v.metrics()).containsEntry(RuntimeVerdict.RUNTIME_RAW_NS, 107.0)
                .containsKeys(RuntimeVerdict.RUNTIME_P, RuntimeVerdict.RUNTIME_RATIO);
        assertThat(v.describe()).startsWith("1.93x faster than parent, Mann-Whitney U one-sided p=").contains(" < 0.01 (median 107 ns vs 207 ns, 15 calls each)");
    }

    @Test
    void a_faster_median_without_significance_never_looks_faster_than_the_parent() {
        // Medians 104 vs 105, heavily overlapping.
        long[] candidate = {100, 101, 102, 103, 104, 105, 106, 107, 108};
        long[] reference = {101, 102, 103, 104, 105, 106, 107, 108, 109};

        RuntimeVerdict v = RuntimeVerdict.compare(candidate, reference, OptionalDouble.of(1000), 0.99);

        assertThat(v.ratio()).isLessThan(1);
        assertThat(v.p()).isGreaterThan(0.01);
        assertThat(v.faster()).isFalse();
        assertThat(v.runtimeNs()).isEqualTo(1000);
        assertThat(v.describe()).contains("faster than parent but not significantly").contains("counted as fast as the parent");
    }

    @Test
    void a_slower_candidate_is_credited_with_its_measured_slowdown() {
        RuntimeVerdict v = RuntimeVerdict.compare(range(300, 15), range(100, 15), OptionalDouble.of(1000), 0.99);

        assertThat(v.faster()).isFalse();
        assertThat(v.runtimeNs()).isCloseTo(1000 * 307.0 / 107, within(1e-9));
        assertThat(v.describe()).startsWith("2.87x slower than parent");
    }

    @Test
    void without_a_parent_runtime_the_candidate_gets_its_own_median() {
        RuntimeVerdict v = RuntimeVerdict.compare(range(100, 15), range(200, 15), OptionalDouble.empty(), 0.99);

        assertThat(v.runtimeNs()).isEqualTo(107);
    }

    @Test
    void a_program_timed_alone_gets_its_median_and_no_ratio() {
        RuntimeVerdict v = RuntimeVerdict.alone(new long[] {5, 1, 3, 1_000_000});

        assertThat(v.runtimeNs()).isEqualTo(4);
        assertThat(v.metrics()).containsOnlyKeys(RuntimeVerdict.RUNTIME_NS, RuntimeVerdict.RUNTIME_RAW_NS);
        assertThat(v.describe()).isEqualTo("median 4 ns over 4 calls (no reference to compare with)");
    }

    @Test
    void chaining_keeps_numbers_comparable_across_sessions() {
        // Session one: the seed was credited 1000 ns; a child about twice as fast gets about 500.
        RuntimeVerdict child = RuntimeVerdict.compare(range(500, 15), range(1000, 15), OptionalDouble.of(1000), 0.99);
        // Session two runs on a machine three times slower: the grandchild, twice as fast again, measures
        // 757 vs 1507 ns raw, but is credited relative to the child's figure, not with its raw median.
        RuntimeVerdict grandchild = RuntimeVerdict.compare(range(750, 15), range(1500, 15), OptionalDouble.of(child.runtimeNs()), 0.99);

        assertThat(child.runtimeNs()).isCloseTo(1000.0 * 507 / 1007, within(1e-9));
        assertThat(grandchild.runtimeNs()).isCloseTo(1000.0 * 507 / 1007 * 757 / 1507, within(1e-9));
        assertThat(grandchild.candidateMedian()).isEqualTo(757);
    }
}
