package dev.kaizen.eval;

import static dev.kaizen.eval.Fixture.code;
import static dev.kaizen.eval.Fixture.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.target.Objective;
import dev.kaizen.sandbox.SandboxLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a candidate cannot do from inside the sandbox, and how each attempt ends. */
@ExtendWith(SharedSandbox.class)
class CommandEvaluatorSandboxTest {

    @TempDir
    Path root;

    Path target;
    Path work;

    @BeforeEach
    void setUp() throws IOException {
        target = Fixture.target(root);
        Files.createDirectories(target.resolve("tests"));
        Files.writeString(target.resolve("tests/test_x.py"), "assert solve() == 42\n");
        Files.createDirectories(target.resolve("build"));
        Files.writeString(target.resolve("build/out.txt"), "old build\n");
        work = root.resolve("work");
    }

    private CommandEvaluator evaluator(SandboxLimits limits, WorkGuard guard, CommandStage... stages) {
        return CommandEvaluator.of(Fixture.blueprint(target), target, List.of(stages), Objective.maximize("score"), work,
                List.of(), Fixture.sandbox(), limits, guard);
    }

    private Evaluation run(SandboxLimits limits, String command) {
        return evaluator(limits, WorkGuard.strict(), stage(command)).evaluate(code(target, 1), "c1");
    }

    private boolean cgroups() {
        return !Fixture.sandbox().isolation().limits().equals("rlimits");
    }

    @Test
    void reports_a_memory_bomb_as_a_memory_limit() {
        assumeTrue(cgroups(), "needs a cgroup limiter: " + Fixture.sandbox().isolation().describe());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");

        Evaluation e = run(SandboxLimits.defaults().withMemory(64L << 20),
                "/usr/bin/python3 -c \"b = [b'x' * (1 << 20) for _ in range(400)]\"; echo '{\"score\": 1}'");

        assertThat(e.outcome()).isInstanceOf(Outcome.LimitExceeded.class);
        assertThat(e.outcome().reason()).startsWith("memory limit: the process tree needed more than 64 MiB");
    }

    @Test
    void reports_a_fork_bomb_as_a_process_limit() {
        assumeTrue(cgroups(), "needs a cgroup limiter: " + Fixture.sandbox().isolation().describe());

        Evaluation e = run(SandboxLimits.defaults().withProcesses(32), "f() { f | f & }; f; sleep 1; echo '{\"score\": 1}'");

        assertThat(e.outcome()).isInstanceOf(Outcome.LimitExceeded.class);
        assertThat(e.outcome().reason()).startsWith("processes limit: more than 32 processes or threads at once");
        assertThat(run(SandboxLimits.defaults(), "echo '{\"score\": 1}'").passed()).as("the machine is fine").isTrue();
    }

    @Test
    void a_command_missing_inside_the_sandbox_says_where_to_look() {
        Evaluation e = run(SandboxLimits.defaults(), "kaizen-no-such-program --version");

        assertThat(e.outcome()).isInstanceOf(Outcome.Crashed.class);
        assertThat(e.outcome().reason()).startsWith("exited with code 127 (127: a command was not found; inside the sandbox only")
                .contains("not found");
    }

    @Test
    void reports_a_cpu_spinner_as_a_cpu_limit() {
        Evaluation e = run(SandboxLimits.defaults().withCpuTime(Duration.ofSeconds(1)), "while :; do :; done");

        assertThat(e.outcome()).isEqualTo(new Outcome.LimitExceeded("cpu limit: a process used more than 1 s of CPU time"));
    }

    @Test
    void reports_one_file_too_large_as_a_file_size_limit() {
        Evaluation e = run(SandboxLimits.defaults().withFileBytes(1L << 20), "echo '{\"score\": 1}'; head -c 3000000 /dev/zero > big.bin");

        assertThat(e.outcome()).isEqualTo(new Outcome.LimitExceeded("file_size limit: a process wrote a file larger than 1 MiB"));
    }

    @Test
    void stops_a_stage_that_fills_the_work_directory_with_many_small_files() throws IOException {
        CommandStage filler = CommandStage.of("evaluate",
                "i=0; while [ $i -lt 40 ]; do head -c 500000 /dev/zero > fill-$i; i=$((i+1)); done; sleep 30", Duration.ofSeconds(20));

        Evaluation e = evaluator(SandboxLimits.defaults().withFileBytes(4L << 20), WorkGuard.strict(), filler)
                .evaluate(code(target, 1), "c1");

        assertThat(e.outcome()).isEqualTo(new Outcome.LimitExceeded("disk limit: wrote more than 4 MiB to the work directory"));
        assertThat(Fixture.entries(work)).isZero();
    }

    @Test
    void measures_the_work_directory_after_a_quick_stage() {
        Evaluation e = run(SandboxLimits.defaults().withFileBytes(1L << 20),
                "for i in 1 2 3; do head -c 600000 /dev/zero > f$i; done; echo '{\"score\": 1}'");

        assertThat(e.outcome()).isEqualTo(new Outcome.LimitExceeded("disk limit: wrote more than 1 MiB to the work directory"));
    }

    @Test
    void reports_a_modified_protected_file_as_a_violation_even_when_the_stage_passes() {
        Evaluation e = run(SandboxLimits.defaults(), "echo 'assert True' > tests/test_x.py; echo '{\"score\": 100}'");

        assertThat(e.outcome()).isEqualTo(new Outcome.Violation("modified protected file tests/test_x.py"));
        assertThat(e.metrics()).isEmpty();
    }

    @Test
    void reports_deleted_and_replaced_protected_files() {
        assertThat(run(SandboxLimits.defaults(), "rm tests/test_x.py; ./solution.sh").outcome())
                .isEqualTo(new Outcome.Violation("deleted protected file tests/test_x.py"));
        assertThat(run(SandboxLimits.defaults(), "cp tests/test_x.py t && rm tests/test_x.py && ln -s ../t tests/test_x.py; ./solution.sh").outcome())
                .isEqualTo(new Outcome.Violation("replaced protected file tests/test_x.py"));
        assertThat(run(SandboxLimits.defaults(), "mv tests t2 && mkdir tests && ln -s ../t2/test_x.py tests/x && ln -s ../t2/test_x.py tests/test_x.py; "
                + "rm tests/test_x.py; cp t2/test_x.py tests/test_x.py; rm -r tests; ln -s t2 tests; ./solution.sh").outcome())
                .isEqualTo(new Outcome.Violation("replaced a directory above protected file tests/test_x.py"));
    }

    @Test
    void stops_a_cascade_at_the_stage_that_changed_a_protected_file() {
        CommandEvaluator evaluator = evaluator(SandboxLimits.defaults(), WorkGuard.strict(),
                stage("build", "echo x >> build/out.txt"), stage("full", "./solution.sh"));

        Evaluation e = evaluator.evaluate(code(target, 1), "c1");

        assertThat(e.outcome()).isEqualTo(new Outcome.Violation("stage build: modified protected file build/out.txt"));
        assertThat(e.stage()).isEqualTo("build");
    }

    @Test
    void lets_stages_rewrite_writable_files_and_change_the_evolvable_ones() {
        CommandEvaluator evaluator = evaluator(SandboxLimits.defaults(), new WorkGuard(List.of("build/**"), List.of()),
                stage("build", "echo new > build/out.txt; echo new > build/more.txt; echo '# touched' >> solution.sh"),
                stage("full", "./solution.sh"));

        Evaluation e = evaluator.evaluate(code(target, 7), "c1");

        assertThat(e.outcome()).isEqualTo(new Outcome.Passed());
        assertThat(e.metrics()).containsEntry("score", 7.0);
    }

    @Test
    void binds_read_only_files_so_writes_fail_inside_the_stage() {
        CommandEvaluator evaluator = evaluator(SandboxLimits.defaults(), new WorkGuard(List.of(), List.of("tests/*.py")),
                stage("if echo 'assert True' > tests/test_x.py; then echo '{\"score\": 1, \"feedback\": \"wrote\"}'; "
                        + "else echo '{\"score\": 1, \"feedback\": \"refused\"}'; fi"));

        Evaluation e = evaluator.evaluate(code(target, 1), "c1");

        assertThat(e.outcome()).isEqualTo(new Outcome.Passed());
        assertThat(e.feedback()).isEqualTo("refused");
    }

    @Test
    void cannot_read_a_file_outside_the_candidate_directory() throws IOException {
        Path secret = Files.writeString(root.resolve("secret.txt"), "s3cret");

        Evaluation e = run(SandboxLimits.defaults(), "cat '" + secret + "'; echo '{\"score\": 1}' > \"$KAIZEN_RESULT\"; "
                + "cat '" + secret + "' >&2 && exit 0; exit 9");

        assertThat(e.outcome()).isInstanceOf(Outcome.Crashed.class);
        assertThat(e.outcome().reason()).startsWith("exited with code 9").contains("No such file or directory").doesNotContain("s3cret");
    }

    @Test
    void cannot_connect_to_a_server_on_the_host() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for /dev/tcp");
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.configureBlocking(false);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();

            Evaluation e = run(SandboxLimits.defaults(), "bash -c 'echo hi > /dev/tcp/127.0.0.1/" + port + "' && echo '{\"score\": 1}'");

            assertThat(e.outcome()).isInstanceOf(Outcome.Crashed.class);
            assertThat(e.outcome().reason()).contains("Connection refused");
            assertThat(server.accept()).as("nothing reached the server").isNull();
        }
    }

    @Test
    void ignores_a_result_printed_on_stdout_when_the_result_file_was_written() {
        Evaluation e = run(SandboxLimits.defaults(), "echo '{\"score\": 1}' > \"$KAIZEN_RESULT\"; echo '{\"score\": 1000000}'");

        assertThat(e.metrics()).containsEntry("score", 1.0);
    }

    @Test
    void sets_home_to_the_candidate_directory() {
        Evaluation e = run(SandboxLimits.defaults(), "[ \"$HOME\" = \"$PWD\" ] && touch ~/.rc && echo '{\"score\": 1}'");

        assertThat(e.outcome()).isEqualTo(new Outcome.Passed());
    }
}
