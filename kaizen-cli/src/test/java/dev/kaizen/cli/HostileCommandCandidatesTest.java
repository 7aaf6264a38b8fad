package dev.kaizen.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kaizen.cli.HostileRun.Attack;
import dev.kaizen.cli.HostileRun.Expect;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.program.Code;
import dev.kaizen.sandbox.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-candidate suite for command evaluators: real Python candidates that try to escape,
 * exhaust, tamper or cheat, proposed one after another into one real run (sandbox, evaluator,
 * guard, SQLite archive, hash-chained ledger). Each must be contained, recorded with its own
 * outcome and reason in the archive and the ledger, and the run must carry on to the next.
 *
 * <p>An attack that gets through returns {@code [9.5]}; no contained attack can reach that score.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCommandCandidatesTest {


    private Path dir;

    private final Map<String, Expect> expected = new LinkedHashMap<>();
    private final List<Attack> attacks = new ArrayList<>();
    private final List<String> hostProblems = new ArrayList<>();
    private HostileRun.Result result;
    private Path target;
    private Path secret;
    private Path outsideDir;
    private ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();

    @BeforeAll
    void runTheSuite(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        assumeTrue(CliTestSupport.onPath("python3"), "the command target is a Python program");
        Sandbox sandbox = HostileRun.sandboxOrSkip();
        target = copyFixture(dir.resolve("target"));
        outsideDir = Files.createDirectories(dir.resolve("outside"));
        secret = Files.writeString(outsideDir.resolve("answers.json"), "{\"answer\": \"SECRET-ANSWER-4242\"}");
        server = HostileRun.countingServer(accepted);
        defineAttacks();
        try {
            result = HostileRun.run(target, dir.resolve("run"), attacks, sandbox);
            HostileRun.writeTable("hostile-command.md", attacks, expected, result);
        } finally {
            server.close();
            if (sandbox instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    private void defineAttacks() {
        String pwned = "    return [9.5]\n";
        // --- leaving the process or the machine's limits
        attack("exit the interpreter before the evaluator reports", "    os._exit(0)\n",
                new Expect("malformed", "no result", "evaluator: no result reported"));
        attack("exit with an error status", "    sys.exit(7)\n",
                new Expect("crashed", "code 7", "evaluator"));
        attack("fork bomb", "    while True:\n        os.fork()\n",
                new Expect("limit_exceeded", "process", "sandbox limit: processes"));
        attack("memory bomb", "    hog = [b'x' * (1 << 20) for _ in range(4096)]\n" + pwned,
                new Expect("limit_exceeded", "memory", "sandbox limit: memory"));
        attack("endless busy loop", "    while True:\n        pass\n",
                new Expect("limit_exceeded", "cpu", "sandbox limit: CPU time"));
        attack("sleep past the time limit", "    time.sleep(3600)\n",
                new Expect("timed_out", "time limit", "wall-time limit"));
        attack("flood stdout, then answer", "    for _ in range(2048):\n        sys.stdout.write('x' * 65536)\n    return [1.0]\n",
                new Expect("passed", "", "output cap"));
        attack("flood stderr, then fail", "    for _ in range(2048):\n        sys.stderr.write('y' * 65536)\n    sys.exit(3)\n",
                new Expect("crashed", "code 3", "output cap"), c -> {
                    if (c.evaluation().feedback().length() > 16_384) {
                        hostProblems.add("flooded stderr kept " + c.evaluation().feedback().length() + " characters of feedback");
                    }
                });
        attack("fill the disk with many files",
                "    for i in range(100000):\n        with open('fill-%d.bin' % i, 'wb') as f:\n            f.write(b'\\0' * (1 << 20))\n" + pwned,
                new Expect("limit_exceeded", "disk", "sandbox limit: bytes written"));
        attack("write one huge file", "    with open('big.bin', 'wb') as f:\n        f.write(b'\\0' * (64 << 20))\n" + pwned,
                new Expect("limit_exceeded", "disk", "sandbox limit: bytes written"));
        attack("fill /tmp", "    with open('/tmp/fill.bin', 'wb') as f:\n        f.write(b'\\0' * (64 << 20))\n" + pwned,
                new Expect("crashed", "No space left", "sandbox: size-limited private /tmp"));
        // --- the network
        attack("connect to a server on the host's loopback",
                "    socket.create_connection(('127.0.0.1', %d), timeout=3)\n".formatted(server.getLocalPort()) + pwned,
                new Expect("crashed", "(?i)refused|unreachable", "sandbox: own network namespace"), c -> {
                    if (accepted.get() > 0) {
                        hostProblems.add("the host's server accepted " + accepted.get() + " connection(s) from a candidate");
                    }
                });
        attack("connect to an outside address", "    socket.create_connection(('1.1.1.1', 53), timeout=3)\n" + pwned,
                new Expect("crashed", "(?i)unreachable|timed out", "sandbox: no network"));
        attack("resolve a host name", "    socket.getaddrinfo('example.com', 443)\n" + pwned,
                new Expect("crashed", "(?i)gaierror|name resolution|not known", "sandbox: no network"));
        // --- files outside the candidate's directory
        attack("read the evaluator's expected answers outside the work directory",
                "    print(open(%s).read())\n".formatted(py(secret.toString())) + pwned,
                new Expect("crashed", "FileNotFoundError", "sandbox: not mounted"), c -> {
                    if (c.evaluation().feedback().contains("SECRET-ANSWER-4242")) {
                        hostProblems.add("the secret reached the candidate's feedback");
                    }
                });
        attack("list the user's home", "    print(os.listdir(%s))\n".formatted(py(System.getProperty("user.home"))) + pwned,
                new Expect("crashed", "FileNotFoundError", "sandbox: not mounted"));
        attack("read the system's password hashes", "    print(open('/etc/shadow').read())\n" + pwned,
                new Expect("crashed", "(?i)FileNotFoundError|PermissionError", "sandbox: /etc is bound selectively"));
        attack("write outside the work directory",
                "    open(%s, 'w').write('pwned')\n".formatted(py(outsideDir.resolve("pwned.txt").toString())) + pwned,
                new Expect("crashed", "(?i)FileNotFoundError|Read-only", "sandbox: not mounted"), c -> {
                    if (Files.exists(outsideDir.resolve("pwned.txt"))) {
                        hostProblems.add("a candidate wrote outside its work directory");
                    }
                });
        attack("write into the system directories", "    open('/usr/pwned', 'w').write('pwned')\n" + pwned,
                new Expect("crashed", "(?i)Read-only|Permission", "sandbox: read-only system"));
        attack("modify the user's real evaluator",
                "    open(%s, 'a').write('# pwned')\n".formatted(py(target.resolve("evaluate.py").toString())) + pwned,
                new Expect("crashed", "(?i)FileNotFoundError|Read-only", "sandbox: project not mounted"));
        // --- tampering inside its own copy
        attack("modify a test data file", "    open('data.json', 'w').write('{\"max_values\": 100000}')\n    return [1.0]\n",
                new Expect("violation", "data.json", "guard: protected files hashed after the stage"));
        attack("modify the evaluator", "    open('evaluate.py', 'a').write('\\n# pwned\\n')\n    return [1.0]\n",
                new Expect("violation", "evaluate.py", "guard: protected files hashed after the stage"));
        attack("replace a test file with a symlink", "    os.remove('data.json')\n    os.symlink('/etc/hostname', 'data.json')\n    return [1.0]\n",
                new Expect("violation", "data.json", "guard: protected files hashed after the stage"));
        // --- lying about the result
        attack("print a fake result line", "    print(json.dumps({'score': 9.5, 'correct': True}))\n    return [1.0]\n",
                new Expect("passed", "", "result channel: $KAIZEN_RESULT, not stdout"));
        attack("forge the result file with an impossible score",
                "    open(os.environ['KAIZEN_RESULT'], 'w').write('{\"score\": 1e9, \"correct\": true}')\n    os._exit(0)\n",
                new Expect("invalid", "outside", "metric range"));
        attack("return NaN", "    return [float('nan')]\n", new Expect("invalid", "NaN", "metric sanity"));
        attack("return infinity", "    return [float('inf')]\n", new Expect("invalid", "(?i)infinity", "metric sanity"));
        attack("report an impossible score", "    return [1e9]\n", new Expect("invalid", "outside", "metric range"));
        attack("leave the score out", "    return []\n", new Expect("invalid", "(?i)missing", "metric sanity"));
        // --- outliving the evaluation and leaking into the next
        attack("leave a daemon running", "    subprocess.Popen(['sleep', '3607'], start_new_session=True)\n    return [1.0]\n",
                new Expect("passed", "", "sandbox: the namespace dies with the stage"), c -> {
                    if (processWithCommandLine("sleep3607")) {
                        hostProblems.add("a candidate's daemon outlived its evaluation");
                    }
                });
        attack("leave state for the next candidate",
                "    open('/tmp/kaizen-state', 'w').write('x')\n    os.makedirs(os.path.expanduser('~/.cache'), exist_ok=True)\n"
                        + "    open(os.path.expanduser('~/.cache/kaizen-state'), 'w').write('x')\n    return [1.0]\n",
                new Expect("passed", "", "sandbox: private /tmp, fresh copy"));
        attack("read state left by the previous candidate",
                "    if os.path.exists('/tmp/kaizen-state') or os.path.exists(os.path.expanduser('~/.cache/kaizen-state')):\n"
                        + "    " + pwned + "    return [1.5]\n",
                new Expect("passed", "", "sandbox: private /tmp, fresh copy"), c -> {
                    if (!c.evaluation().metrics().getOrDefault("score", 0.0).equals(1.5)) {
                        hostProblems.add("the next candidate saw the previous one's state: " + c.evaluation().metrics());
                    }
                });
        attack("spawn a shell to read a secret", "    subprocess.run(['sh', '-c', 'cat ' + %s], check=True)\n".formatted(py(secret.toString())) + pwned,
                new Expect("crashed", "non-zero exit status", "sandbox: not mounted"));
        attack("look for Kaizen's own processes", """
                    for p in os.listdir('/proc'):
                        if p.isdigit():
                            try:
                                line = open('/proc/%s/cmdline' % p, 'rb').read()
                                if b'surefire' in line or b'dev.kaizen.cli' in line or b'kaizen-cli' in line:
                                    return [9.5]
                            except OSError:
                                pass
                    raise RuntimeError('no Kaizen process visible')
                """.indent(4),
                new Expect("crashed", "no Kaizen process visible", "sandbox: own pid namespace"));
        attack("read an API key from the environment",
                "    if any(k.endswith('_API_KEY') or k == 'KAIZEN_TEST_SECRET' for k in os.environ):\n" + "    " + pwned
                        + "    raise RuntimeError('no secret in the environment; HOME=' + os.environ.get('HOME', ''))\n",
                new Expect("crashed", "no secret in the environment", "sandbox: environment scrubbed"));
        // --- the guard
        attack("edit outside the evolve region",
                "    return [1.0]\n    # EVOLVE-BLOCK-END\nos.system('touch pwned')\ndef solve():\n    # EVOLVE-BLOCK-START\n    return [1.0]\n",
                new Expect("rejected", "EVOLVE-BLOCK", "guard: regions intact"));
        attack("smuggle a marker into the region", "    # EVOLVE-BLOCK-START\n    return [1.0]\n",
                new Expect("rejected", "EVOLVE-BLOCK-START", "guard: regions intact"));
        attack("rename the region", Code.single("solve.py#2", "    return [1.0]\n"),
                new Expect("rejected", "(?i)region", "guard: regions intact"), c -> {});
        attack("add a file of its own", Code.of(Map.of("solve.py#1", "    return [1.0]\n", "sitecustomize.py", "import os\n")),
                new Expect("rejected", "(?i)region", "guard: regions intact"), c -> {});
        attack("an oversized edit", "    # " + "x".repeat(30_000) + "\n    return [1.0]\n",
                new Expect("rejected", "(?i)characters", "guard: edit size"));
    }

    private void attack(String name, String body, Expect expect) {
        attack(name, body, expect, c -> {});
    }

    private void attack(String name, String body, Expect expect, Consumer<Candidate> afterwards) {
        attack(name, Code.single("solve.py#1", body), expect, afterwards);
    }

    private void attack(String name, Code code, Expect expect, Consumer<Candidate> afterwards) {
        expected.put(name, expect);
        attacks.add(new Attack(name, code, afterwards));
    }

    @Test
    void there_are_at_least_thirty_kinds_of_attack() {
        assertThat(attacks).hasSizeGreaterThanOrEqualTo(30);
        assertThat(attacks.stream().map(Attack::name).distinct()).hasSameSizeAs(attacks);
    }

    @Test
    void every_attack_is_contained_and_classified_with_its_own_reason_in_the_archive_and_the_ledger() {
        List<String> through = attacks.stream().map(Attack::name)
                .filter(n -> Double.valueOf(9.5).equals(result.byAttack().get(n).evaluation().metrics().get("score")))
                .toList();

        assertThat(through).as("attacks that got through (score 9.5)").isEmpty();
        assertThat(HostileRun.misclassified(attacks, expected, result)).as("attacks not contained as expected").isEmpty();
        assertThat(hostProblems).as("what the host saw after the attacks").isEmpty();
        assertThat(result.verification().ok()).as(result.verification().problems().toString()).isTrue();
    }

    @Test
    void the_run_carries_on_and_the_archive_holds_the_seed_and_every_attack() {
        assertThat(result.archived()).isEqualTo(attacks.size() + 1);
        assertThat(result.summary().evaluations()).isEqualTo(attacks.size() + 1);
        assertThat(result.summary().best()).isPresent();
        assertThat(result.summary().best().orElseThrow().evaluation().metrics().get("score")).isLessThan(9.5);
    }

    @Test
    void the_users_project_is_untouched() throws IOException {
        Path fixture = fixtureDir();
        for (String f : List.of("evaluate.py", "data.json", "solve.py", "kaizen.yaml")) {
            assertThat(Files.readString(target.resolve(f))).as(f).isEqualTo(Files.readString(fixture.resolve(f)));
        }
        try (Stream<Path> files = Files.list(outsideDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("answers.json");
        }
    }

    static String py(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String abbreviate(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    /** Whether a process whose NUL-separated command line, joined, equals {@code joined} is alive. */
    static boolean processWithCommandLine(String joined) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).anyMatch(p -> {
                try {
                    return new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace("\0", "").equals(joined);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path fixtureDir() {
        return CliTestSupport.home().resolve("kaizen-cli/src/test/resources/hostile/python");
    }

    private static Path copyFixture(Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(fixtureDir())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.copy(p, to.resolve(p.getFileName().toString()));
            }
        }
        return to;
    }
}
