package dev.kaizen.java;

import static dev.kaizen.java.DemoProject.FAST;
import static dev.kaizen.java.DemoProject.code;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.target.Objective;
import dev.kaizen.java.pool.PoolStats;
import dev.kaizen.java.pool.TestSandbox;
import dev.kaizen.sandbox.Sandbox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the sandbox holds a worker JVM to, even where the bytecode guard lets the candidate try:
 * {@code files} and {@code network} are allowed here, yet the worker reads nothing outside its
 * binds and reaches no socket of the host; and a heap ({@code -Xmx}) larger than the sandbox's
 * memory limit ends in a breach the evaluator reports, after which the spare serves on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxedWorkerTest {

    @TempDir
    static Path root;
    @TempDir
    static Path elsewhere;

    Sandbox sandbox;
    JavaEvaluator evaluator;

    @BeforeAll
    void start() throws Exception {
        sandbox = TestSandbox.detect();
        DemoProject.create(root);
        JavaSettings settings = JavaSettings.builder(root, DemoProject.TESTS)
                .classpath(ClasspathSource.entries(List.of()))
                .sandbox(sandbox)
                .allow(List.of("files", "network"))
                .workers(1)
                .workerHeap(2L << 30)
                .workerMemory(384L << 20)
                .adaptiveLimits(false)
                .testTimeout(Duration.ofSeconds(20))
                .candidateTimeout(Duration.ofSeconds(40))
                .build();
        evaluator = new JavaEvaluator(DemoProject.blueprint(root), settings, Objective.maximize(JavaEvaluator.TESTS_PASSED),
                DemoProject.classpath(root));
    }

    @AfterAll
    void close() {
        if (evaluator != null) {
            evaluator.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** A candidate that throws what {@code attempt} (a block assigning {@code got}) got, so it shows in the reason. */
    private Evaluation attempt(String attempt) {
        return evaluator.evaluate(code("""
                        String got;
                        try {
                            %s
                        } catch (java.io.IOException e) {
                            got = e.getClass().getName();
                        }
                        if (a != null) {
                            throw new IllegalStateException(got);
                        }
                """.formatted(attempt)), "attempt");
    }

    @Test
    void the_worker_reads_the_project_but_nothing_outside_its_binds() throws IOException {
        Path secret = Files.writeString(elsewhere.resolve("secret.txt"), "the host's secret");
        Path source = root.resolve(DemoProject.SORTER);

        Evaluation outside = attempt("got = \"read \" + java.nio.file.Files.readString(java.nio.file.Path.of(\"" + secret + "\"));");
        Evaluation project = attempt("got = \"read \" + java.nio.file.Files.readString(java.nio.file.Path.of(\"" + source + "\"));");

        assertThat(Files.readString(secret)).isEqualTo("the host's secret");
        assertThat(outside.outcome()).isInstanceOf(Outcome.Incorrect.class);
        assertThat(outside.outcome().reason()).contains("IllegalStateException: java.nio.file.NoSuchFileException").doesNotContain("secret");
        assertThat(project.outcome().reason()).contains("IllegalStateException: read package demo;");
    }

    @Test
    void the_worker_reaches_no_socket_of_the_host_even_with_network_allowed() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Evaluation e = attempt("new java.net.Socket(\"127.0.0.1\", " + server.getLocalPort() + ").close(); got = \"connected\";");

            assertThat(e.outcome()).isInstanceOf(Outcome.Incorrect.class);
            assertThat(e.outcome().reason()).contains("IllegalStateException: java.net.ConnectException").doesNotContain("connected");
        }
    }

    @Test
    void a_heap_beyond_the_memory_limit_is_a_breach_and_the_spare_takes_over() {
        long died = evaluator.stats().retired(PoolStats.Retirement.DIED);

        Evaluation e = evaluator.evaluate(code("""
                        long[][] held = new long[128][];
                        for (int i = 0; i < held.length; i++) {
                            held[i] = new long[2_000_000];
                            java.util.Arrays.fill(held[i], i);
                        }
                        java.util.Arrays.sort(a);
                """), "hog");

        assertThat(e.outcome()).as(e.feedback()).isInstanceOf(Outcome.LimitExceeded.class);
        assertThat(e.outcome().reason()).startsWith("worker JVM killed: memory limit: ").contains("384 MiB");
        assertThat(e.feedback()).contains("a fresh worker takes over");
        Evaluation next = evaluator.evaluate(code(FAST), "good");
        assertThat(next.outcome()).as(next.feedback()).isEqualTo(new Outcome.Passed());
        assertThat(evaluator.stats().retired(PoolStats.Retirement.DIED)).isEqualTo(died + 1);
    }
}
