package dev.kaizen.llm.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCounterTest {

    private final TokenCounter c = TokenCounter.estimate();

    @Test
    void counts_words_symbols_and_whitespace() {
        assertThat(c.count("")).isZero();
        assertThat(c.count("hello world")).isEqualTo(2);
        assertThat(c.count("compute_packing_density")).isEqualTo(4);
        assertThat(c.count("a[i] += b;")).isEqualTo(7);
        assertThat(c.count("x\n        y")).isEqualTo(3);
        assertThat(c.count("x\n" + " ".repeat(40) + "y")).isEqualTo(5);
        assertThat(c.count("円の詰め込み")).isEqualTo(6);
    }

    @Test
    void lands_between_a_quarter_and_a_half_of_the_characters_on_code() {
        String code = """
                def pack(n):
                    centers = []
                    for i in range(n):
                        x = (i % 5) * 0.2 + 0.1
                        y = (i // 5) * 0.2 + 0.1
                        centers.append((x, y, 0.1))
                    return centers
                """.repeat(20);
        int tokens = c.count(code);
        assertThat(tokens).isBetween(code.length() / 4, code.length() / 2);
    }
}
