package dev.kaizen.core.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LiteralsTest {

    @Test
    void finds_numbers_but_not_identifiers_hex_comments_or_strings() {
        String text = "x1 = 0.5 * y + 3 # 7.0 ignored\nz = \"4.5\" + 0x1F + 1e-3 + 2.5f + .25 // 9\n";
        List<Literals.Literal> found = Literals.find(text);
        assertThat(found).extracting(Literals.Literal::text).containsExactly("0.5", "3", "1e-3", "2.5f", ".25");
        assertThat(found).extracting(Literals.Literal::floating).containsExactly(true, false, true, true, true);
    }

    @Test
    void rewrites_values_in_the_literal_style() {
        String text = "a = 0.5; b = 3; c = 2.5f;";
        List<Literals.Literal> found = Literals.find(text);
        assertThat(Literals.replace(text, found, new double[] {0.123456789, 4, -1.5}))
                .isEqualTo("a = 0.1234568; b = 4; c = (-1.5f);");
        assertThat(Literals.render(0.00001234, found.get(0))).isEqualTo("1.234000e-05");
        assertThat(Literals.render(2, found.get(0))).isEqualTo("2.0");
    }
}
