package dev.kaizen.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.program.Code;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSONL ledger chains its entries so that any edit, removal, reordering or truncation is found. */
class JsonlLedgerTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    @TempDir
    Path dir;

    /** A clock that advances by one second on every reading. */
    private static InstantSource ticking() {
        AtomicLong ticks = new AtomicLong();
        return () -> T0.plusSeconds(ticks.getAndIncrement());
    }

    private Path ledgerWith(int entries) {
        Path file = dir.resolve("ledger.jsonl");
        try (JsonlLedger ledger = JsonlLedger.open(file, ticking())) {
            for (int i = 1; i <= entries; i++) {
                ledger.append(i % 2 == 0 ? "outcome" : "proposal", Map.of("n", i, "text", "entry number " + i, "ok", i % 3 == 0));
            }
        }
        return file;
    }

    @Test
    void appends_entries_that_verify_and_read_back() {
        Path file = dir.resolve("a/b/ledger.jsonl");
        String head;
        try (JsonlLedger ledger = JsonlLedger.open(file, ticking())) {
            assertThat(ledger.size()).isZero();
            assertThat(ledger.head()).isEqualTo(JsonlLedger.GENESIS).isEqualTo("0".repeat(64));
            assertThat(ledger.append("config", Map.of("islands", 4, "model", "m"))).isEqualTo(1);
            assertThat(ledger.append("proposal", Map.of("parents", List.of("a", "b"), "note", "x"))).isEqualTo(2);
            assertThat(ledger.append("outcome", Map.of("score", 1.5, "passed", true, "nothing", new LinkedHashMap<>()))).isEqualTo(3);
            head = ledger.head();
            assertThat(ledger.size()).isEqualTo(3);
        }

        LedgerVerification verification = JsonlLedger.verify(file);
        assertThat(verification.ok()).as("%s", verification).isTrue();
        assertThat(verification.entries()).isEqualTo(3);
        assertThat(verification.head()).isEqualTo(head);
        assertThat(verification.problems()).isEmpty();

        List<LedgerEntry> entries = JsonlLedger.read(file);
        assertThat(entries).extracting(LedgerEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(entries).extracting(LedgerEntry::type).containsExactly("config", "proposal", "outcome");
        assertThat(entries).extracting(LedgerEntry::time).containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(2));
        assertThat(entries.get(0).prev()).isEqualTo(JsonlLedger.GENESIS);
        assertThat(entries.get(1).prev()).isEqualTo(entries.get(0).hash());
        assertThat(entries.get(2).hash()).isEqualTo(head);
        assertThat(entries.get(0).data()).isEqualTo(Map.of("islands", 4, "model", "m"));
        assertThat(entries.get(1).data()).isEqualTo(Map.of("parents", List.of("a", "b"), "note", "x"));
        assertThat(entries.get(2).data()).isEqualTo(Map.of("score", 1.5, "passed", true, "nothing", Map.of()));
    }

    @Test
    void writes_one_line_per_entry_in_the_documented_format() throws Exception {
        Path file = ledgerWith(3);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("\\{\"seq\":1,\"time\":\"2025-03-01T12:00:00Z\",\"type\":\"proposal\",\"data\":\\{.*\\},"
                + "\"prev\":\"0{64}\",\"hash\":\"[0-9a-f]{64}\"}");
        assertThat(lines.get(0)).contains("\"data\":{\"n\":1,\"ok\":false,\"text\":\"entry number 1\"}");
        for (String line : lines) {
            int cut = line.lastIndexOf(",\"hash\":\"");
            String hashed = line.substring(0, cut) + "}";
            String stated = line.substring(cut + 9, line.length() - 2);
            String computed = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(hashed.getBytes(StandardCharsets.UTF_8)));
            assertThat(stated).as("hash of %s", hashed).isEqualTo(computed);
        }
    }

    @Test
    void detects_one_altered_byte_anywhere_with_its_line_number() throws Exception {
        Path file = ledgerWith(4);
        byte[] original = Files.readAllBytes(file);
        List<Integer> lineStarts = new ArrayList<>(List.of(0));
        for (int i = 0; i < original.length; i++) {
            if (original[i] == '\n') {
                lineStarts.add(i + 1);
            }
        }
        Path altered = dir.resolve("altered.jsonl");
        int checked = 0;
        for (int line = 1; line < lineStarts.size(); line++) {
            for (int at = lineStarts.get(line - 1); at < lineStarts.get(line) - 1; at++) {
                byte[] copy = original.clone();
                copy[at] = (byte) (copy[at] ^ ((copy[at] ^ 0x01) == '\n' ? 0x02 : 0x01));
                Files.write(altered, copy);

                LedgerVerification verification = JsonlLedger.verify(altered);

                int lineNo = line;
                int offset = at;
                assertThat(verification.ok()).as("byte %d of line %d altered", offset, lineNo).isFalse();
                assertThat(verification.problems()).as("byte %d of line %d altered: %s", offset, lineNo, verification)
                        .anyMatch(p -> p.line() == lineNo);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(400);
    }

    @Test
    void names_an_edited_value_as_an_altered_line() throws Exception {
        Path file = ledgerWith(5);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace("entry number 3", "entry number 9"));
        Files.write(file, lines);

        LedgerVerification verification = JsonlLedger.verify(file);

        assertThat(verification.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.kind()).isEqualTo(LedgerVerification.Kind.ALTERED);
            assertThat(p.toString()).startsWith("line 3: ").contains("altered");
        });
    }

    @Test
    void detects_a_removed_line() throws Exception {
        Path file = ledgerWith(5);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(2);
        Files.write(file, lines);

        LedgerVerification verification = JsonlLedger.verify(file);

        assertThat(verification.ok()).isFalse();
        assertThat(verification.problems()).extracting(LedgerVerification.Problem::line).containsOnly(3L);
        assertThat(verification.problems()).extracting(LedgerVerification.Problem::kind)
                .contains(LedgerVerification.Kind.SEQUENCE, LedgerVerification.Kind.BROKEN_CHAIN);
        assertThat(verification.problems().toString()).contains("entry 3 is missing");
    }

    @Test
    void detects_a_removed_first_line() throws Exception {
        Path file = ledgerWith(3);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(0);
        Files.write(file, lines);

        LedgerVerification verification = JsonlLedger.verify(file);

        assertThat(verification.problems()).extracting(LedgerVerification.Problem::line).containsOnly(1L);
    }

    @Test
    void detects_two_swapped_lines() throws Exception {
        Path file = ledgerWith(5);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String second = lines.get(1);
        lines.set(1, lines.get(3));
        lines.set(3, second);
        Files.write(file, lines);

        LedgerVerification verification = JsonlLedger.verify(file);

        assertThat(verification.ok()).isFalse();
        assertThat(verification.problems()).extracting(LedgerVerification.Problem::line).contains(2L, 4L);
        assertThat(verification.problems()).noneMatch(p -> p.kind() == LedgerVerification.Kind.ALTERED);
    }

    @Test
    void detects_truncation_only_against_an_anchor() throws Exception {
        Path file = ledgerWith(5);
        LedgerVerification full = JsonlLedger.verify(file);
        String anchorHead = full.head();
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, 3));

        assertThat(JsonlLedger.verify(file).ok()).as("a cut-off chain is still a valid chain").isTrue();
        LedgerVerification anchored = JsonlLedger.verify(file, anchorHead, 5);

        assertThat(anchored.ok()).isFalse();
        assertThat(anchored.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(LedgerVerification.Kind.TRUNCATED);
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).contains("5 entries").contains("ends at entry 3");
        });
    }

    @Test
    void accepts_entries_appended_after_the_anchor() {
        Path file = dir.resolve("ledger.jsonl");
        String anchorHead;
        try (JsonlLedger ledger = JsonlLedger.open(file, ticking())) {
            ledger.append("a", Map.of());
            ledger.append("b", Map.of());
            anchorHead = ledger.head();
            ledger.append("c", Map.of());
        }

        assertThat(JsonlLedger.verify(file, anchorHead, 2).ok()).isTrue();
        assertThat(JsonlLedger.verify(file, JsonlLedger.GENESIS, 0).ok()).isTrue();
    }

    @Test
    void detects_a_rewritten_history_against_an_anchor() throws Exception {
        Path file = ledgerWith(3);
        String anchorHead = JsonlLedger.verify(file).head();
        Files.delete(file);
        try (JsonlLedger forged = JsonlLedger.open(file, ticking())) {
            for (int i = 1; i <= 3; i++) {
                forged.append("proposal", Map.of("n", i, "forged", true));
            }
        }

        LedgerVerification verification = JsonlLedger.verify(file, anchorHead, 3);

        assertThat(verification.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(LedgerVerification.Kind.HEAD_MISMATCH);
            assertThat(p.line()).isEqualTo(3);
        });
    }

    @Test
    void reports_an_unparsable_line_with_its_number() throws Exception {
        Path file = ledgerWith(4);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, "not json at all");
        Files.write(file, lines);

        LedgerVerification verification = JsonlLedger.verify(file);

        assertThat(verification.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.kind()).isEqualTo(LedgerVerification.Kind.UNPARSABLE);
        });
        assertThat(verification.entries()).isEqualTo(3);
        assertThatThrownBy(() -> JsonlLedger.read(file)).isInstanceOf(StoreException.class).hasMessageContaining("line 2");
    }

    @Test
    void recovers_a_torn_last_line_on_open() throws Exception {
        Path file = ledgerWith(3);
        String head = JsonlLedger.verify(file).head();
        byte[] torn = "{\"seq\":4,\"time\":\"2025-03-01T12:00:09Z\",\"type\":\"outc".getBytes(StandardCharsets.UTF_8);
        Files.write(file, torn, java.nio.file.StandardOpenOption.APPEND);

        LedgerVerification before = JsonlLedger.verify(file);
        assertThat(before.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.kind()).isEqualTo(LedgerVerification.Kind.TORN);
        });
        assertThat(JsonlLedger.read(file)).hasSize(3);

        try (JsonlLedger ledger = JsonlLedger.open(file, ticking())) {
            assertThat(ledger.recoveredTornLine()).isTrue();
            assertThat(ledger.recoveredTornBytes()).isEqualTo(torn.length);
            assertThat(ledger.size()).isEqualTo(3);
            assertThat(ledger.head()).isEqualTo(head);
            assertThat(ledger.append("recovered", Map.of("droppedBytes", ledger.recoveredTornBytes()))).isEqualTo(4);
        }
        assertThat(JsonlLedger.verify(file).ok()).isTrue();
        try (JsonlLedger ledger = JsonlLedger.open(file, ticking())) {
            assertThat(ledger.recoveredTornLine()).isFalse();
        }
    }

    @Test
    void refuses_to_append_after_a_complete_but_damaged_last_line() throws Exception {
        Path file = ledgerWith(3);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace("entry number 3", "entry number 7"));
        Files.write(file, lines);

        assertThatThrownBy(() -> JsonlLedger.open(file, ticking())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.getFileName().toString())
                .hasMessageContaining("line 3")
                .hasMessageContaining("altered");
        assertThat(Files.readAllLines(file)).isEqualTo(lines);
    }

    @Test
    void continues_the_chain_after_reopening() {
        Path file = ledgerWith(2);
        try (JsonlLedger ledger = JsonlLedger.open(file, ticking())) {
            assertThat(ledger.size()).isEqualTo(2);
            assertThat(ledger.head()).isEqualTo(JsonlLedger.verify(file).head());
            assertThat(ledger.append("resumed", Map.of())).isEqualTo(3);
        }
        LedgerVerification verification = JsonlLedger.verify(file);
        assertThat(verification.ok()).as("%s", verification).isTrue();
        assertThat(verification.entries()).isEqualTo(3);
    }

    @Test
    void writes_non_finite_numbers_as_strings() throws Exception {
        Path file = dir.resolve("nan.jsonl");
        try (JsonlLedger ledger = JsonlLedger.open(file, ticking())) {
            ledger.append("outcome", Map.of("score", Double.NaN, "bounds", List.of(Double.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 2.5),
                    "ratio", 0.1f));
        }

        assertThat(Files.readString(file)).contains("\"score\":\"NaN\"").contains("[\"-Infinity\",\"Infinity\",2.5]");
        assertThat(JsonlLedger.verify(file).ok()).isTrue();
        assertThat(JsonlLedger.read(file).get(0).data())
                .containsEntry("score", "NaN")
                .containsEntry("bounds", List.of("-Infinity", "Infinity", 2.5))
                .containsEntry("ratio", 0.1);
    }

    @Test
    void writes_data_keys_sorted_whatever_the_map_order() throws Exception {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1);
        inner.put("y", 2);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("b", inner);
        data.put("a", null);
        Path file = dir.resolve("sorted.jsonl");
        try (JsonlLedger ledger = JsonlLedger.open(file, ticking())) {
            ledger.append("t", data);
        }

        assertThat(Files.readString(file)).contains("\"data\":{\"a\":null,\"b\":{\"y\":2,\"z\":1}}");
        assertThat(JsonlLedger.read(file).get(0).data().keySet()).containsExactly("a", "b");
    }

    @Test
    void rejects_values_that_are_not_json_naming_their_path() {
        try (JsonlLedger ledger = JsonlLedger.open(dir.resolve("strict.jsonl"), ticking())) {
            assertThatThrownBy(() -> ledger.append("proposal", Map.of("parents", List.of(Code.single("a", "b").id()))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("data.parents[0]")
                    .hasMessageContaining("ProgramId");
            assertThatThrownBy(() -> ledger.append("t", Map.of("took", Duration.ofSeconds(1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data.took");
            assertThatThrownBy(() -> ledger.append(" ", Map.of())).isInstanceOf(IllegalArgumentException.class);
            assertThat(ledger.size()).isZero();
        }
    }

    @Test
    void keeps_unicode_and_control_characters_on_one_line() throws Exception {
        String text = "漢字 ünïcødé 🎉\nsecond line\r\n\t\"quoted\" \\ \u2028 \u0000 end";
        Path file = dir.resolve("unicode.jsonl");
        try (JsonlLedger ledger = JsonlLedger.open(file, ticking())) {
            ledger.append("feedback ✓", Map.of("stderr", text, "nested", Map.of("ключ", List.of(text))));
            ledger.append("after", Map.of());
        }

        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(2);
        assertThat(JsonlLedger.verify(file).ok()).isTrue();
        LedgerEntry entry = JsonlLedger.read(file).get(0);
        assertThat(entry.type()).isEqualTo("feedback ✓");
        assertThat(entry.data()).isEqualTo(Map.of("stderr", text, "nested", Map.of("ключ", List.of(text))));
    }

    @Test
    void read_data_cannot_be_modified() {
        Path file = dir.resolve("frozen.jsonl");
        try (JsonlLedger ledger = JsonlLedger.open(file, ticking())) {
            ledger.append("t", Map.of("list", List.of(1), "map", Map.of("k", "v")));
        }
        LedgerEntry entry = JsonlLedger.read(file).get(0);

        assertThatThrownBy(() -> entry.data().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) entry.data().get("list");
        assertThatThrownBy(() -> list.add(2)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keeps_the_chain_whole_under_concurrent_appends() throws Exception {
        Path file = dir.resolve("concurrent.jsonl");
        try (JsonlLedger ledger = JsonlLedger.open(file, InstantSource.system());
                ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        ledger.append("work", Map.of("thread", thread, "i", i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            assertThat(ledger.size()).isEqualTo(800);
        }
        LedgerVerification verification = JsonlLedger.verify(file);
        assertThat(verification.ok()).as("%s", verification).isTrue();
        assertThat(verification.entries()).isEqualTo(800);
    }

    @Test
    void refuses_a_second_appender_and_appends_after_closing() {
        Path file = dir.resolve("one-writer.jsonl");
        JsonlLedger ledger = JsonlLedger.open(file, ticking());
        assertThatThrownBy(() -> JsonlLedger.open(file, ticking())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already open");
        ledger.close();
        ledger.close();

        assertThatThrownBy(() -> ledger.append("late", Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        try (JsonlLedger again = JsonlLedger.open(file, ticking())) {
            assertThat(again.size()).isZero();
        }
    }

    @Test
    void an_empty_ledger_verifies_with_the_genesis_head() throws Exception {
        Path file = dir.resolve("empty.jsonl");
        JsonlLedger.open(file, ticking()).close();

        LedgerVerification verification = JsonlLedger.verify(file);

        assertThat(verification.ok()).isTrue();
        assertThat(verification.entries()).isZero();
        assertThat(verification.head()).isEqualTo(JsonlLedger.GENESIS);
        assertThat(JsonlLedger.verify(file, JsonlLedger.GENESIS, 0).ok()).isTrue();
        assertThat(JsonlLedger.verify(file, "a".repeat(64), 1).problems()).singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(LedgerVerification.Kind.TRUNCATED));
        assertThat(Arrays.equals(Files.readAllBytes(file), new byte[0])).isTrue();
    }
}
