package dev.kaizen.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kaizen.cli.HostileRun.Attack;
import dev.kaizen.cli.HostileRun.Expect;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.sandbox.Sandbox;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-candidate suite for the Java fast path: real Java candidates, compiled in memory and
 * run in sandboxed warm workers, that try to leave the JVM, spawn processes, reach the network or
 * the file system, load native code, use {@code Unsafe}, reflect into the harness, or outlive
 * their evaluation. Each is proposed into one real run (the repair example's class and tests) and
 * must be recorded with its own outcome and reason while the run carries on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileJavaCandidatesTest {

    private static final String FILE = "src/main/java/dev/kaizen/examples/repair/ArrayStats.java";
    private static final String ANCHOR = "        long total = 0;\n";


    private Path dir;

    private final Map<String, Expect> expected = new LinkedHashMap<>();
    private final List<Attack> attacks = new ArrayList<>();
    private final List<String> hostProblems = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private HostileRun.Result result;
    private String seedRegion;

    @BeforeAll
    void runTheSuite(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        assumeTrue(CliTestSupport.onPath("mvn"), "the example resolves its classpath with Maven");
        Sandbox sandbox = HostileRun.sandboxOrSkip();
        Path target = CliTestSupport.example("java-repair", dir);
        Files.writeString(target.resolve("kaizen.yaml"), Files.readString(target.resolve("kaizen.yaml"))
                .replaceAll("(?m)^budget:.*$", "budget: { evaluations: 100 }")
                .replaceAll("(?m)^search:.*$", "search: { islands: 1, parallelism: 1 }"));
        seedRegion = Blueprint.read(target, List.of(FILE)).seed().region(FILE + "#1");
        assertThat(seedRegion).contains(ANCHOR);
        Path secret = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("answers.txt"), "SECRET-ANSWER-4242");
        try (ServerSocket server = HostileRun.countingServer(accepted)) {
            defineAttacks(server.getLocalPort(), secret);
            result = HostileRun.run(target, dir.resolve("run"), attacks, sandbox);
            HostileRun.writeTable("hostile-java.md", attacks, expected, result);
        } finally {
            if (sandbox instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    private void defineAttacks(int port, Path secret) {
        String guard = "guard: forbidden";
        statement("exit the JVM", "System.exit(0);", new Expect("rejected", guard + ".*System\\.exit", "guard: bytecode scan (exit)"));
        statement("halt the JVM", "Runtime.getRuntime().halt(0);", new Expect("rejected", guard + ".*halt", "guard: bytecode scan (exit)"));
        statement("spawn a shell", "try { new ProcessBuilder(\"sh\", \"-c\", \"id\").start(); } catch (Exception e) { }",
                new Expect("rejected", guard + ".*ProcessBuilder", "guard: bytecode scan (process)"));
        statement("exec a command", "try { Runtime.getRuntime().exec(new String[] {\"id\"}); } catch (Exception e) { }",
                new Expect("rejected", guard + ".*exec", "guard: bytecode scan (process)"));
        statement("exit through a method reference", "java.util.function.IntConsumer exit = System::exit; exit.accept(0);",
                new Expect("rejected", guard + ".*System\\.exit", "guard: bytecode scan (method handles)"));
        statement("flip a result by reflecting into the harness",
                "try { java.lang.reflect.Field f = Class.forName(\"dev.kaizen.worker.TestRunner\").getDeclaredFields()[0]; f.setAccessible(true); } catch (Exception e) { }",
                new Expect("rejected", guard, "guard: bytecode scan (reflection, class loading)"));
        statement("call a private method through a method handle",
                "try { java.lang.invoke.MethodHandles.lookup().findStatic(System.class, \"exit\", java.lang.invoke.MethodType.methodType(void.class, int.class)).invoke(0); } catch (Throwable t) { }",
                new Expect("rejected", guard, "guard: bytecode scan (reflection)"));
        statement("load classes of its own", "try { new java.net.URLClassLoader(new java.net.URL[0]).loadClass(\"java.lang.Runtime\"); } catch (Exception e) { }",
                new Expect("rejected", guard, "guard: bytecode scan (class loading)"));
        statement("open a socket", "try { new java.net.Socket(\"127.0.0.1\", " + port + ").close(); } catch (Exception e) { }",
                new Expect("rejected", guard + ".*Socket", "guard: bytecode scan (network)"));
        statement("resolve a host name", "try { java.net.InetAddress.getByName(\"example.com\"); } catch (Exception e) { }",
                new Expect("rejected", guard + ".*InetAddress", "guard: bytecode scan (network)"));
        statement("read the expected answers outside its directory",
                "try { System.out.println(java.nio.file.Files.readString(java.nio.file.Path.of(\"" + secret + "\"))); } catch (Exception e) { }",
                new Expect("rejected", guard + ".*Files\\.readString", "guard: bytecode scan (files)"));
        statement("write a file", "try (java.io.FileOutputStream out = new java.io.FileOutputStream(\"pwned.txt\")) { out.write(1); } catch (Exception e) { }",
                new Expect("rejected", guard + ".*FileOutputStream", "guard: bytecode scan (files)"));
        statement("delete a test class", "new java.io.File(\"target/test-classes\").delete();",
                new Expect("rejected", guard + ".*File\\.delete", "guard: bytecode scan (files)"));
        statement("load native code", "System.loadLibrary(\"c\");", new Expect("rejected", guard + ".*loadLibrary", "guard: bytecode scan (native)"));
        member("declare a native method", "    static native long evil(int[] values);\n",
                new Expect("rejected", "(?i)native", "guard: bytecode scan (native)"));
        statement("use Unsafe", "try { Object u = sun.misc.Unsafe.class; } catch (Exception e) { }",
                new Expect("rejected", "(?i)unsafe", "guard: bytecode scan (unsafe)"));
        statement("change a system property", "System.setProperty(\"user.dir\", \"/\");",
                new Expect("rejected", guard + ".*setProperty", "guard: bytecode scan (environment)"));
        statement("swap the standard output", "System.setOut(null);", new Expect("rejected", guard + ".*setOut", "guard: bytecode scan (environment)"));
        member("run an attack from a static initialiser",
                "    static { try { new java.io.FileOutputStream(\"static-init-ran.txt\").close(); } catch (Exception e) { } }\n",
                new Expect("rejected", guard + ".*FileOutputStream", "guard: scanned before any class is initialised"));
        statement("leave a thread running into the next candidate",
                "Thread t = new Thread(() -> { while (true) { try { Thread.sleep(100); } catch (InterruptedException e) { } } }); t.setDaemon(true); t.start();",
                new Expect("violation", "(?i)thread", "worker: threads checked after the candidate"));
        statement("loop forever", "while (values.length >= 0) { total = total + 1; }",
                new Expect("timed_out", "(?i)time", "worker: loop deadline, no JVM restart"));
        statement("exhaust the heap", "long[] hog = new long[Integer.MAX_VALUE - 16]; total += hog.length;",
                new Expect("crashed", "(?i)memory", "worker heap limit, worker recycled"));
        statement("recurse without end", "if (values.length >= 0) { return sum(values); }",
                new Expect("passed", "(?i)StackOverflow", "JVM stack limit: its tests fail and score nothing"));
        // After all of that, an honest candidate still evaluates normally.
        attacks.add(new Attack("an honest candidate after the attacks", Code.single(FILE + "#1", seedRegion.replace("int i = 1;", "int i = 0;")), c -> {}));
        expected.put("an honest candidate after the attacks", new Expect("passed", "", "nothing to stop"));
    }

    private void statement(String name, String code, Expect expect) {
        String body = seedRegion.replace(ANCHOR, ANCHOR.replace("long total = 0;", "long total = 0; " + code));
        expected.put(name, expect);
        attacks.add(new Attack(name, Code.single(FILE + "#1", body), c -> {}));
    }

    private void member(String name, String member, Expect expect) {
        expected.put(name, expect);
        attacks.add(new Attack(name, Code.single(FILE + "#1", member + seedRegion), c -> {}));
    }

    @Test
    void every_attack_is_contained_and_classified_with_its_own_reason_in_the_archive_and_the_ledger() {
        assertThat(HostileRun.misclassified(attacks, expected, result)).as("attacks not contained as expected").isEmpty();
        assertThat(accepted.get()).as("connections that reached the host").isZero();
        assertThat(result.verification().ok()).as(result.verification().problems().toString()).isTrue();
        assertThat(result.archived()).isEqualTo(attacks.size() + 1);
        assertThat(result.byAttack().get("an honest candidate after the attacks").evaluation().metrics().get("tests_passed"))
                .as("the honest candidate ran its tests").isNotNull().isGreaterThan(5.0);
    }

    @Test
    void no_static_initialiser_of_a_refused_candidate_ran() throws IOException {
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().equals("static-init-ran.txt") || p.getFileName().toString().equals("pwned.txt")))
                    .isEmpty();
        }
    }
}
