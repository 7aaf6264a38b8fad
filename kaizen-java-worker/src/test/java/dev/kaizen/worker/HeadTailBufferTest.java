package dev.kaizen.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeadTailBufferTest {

    @Test
    void keeps_everything_under_the_limit() {
        HeadTailBuffer buffer = new HeadTailBuffer(20);
        write(buffer, "hello ");
        write(buffer, "world");

        assertThat(buffer.text()).isEqualTo("hello world");
        assertThat(buffer.total()).isEqualTo(11);
    }

    @Test
    void keeps_head_and_tail_and_says_how_much_was_dropped() {
        HeadTailBuffer buffer = new HeadTailBuffer(10);
        for (char c = 'a'; c <= 'z'; c++) {
            write(buffer, String.valueOf(c));
        }

        assertThat(buffer.text()).isEqualTo("abcde\n[... 16 bytes dropped ...]\nvwxyz");
    }

    @Test
    void a_large_single_write_keeps_its_own_head_and_tail() {
        HeadTailBuffer buffer = new HeadTailBuffer(8);
        write(buffer, "0123456789abcdef");

        assertThat(buffer.text()).isEqualTo("0123\n[... 8 bytes dropped ...]\ncdef");
    }

    @Test
    void a_zero_limit_keeps_only_the_count() {
        HeadTailBuffer buffer = new HeadTailBuffer(0);
        write(buffer, "abc");

        assertThat(buffer.text()).isEqualTo("\n[... 3 bytes dropped ...]\n");
    }

    private static void write(HeadTailBuffer buffer, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        buffer.write(b, 0, b.length);
    }
}
