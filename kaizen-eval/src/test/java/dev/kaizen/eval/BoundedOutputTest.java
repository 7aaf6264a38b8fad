package dev.kaizen.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {

    private static void write(BoundedOutput out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
    }

    @Test
    void keeps_everything_within_the_limit() {
        BoundedOutput out = new BoundedOutput(10);
        write(out, "abc");
        write(out, "defghij");

        assertThat(out.text()).isEqualTo("abcdefghij");
        assertThat(out.dropped()).isZero();
        assertThat(out.total()).isEqualTo(10);
    }

    @Test
    void keeps_the_start_and_the_end_and_counts_what_it_drops() {
        BoundedOutput out = new BoundedOutput(10);
        write(out, "0123456");
        write(out, "789");
        write(out, "ab");
        write(out, "cdefghijklm");
        write(out, "XYZ");

        assertThat(out.text()).isEqualTo("01234\n[... 16 bytes dropped]\nlmXYZ");
        assertThat(out.dropped()).isEqualTo(16);
        assertThat(out.total()).isEqualTo(26);
    }

    @Test
    void keeps_the_end_of_a_write_larger_than_the_limit() {
        BoundedOutput out = new BoundedOutput(4);
        write(out, "abcdefghijklmnop");

        assertThat(out.text()).isEqualTo("ab\n[... 12 bytes dropped]\nop");
    }

    @Test
    void leaves_out_the_lines_cut_at_the_gap() {
        BoundedOutput out = new BoundedOutput(20);
        write(out, "one\ntwo\nthree-is-long\n".repeat(3) + "last\n");

        assertThat(out.wholeLines()).isEqualTo("one\ntwo\nlast\n");
    }
}
