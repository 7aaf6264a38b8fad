package dev.kaizen.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageResultTest {

    @TempDir
    Path root;

    private static BoundedOutput stdout(String text) {
        BoundedOutput out = new BoundedOutput(64 * 1024);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        return out;
    }

    private StageResult read(String stdout) {
        return StageResult.read(root.resolve("none.json"), "none.json", stdout(stdout));
    }

    @Test
    void reads_score_metrics_correct_and_feedback() {
        StageResult r = read("{\"score\": 3, \"correct\": true, \"metrics\": {\"t\": 0.25}, \"feedback\": \"ok\", \"extra\": [1]}\n");

        assertThat(r).isEqualTo(new StageResult.Report(true, Map.of("t", 0.25, "score", 3.0), "ok", "stdout"));
    }

    @Test
    void lets_the_top_level_score_win_over_a_metric_of_the_same_name() {
        StageResult r = read("{\"score\": 3, \"metrics\": {\"score\": 1}}");

        assertThat(((StageResult.Report) r).metrics()).containsEntry("score", 3.0);
    }

    @Test
    void treats_null_fields_as_absent() {
        StageResult r = read("{\"score\": 1, \"correct\": null, \"metrics\": null, \"feedback\": null}");

        assertThat(r).isEqualTo(new StageResult.Report(true, Map.of("score", 1.0), "", "stdout"));
    }

    @Test
    void reads_nan_and_infinity_tokens_and_strings() {
        StageResult r = read("{\"metrics\": {\"a\": NaN, \"b\": -Infinity, \"c\": \"inf\", \"d\": \"NaN\", \"e\": 1e400}}");

        assertThat(((StageResult.Report) r).metrics()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "a", Double.NaN, "b", Double.NEGATIVE_INFINITY, "c", Double.POSITIVE_INFINITY,
                "d", Double.NaN, "e", Double.POSITIVE_INFINITY));
    }

    @Test
    void skips_lines_that_only_look_like_json() {
        StageResult r = read("{\"score\": 1}\n{\"score\": 2} trailing\n{not json}\n[1]\n");

        assertThat(((StageResult.Report) r).metrics()).containsEntry("score", 1.0);
    }

    @Test
    void ignores_the_metrics_of_an_incorrect_result() {
        StageResult r = read("{\"correct\": false, \"score\": \"bad\", \"metrics\": 3}");

        assertThat(r).isEqualTo(new StageResult.Report(false, Map.of(), "", "stdout"));
    }

    @Test
    void says_when_there_is_nothing() {
        assertThat(read("")).isInstanceOf(StageResult.Absent.class);
        assertThat(read("\n  \n")).isInstanceOf(StageResult.Absent.class);
    }

    @Test
    void prefers_the_file_and_reports_a_file_too_large() throws IOException {
        Path file = root.resolve("result.json");
        Files.write(file, new byte[StageResult.MAX_FILE_BYTES + 1]);

        StageResult r = StageResult.read(file, "result.json", stdout("{\"score\": 1}"));

        assertThat(r).isEqualTo(new StageResult.Invalid("the result file result.json is larger than 1048576 bytes"));
    }

    @Test
    void reports_an_empty_result_file() throws IOException {
        Path file = Files.writeString(root.resolve("result.json"), "\n");

        assertThat(StageResult.read(file, "result.json", stdout("")))
                .isEqualTo(new StageResult.Invalid("the result file result.json is empty"));
    }
}
