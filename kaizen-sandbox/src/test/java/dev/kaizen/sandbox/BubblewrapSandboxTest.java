package dev.kaizen.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detected sandbox, with real bubblewrap processes and whatever limiter this machine has. */
class BubblewrapSandboxTest {

    static Sandbox sandbox;

    @TempDir
    Path root;

    Path work;

    @BeforeAll
    static void detect() {
        assumeTrue(Host.executable("bwrap", "/usr/bin/bwrap").isPresent(),
                "bubblewrap is not installed (scripts/setup-test-env.sh installs it); skipping the sandbox tests");
        sandbox = Sandbox.detect();
    }

    @AfterAll
    static void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        work = Files.createDirectories(root.resolve("work"));
    }

    private SandboxSpec spec(SandboxLimits limits) {
        return SandboxSpec.of(work, limits);
    }

    private SandboxSpec spec() {
        return spec(SandboxLimits.defaults());
    }

    private boolean cgroups() {
        return !sandbox.isolation().limits().equals("rlimits");
    }

    @Test
    void describes_bubblewrap_and_its_limiter() {
        Isolation i = sandbox.isolation();

        assertThat(i.namespaces()).isEqualTo("bubblewrap");
        assertThat(i.sandboxed()).isTrue();
        assertThat(i.limits()).isIn("cgroup2", "cgroup1", "rlimits");
        assertThat(i.describe()).startsWith("bubblewrap + " + i.limits() + " (bubblewrap ");
    }

    @Test
    void runs_in_its_writable_work_directory_with_home_there() throws Exception {
        Runs.Ended e = Runs.sh(sandbox, spec(), "echo \"$PWD $HOME\"; echo made > made.txt; mkdir -p sub && touch sub/x");

        assertThat(e.exit()).as(e.stderr()).isZero();
        assertThat(e.stdout().strip()).isEqualTo(work + " " + work);
        assertThat(work.resolve("made.txt")).hasContent("made");
        assertThat(work.resolve("sub/x")).exists();
    }

    @Test
    void cannot_write_outside_the_work_directory_nor_to_read_only_or_protected_paths() throws Exception {
        Path tools = Files.createDirectories(root.resolve("tools"));
        Files.writeString(tools.resolve("tool.sh"), "original");
        Path tests = Files.createDirectories(work.resolve("tests"));
        Files.writeString(tests.resolve("test_x.py"), "assert True");
        Files.writeString(work.resolve("free.txt"), "free");
        SandboxSpec spec = new SandboxSpec(work, List.of(tools), List.of(tests), SandboxLimits.defaults());
        String script = """
                for f in /usr/kaizen-x /etc/kaizen-x "$T/tool.sh" "$T/new" tests/test_x.py tests/new.py; do
                  if ( echo changed > "$f" ) 2>/dev/null; then echo "wrote $f"; fi
                done
                rm -f tests/test_x.py 2>/dev/null && echo "removed"
                mv tests gone 2>/dev/null && echo "moved"
                cat "$T/tool.sh"; echo; echo changed > free.txt && echo free-ok
                """.replace("$T", tools.toString());

        Runs.Ended e = Runs.sh(sandbox, spec, script);

        assertThat(e.stdout()).isEqualTo("original\nfree-ok\n");
        assertThat(tools.resolve("tool.sh")).hasContent("original");
        assertThat(tools.resolve("new")).doesNotExist();
        assertThat(tests.resolve("test_x.py")).hasContent("assert True");
        assertThat(work.resolve("free.txt")).hasContent("changed");
        assertThat(Path.of("/usr/kaizen-x")).doesNotExist();
    }

    @Test
    void sees_nothing_outside_its_binds() throws Exception {
        Path secret = Files.writeString(root.resolve("secret.txt"), "s3cret");
        Path project = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        String home = System.getProperty("user.home");
        String script = "for p in '" + secret + "' '" + project + "' '" + home + "' /root; do "
                + "if [ -e \"$p\" ] && [ \"$p\" != / ]; then ls \"$p\" >/dev/null 2>&1 && echo \"visible $p\"; fi; done; "
                + "cat '" + secret + "' 2>/dev/null; echo \"around the work directory: $(ls -A '" + root + "')\"";

        Runs.Ended e = Runs.sh(sandbox, spec(), script);

        assertThat(e.stdout()).isEqualTo("around the work directory: work\n");
        assertThat(project.resolve("pom.xml")).as("the project is there on the host").exists();
    }

    @Test
    void sees_only_the_harmless_part_of_etc_and_cannot_write_there_or_at_the_root() throws Exception {
        assumeTrue(Files.exists(Path.of("/etc/shadow")), "the host has /etc/shadow");
        Runs.Ended e = Runs.sh(sandbox, spec(), """
                test -e /etc/shadow && echo shadow-visible
                test -r /etc/passwd && echo passwd-readable
                ( echo x > /etc/kaizen-x ) 2>/dev/null && echo etc-writable
                ( echo x > /kaizen-x ) 2>/dev/null && echo root-writable
                echo done
                """);

        assertThat(e.stdout()).isEqualTo("passwd-readable\ndone\n");
    }

    @Test
    void reading_also_binds_more_paths_read_only_into_every_command() throws Exception {
        Path tools = Files.createDirectories(root.resolve("opt-tools"));
        Files.writeString(tools.resolve("tool.txt"), "a tool");
        String script = "cat " + tools.resolve("tool.txt") + " 2>/dev/null || echo invisible; ( echo x > " + tools.resolve("new") + " ) 2>/dev/null && echo wrote";

        assertThat(Runs.sh(sandbox, spec(), script).stdout()).isEqualTo("invisible\n");
        Sandbox wider = sandbox.readingAlso(List.of(tools));
        assertThat(Runs.sh(wider, spec(), script).stdout()).isEqualTo("a tool");
        assertThat(wider.isolation().detail()).endsWith("also read-only: 1 path(s)");
        assertThat(tools.resolve("new")).doesNotExist();
    }

    @Test
    void scrubbing_the_environment_keeps_what_programs_need_and_drops_the_rest() {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin", "LC_ALL", "C.UTF-8", "TZ", "UTC",
                "OPENAI_API_KEY", "sk-x", "AWS_SECRET_ACCESS_KEY", "y", "PYTHONPATH", "/opt/lib"));

        SandboxEnvironment.scrub(env, List.of("PYTHONPATH"));

        assertThat(env).containsOnlyKeys("PATH", "LC_ALL", "TZ", "PYTHONPATH");
    }

    @Test
    void has_no_network() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for /dev/tcp");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String connect = "bash -c 'echo hi > /dev/tcp/127.0.0.1/" + server.getLocalPort() + "'";
            Process outside = new ProcessBuilder("/bin/sh", "-c", connect).start();
            assertThat(outside.waitFor()).as("the server is reachable outside the sandbox").isZero();
            server.accept().close();

            Runs.Ended e = Runs.sh(sandbox, spec(), connect + " 2>&1 && echo connected; "
                    + "getent hosts example.com || echo no-dns; getent hosts localhost >/dev/null && echo localhost");

            assertThat(e.stdout()).doesNotContain("connected").contains("no-dns");
        }
    }

    @Test
    void keeps_tmp_private_and_small() throws Exception {
        Path hostTmpFile = Files.createTempFile("kaizen-visible-", ".txt");
        try {
            SandboxLimits limits = SandboxLimits.defaults();
            String script = "[ -e '" + hostTmpFile + "' ] && echo host-visible; echo small > /tmp/small && cat /tmp/small; "
                    + "head -c " + (limits.tmpBytes() + (1 << 20)) + " /dev/zero > /tmp/big 2>/dev/null || echo tmp-full; "
                    + "head -c " + (limits.tmpBytes() + (1 << 20)) + " /dev/zero > /dev/shm/big 2>/dev/null || echo shm-full";

            Runs.Ended e = Runs.sh(sandbox, spec(limits.withFileBytes(limits.tmpBytes() * 4)), script);

            assertThat(e.stdout()).isEqualTo("small\ntmp-full\nshm-full\n");
        } finally {
            Files.delete(hostTmpFile);
        }
    }

    @Test
    void passes_exit_codes_and_signals_through() throws Exception {
        assertThat(Runs.sh(sandbox, spec(), "exit 7").exit()).isEqualTo(7);
        assertThat(Runs.sh(sandbox, spec(), "kill -9 $$").exit()).isEqualTo(137);
        Runs.Ended term = Runs.sh(sandbox, spec(), "kill -TERM $$");
        assertThat(term.exit()).isEqualTo(143);
    }

    @Test
    void reports_a_memory_bomb() throws Exception {
        assumeTrue(cgroups(), "needs a cgroup limiter: " + sandbox.isolation().describe());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
        try (Confined c = sandbox.confine(List.of("/usr/bin/python3", "-c", "b = [b'x' * (1 << 20) for _ in range(400)]"),
                spec(SandboxLimits.defaults().withMemory(64L << 20)))) {
            Runs.Ended e = Runs.run(c);

            assertThat(e.exit()).isEqualTo(137);
            assertThat(c.breach(e.exit())).hasValueSatisfying(b -> {
                assertThat(b.resource()).isEqualTo("memory");
                assertThat(b.describe()).startsWith("memory limit: the process tree needed more than 64 MiB");
            });
        }
    }

    @Test
    void reports_a_fork_bomb_and_leaves_nothing_running() throws Exception {
        assumeTrue(cgroups(), "needs a cgroup limiter: " + sandbox.isolation().describe());
        String token = Runs.token();
        try (Confined c = sandbox.confine(List.of("/bin/sh", "-c", "f() { f | f & }; f; sleep 1; exit 0", "bomb-" + token),
                spec(SandboxLimits.defaults().withProcesses(32)))) {
            Runs.Ended e = Runs.run(c);

            assertThat(c.breach(e.exit())).hasValueSatisfying(b -> {
                assertThat(b.resource()).isEqualTo("processes");
                assertThat(b.describe()).startsWith("processes limit: more than 32 processes or threads at once");
            });
        }
        assertThat(Runs.awaitCount(token, 0, Duration.ofSeconds(5))).isZero();
        assertThat(Runs.sh(sandbox, spec(), "echo fine").stdout()).isEqualTo("fine\n");
    }

    @Test
    void reports_cpu_time() throws Exception {
        try (Confined c = sandbox.confine(List.of("/bin/sh", "-c", "while :; do :; done"),
                spec(SandboxLimits.defaults().withCpuTime(Duration.ofSeconds(1))))) {
            Runs.Ended e = Runs.run(c);

            assertThat(e.exit()).isEqualTo(152);
            assertThat(c.breach(e.exit())).hasValue(new Breach("cpu", "a process used more than 1 s of CPU time"));
        }
    }

    @Test
    void reports_a_file_too_large() throws Exception {
        try (Confined c = sandbox.confine(List.of("/bin/sh", "-c", "head -c 3000000 /dev/zero > big.bin"),
                spec(SandboxLimits.defaults().withFileBytes(1L << 20)))) {
            Runs.Ended e = Runs.run(c);

            assertThat(e.exit()).isEqualTo(153);
            assertThat(c.breach(e.exit())).hasValue(new Breach("file_size", "a process wrote a file larger than 1 MiB"));
            assertThat(Files.size(work.resolve("big.bin"))).isEqualTo(1L << 20);
        }
    }

    @Test
    void reports_no_breach_for_an_ordinary_failure() throws Exception {
        try (Confined c = sandbox.confine(List.of("/bin/sh", "-c", "exit 3"), spec())) {
            Runs.Ended e = Runs.run(c);

            assertThat(e.exit()).isEqualTo(3);
            assertThat(c.breach(e.exit())).isEmpty();
        }
    }

    @Test
    void kills_the_whole_tree_including_a_daemonized_grandchild() throws Exception {
        String token = Runs.token();
        try (Confined c = sandbox.confine(List.of("/bin/sh", "-c",
                "setsid nohup " + Runs.sleep(token) + " >/dev/null 2>&1 & " + Runs.sleep(token)), spec())) {
            Process p = Runs.start(c);
            assertThat(Runs.awaitCount(token, 2, Duration.ofSeconds(10))).isEqualTo(2);

            c.kill();

            p.waitFor();
            assertThat(Runs.awaitCount(token, 0, Duration.ofSeconds(5))).isZero();
        }
    }

    @Test
    void dies_with_the_process_that_started_it() throws Exception {
        String token = Runs.token();
        try (Confined c = sandbox.confine(List.of("/bin/sh", "-c", Runs.sleep(token) + " & " + Runs.sleep(token)), spec())) {
            List<String> starter = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" & wait", "starter"));
            starter.addAll(c.command());
            Process parent = new ProcessBuilder(starter).start();
            assertThat(Runs.awaitCount(token, 2, Duration.ofSeconds(10))).isEqualTo(2);

            parent.destroyForcibly().waitFor();

            assertThat(Runs.awaitCount(token, 0, Duration.ofSeconds(5))).isZero();
        }
    }

    @Test
    void ends_what_a_finished_command_left_in_the_background() throws Exception {
        String token = Runs.token();
        try (Confined c = sandbox.confine(List.of("/bin/sh", "-c",
                "setsid nohup " + Runs.sleep(token) + " >/dev/null 2>&1 & echo started"), spec())) {
            Runs.Ended e = Runs.run(c);

            assertThat(e.stdout()).isEqualTo("started\n");
            assertThat(Runs.awaitCount(token, 0, Duration.ofSeconds(5))).isZero();
        }
    }

    @Test
    void confines_from_many_threads_at_once() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Runs.Ended>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Path dir = Files.createDirectories(root.resolve("w" + i));
                futures.add(pool.submit(() -> Runs.sh(sandbox, SandboxSpec.of(dir, SandboxLimits.defaults()), "pwd")));
            }
            for (int i = 0; i < 12; i++) {
                assertThat(futures.get(i).get().stdout().strip()).isEqualTo(root.resolve("w" + i).toString());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refuses_a_protected_path_that_does_not_exist() {
        SandboxSpec spec = new SandboxSpec(work, List.of(), List.of(work.resolve("missing")), SandboxLimits.defaults());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sandbox.confine(List.of("/bin/true"), spec))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("missing")
                .hasMessageContaining("does not exist");
    }
}
