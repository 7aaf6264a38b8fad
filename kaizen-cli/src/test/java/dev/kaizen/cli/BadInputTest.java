package dev.kaizen.cli;

import static dev.kaizen.cli.CliTestSupport.kaizen;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets one clear message and exit code 2; nothing is created or lost. */
class BadInputTest {

    @TempDir
    Path tmp;

    @Test
    void a_directory_without_kaizen_yaml_is_named() {
        CliTestSupport.Result r = kaizen("run", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("has no kaizen.yaml").contains("kaizen init");
    }

    @Test
    void a_config_error_names_file_line_and_key() throws Exception {
        Files.writeString(tmp.resolve("p.py"), "x = 1\n");
        Files.writeString(tmp.resolve("kaizen.yaml"), "files: [p.py]\nevaluator:\n  command: python3 e.py\n  timeout: soon\n");
        CliTestSupport.Result r = kaizen("run", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("kaizen.yaml:4").contains("evaluator.timeout");
        assertThat(tmp.resolve(".kaizen")).doesNotExist();
    }

    @Test
    void a_seed_that_fails_its_evaluation_stops_the_run_with_the_evaluators_words() throws Exception {
        Files.writeString(tmp.resolve("p.txt"), "# EVOLVE-BLOCK-START\nx = 1\n# EVOLVE-BLOCK-END\n");
        Files.writeString(tmp.resolve("kaizen.yaml"), "files: [p.txt]\nevaluator: { command: \"echo broken evaluator >&2; exit 3\", timeout: 5s }\n");
        CliTestSupport.Result r = kaizen("run", tmp.toString(), "--evaluations", "10");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("the seed program does not pass").contains("crashed").contains("broken evaluator");
        assertThat(kaizen("audit", "verify", tmp.toString()).code()).isZero();
    }

    @Test
    void an_unknown_run_and_a_bad_duration_are_clear() {
        CliTestSupport.Result r = kaizen("status", tmp.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no run found");
        CliTestSupport.Result d = kaizen("run", tmp.toString(), "--time", "soonish");
        assertThat(d.code()).isEqualTo(2);
        assertThat(d.err()).contains("--time").contains("soonish");
        assertThat(Main.duration("1h30m")).isEqualTo(java.time.Duration.ofMinutes(90));
        assertThat(kaizen("run", tmp.toString(), "--time", "0s").err()).contains("--time").contains("positive");
    }

    @Test
    void init_refuses_an_unknown_template_and_a_non_empty_directory() throws Exception {
        assertThat(kaizen("init", tmp.resolve("x").toString(), "--template", "cobol").err()).contains("unknown template 'cobol'");
        Files.writeString(tmp.resolve("occupied.txt"), "mine");
        CliTestSupport.Result r = kaizen("init", tmp.toString(), "--template", "python");
        assertThat(r.code()).isEqualTo(2);
        assertThat(Files.readString(tmp.resolve("occupied.txt"))).isEqualTo("mine");
    }
}
