package dev.kaizen.java;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdaptiveLimitsTest {

    private static final Duration MAX_TEST = Duration.ofSeconds(10);
    private static final Duration MAX_CANDIDATE = Duration.ofSeconds(60);

    @Test
    void before_any_observation_the_configured_upper_bounds_apply() {
        AdaptiveLimits limits = new AdaptiveLimits(MAX_TEST, MAX_CANDIDATE, true);

        assertThat(limits.current()).isEqualTo(new AdaptiveLimits.Limits(MAX_TEST, MAX_CANDIDATE, false));
    }

    @Test
    void after_the_seed_limits_are_four_times_the_slowest_plus_slack() {
        AdaptiveLimits limits = new AdaptiveLimits(MAX_TEST, MAX_CANDIDATE, true);

        limits.observe(Duration.ofMillis(300).toNanos(), Duration.ofMillis(2000).toNanos());

        AdaptiveLimits.Limits l = limits.current();
        assertThat(l.test()).isEqualTo(Duration.ofMillis(4 * 300 + 200));
        assertThat(l.candidate()).isEqualTo(Duration.ofMillis(4 * 2000 + 1000));
        assertThat(l.adapted()).isTrue();
    }

    @Test
    void fast_tests_get_the_floor() {
        AdaptiveLimits limits = new AdaptiveLimits(MAX_TEST, MAX_CANDIDATE, true);

        limits.observe(Duration.ofMillis(2).toNanos(), Duration.ofMillis(40).toNanos());

        assertThat(limits.current().test()).isEqualTo(AdaptiveLimits.TEST_FLOOR);
        assertThat(limits.current().candidate()).isEqualTo(AdaptiveLimits.CANDIDATE_FLOOR);
    }

    @Test
    void limits_never_exceed_the_configured_bounds() {
        AdaptiveLimits limits = new AdaptiveLimits(MAX_TEST, MAX_CANDIDATE, true);

        limits.observe(Duration.ofSeconds(5).toNanos(), Duration.ofSeconds(30).toNanos());

        assertThat(limits.current().test()).isEqualTo(MAX_TEST);
        assertThat(limits.current().candidate()).isEqualTo(MAX_CANDIDATE);
    }

    @Test
    void a_bound_below_the_floor_wins_over_the_floor() {
        AdaptiveLimits limits = new AdaptiveLimits(Duration.ofMillis(100), Duration.ofSeconds(1), true);

        limits.observe(Duration.ofMillis(1).toNanos(), Duration.ofMillis(10).toNanos());

        assertThat(limits.current().test()).isEqualTo(Duration.ofMillis(100));
        assertThat(limits.current().candidate()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void observations_only_raise_the_limits() {
        AdaptiveLimits limits = new AdaptiveLimits(MAX_TEST, MAX_CANDIDATE, true);
        limits.observe(Duration.ofMillis(400).toNanos(), Duration.ofMillis(3000).toNanos());

        limits.observe(Duration.ofMillis(10).toNanos(), Duration.ofMillis(100).toNanos());

        assertThat(limits.current().test()).isEqualTo(Duration.ofMillis(1800));
        assertThat(limits.current().candidate()).isEqualTo(Duration.ofMillis(13_000));
    }

    @Test
    void without_a_passing_test_only_the_candidate_limit_adapts() {
        AdaptiveLimits limits = new AdaptiveLimits(MAX_TEST, MAX_CANDIDATE, true);

        limits.observe(-1, Duration.ofMillis(500).toNanos());

        assertThat(limits.current().test()).isEqualTo(MAX_TEST);
        assertThat(limits.current().candidate()).isEqualTo(Duration.ofMillis(3000));
    }

    @Test
    void disabled_limits_stay_at_the_bounds() {
        AdaptiveLimits limits = new AdaptiveLimits(MAX_TEST, MAX_CANDIDATE, false);

        limits.observe(Duration.ofMillis(1).toNanos(), Duration.ofMillis(1).toNanos());

        assertThat(limits.current()).isEqualTo(new AdaptiveLimits.Limits(MAX_TEST, MAX_CANDIDATE, false));
        assertThat(limits.explain(limits.current())).isEqualTo("configured limits: 10000 ms per test, 60000 ms per candidate");
    }
}
