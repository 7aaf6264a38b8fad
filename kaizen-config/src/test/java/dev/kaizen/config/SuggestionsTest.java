package dev.kaizen.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    static final List<String> KEYS = ConfigLoader.EVALUATOR_KEYS;

    @Test
    void suggests_the_closest_key_for_a_typo() {
        assertThat(Suggestions.closest("timout", KEYS)).hasValue("timeout");
        assertThat(Suggestions.closest("comand", KEYS)).hasValue("command");
        assertThat(Suggestions.closest("stage", KEYS)).hasValue("stages");
        assertThat(Suggestions.closest("TIMEOUT", KEYS)).hasValue("timeout");
        assertThat(Suggestions.closest("output-limit", KEYS)).hasValue("output_limit");
    }

    @Test
    void counts_a_swap_of_neighbours_as_one_edit() {
        assertThat(Suggestions.distance("islnads", "islands")).isEqualTo(1);
        assertThat(Suggestions.closest("islnads", ConfigLoader.SEARCH_KEYS)).hasValue("islands");
    }

    @Test
    void suggests_nothing_for_an_unrelated_word() {
        assertThat(Suggestions.closest("colour", KEYS)).isEmpty();
        assertThat(Suggestions.closest("x", KEYS)).isEmpty();
        assertThat(Suggestions.closest("anything", List.of())).isEmpty();
    }
}
