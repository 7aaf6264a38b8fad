package dev.kaizen.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "250ms, PT0.25S",
        "30s, PT30S",
        "5m, PT5M",
        "1h, PT1H",
        "2d, PT48H",
        "1h30m, PT1H30M",
        "1h 30m 15s, PT1H30M15S",
        "1.5s, PT1.5S",
        "0.5m, PT30S",
        "90, PT1M30S",
        "2.25, PT2.25S",
        "5_000ms, PT5S",
        "10M, PT10M",
        "1m500ms, PT1M0.5S",
    })
    void parses_the_forms_people_write(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "5 minutes", "1h-30m", "-5s", "s", "1.s", "1x", "PT5S", "1h30"})
    void rejects_anything_else(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected a duration such as 30s, 5m, 1h or 250ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "0ms", "0h0m"})
    void rejects_zero(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessage("expected a positive duration, got \"" + text + "\"");
    }

    @Test
    void rejects_a_duration_too_long_to_represent() {
        assertThatThrownBy(() -> Durations.parse("9999999999d")).hasMessage("the duration \"9999999999d\" is too long");
    }

    @Test
    void rounds_to_the_nearest_nanosecond_and_rejects_what_rounds_to_zero() {
        assertThat(Durations.parse("1.0000000004s")).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> Durations.parse("0.0000000004s")).hasMessage("expected a positive duration, got \"0.0000000004s\"");
    }

    @Test
    void seconds_may_be_fractional_but_must_be_positive_and_finite() {
        assertThat(Durations.ofSeconds(0.25)).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> Durations.ofSeconds(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.ofSeconds(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.ofSeconds(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "PT0.25S, 250ms",
        "PT30S, 30s",
        "PT1H30M, 1h30m",
        "PT49H0.5S, 2d1h500ms",
        "PT0.0000015S, 0.0015ms",
    })
    void formats_in_the_shortest_form_that_parses_back(String iso, String text) {
        Duration d = Duration.parse(iso);
        assertThat(Durations.format(d)).isEqualTo(text);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
}
