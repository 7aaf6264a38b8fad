package dev.kaizen.worker.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {

    @Test
    void setup_round_trips() throws IOException {
        Setup setup = new Setup(List.of("a/classes", "a/test-classes"), List.of("a/classes", "lib/x.jar"), "21", 65536,
                new GuardPolicy(java.util.Set.of("files", "network"), List.of("threads", "com.acme.Db.connect", "java.sql.*")));

        DataInputStream in = written(setup::writeTo);

        assertThat(in.readUnsignedByte()).isEqualTo(Wire.SETUP);
        assertThat(Setup.readFrom(in)).isEqualTo(setup);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void ready_round_trips() throws IOException {
        Ready ready = new Ready(1234, "25.0.1", 987_654_321);

        DataInputStream in = written(ready::writeTo);

        assertThat(in.readUnsignedByte()).isEqualTo(Wire.READY);
        assertThat(Ready.readFrom(in)).isEqualTo(ready);
    }

    @Test
    void request_round_trips_with_text_beyond_64_KiB_and_any_characters() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("src/main/java/com/acme/Sorter.java", "class Sorter { String s = \"héllo ✓ 𝄞\"; }");
        sources.put("src/main/java/com/acme/Big.java", "x".repeat(100_000));
        EvaluateRequest request = new EvaluateRequest(7, sources, List.of("com.acme.SorterTest"), 500, 60_000,
                "com.acme.Bench#score", Map.of("src/main/java/com/acme/Sorter.java", "class Sorter {}"), 10, 20, true, -3);

        DataInputStream in = written(request::writeTo);

        assertThat(in.readUnsignedByte()).isEqualTo(Wire.EVALUATE);
        assertThat(EvaluateRequest.readFrom(in)).isEqualTo(request);
    }

    @Test
    void response_round_trips() throws IOException {
        EvaluateResponse response = new EvaluateResponse(7, EvaluateResponse.Status.VIOLATION, "detail",
                List.of(new TestResult("com.acme.T#a", TestResult.Status.PASSED, "", 5),
                        new TestResult("com.acme.T#b [1] x", TestResult.Status.TIMED_OUT, "ran too long", 6)),
                2.5, new long[] {1, 2, 3}, new long[] {4}, 99, "printed", List.of("called System.exit(3)"),
                true, "why", 10, 20, 30, 40, 5);

        DataInputStream in = written(response::writeTo);

        assertThat(in.readUnsignedByte()).isEqualTo(Wire.RESULT);
        EvaluateResponse read = EvaluateResponse.readFrom(in);
        assertThat(read).usingRecursiveComparison().isEqualTo(response);
        assertThat(read.candidateNanos()).containsExactly(1, 2, 3);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void rejects_negative_and_absurd_counts_and_lengths() {
        assertThatThrownBy(() -> Wire.readStrings(stream(out -> out.writeInt(-1))))
                .isInstanceOf(IOException.class).hasMessage("corrupt stream: count of -1");
        assertThatThrownBy(() -> Wire.readLongs(stream(out -> out.writeInt(Integer.MAX_VALUE))))
                .isInstanceOf(IOException.class).hasMessage("corrupt stream: count of " + Integer.MAX_VALUE);
        assertThatThrownBy(() -> Wire.readString(stream(out -> out.writeInt(-5))))
                .isInstanceOf(IOException.class).hasMessage("corrupt stream: string of -5 bytes");
        assertThatThrownBy(() -> Wire.readString(stream(out -> out.writeInt(Integer.MAX_VALUE))))
                .isInstanceOf(IOException.class).hasMessageStartingWith("corrupt stream: string of");
    }

    @Test
    void rejects_unknown_statuses() {
        assertThatThrownBy(() -> TestResult.readFrom(stream(out -> {
            Wire.writeString(out, "com.acme.T#a");
            out.writeByte(42);
        }))).isInstanceOf(IOException.class).hasMessage("corrupt stream: test status 42");
        assertThatThrownBy(() -> EvaluateResponse.readFrom(stream(out -> {
            out.writeLong(1);
            out.writeByte(9);
        }))).isInstanceOf(IOException.class).hasMessage("corrupt stream: status 9");
    }

    @Test
    void a_truncated_message_is_an_error_and_a_clean_end_is_minus_one() throws IOException {
        byte[] whole = bytes(new Ready(1, "25", 2)::writeTo);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(cut));
        in.readUnsignedByte();

        assertThatThrownBy(() -> Ready.readFrom(in)).isInstanceOf(java.io.EOFException.class);
        assertThat(Wire.readTag(new DataInputStream(new ByteArrayInputStream(new byte[0])))).isEqualTo(-1);
    }

    @Test
    void records_reject_invalid_values() {
        assertThatThrownBy(() -> new Setup(List.of(), List.of(), "21", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvaluateRequest(1, Map.of(), List.of(), -1, 0, "", Map.of(), 0, 0, false, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_guard_policy_refuses_all_but_threads_by_default_and_rejects_unknown_entries() {
        assertThat(GuardPolicy.defaults().refused()).containsExactly(
                "process", "exit", "reflection", "classloading", "network", "files", "native", "unsafe", "environment");
        GuardPolicy custom = new GuardPolicy(java.util.Set.of("files"), List.of("threads", "java.sql.*"));
        assertThat(custom.refused()).contains("threads").doesNotContain("files");
        assertThat(custom.patterns()).containsExactly("java.sql.*");

        assertThatThrownBy(() -> new GuardPolicy(java.util.Set.of("disk"), List.of()))
                .hasMessageContaining("unknown guard category 'disk'").hasMessageContaining("process, exit, reflection");
        assertThatThrownBy(() -> new GuardPolicy(java.util.Set.of("files"), List.of("files")))
                .hasMessageContaining("both allowed and forbidden");
        assertThatThrownBy(() -> new GuardPolicy(java.util.Set.of(), List.of("Db")))
                .hasMessageContaining("neither a guard category");
        assertThatThrownBy(() -> new GuardPolicy(java.util.Set.of(), List.of("com.acme.*.x")))
                .hasMessageContaining("neither a guard category");
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] bytes(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writer.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static DataInputStream written(Writer writer) throws IOException {
        return new DataInputStream(new ByteArrayInputStream(bytes(writer)));
    }

    private static DataInputStream stream(Writer writer) throws IOException {
        return written(writer);
    }
}
