package dev.kaizen.worker;

import static dev.kaizen.worker.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.worker.wire.EvaluateResponse;
import dev.kaizen.worker.wire.EvaluateResponse.Status;
import dev.kaizen.worker.wire.GuardPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bytecode guard in a real worker with the default policy, {@code threads} forbidden as well
 * and a pattern for the project's own API: every category refused with the call, its place and
 * its category, before any class of the candidate is loaded. (That an allowed category passes,
 * and that no static initializer of a refused candidate runs, is in {@link WorkerTest}, whose
 * worker allows {@code files}.)
 */
class GuardTest {

    private static WorkerProcess worker;

    @BeforeAll
    static void startWorker() throws Exception {
        Path dir = Files.createTempDirectory("guard-test");
        worker = WorkerProcess.start(FixtureProject.create(dir).setup(4096)
                .withGuard(new GuardPolicy(Set.of(), List.of("threads", "com.acme.Sorter$Helper.tag"))));
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    /** A candidate class {@code com.acme.Probe} whose {@code run} method has {@code body} on line 4. */
    private static EvaluateResponse probe(String body) {
        String source = """
                package com.acme;
                public class Probe {
                    public static Object run(String s) throws Exception {
                        %s
                        return null;
                    }
                }
                """.formatted(body);
        return worker.evaluate(request().source("src/main/java/com/acme/Probe.java", source).tests("com.acme.SorterTest").build());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            new ProcessBuilder("ls").start();                             | call new java.lang.ProcessBuilder(String[]) in Probe.run (line 4): process spawning (guard category process)
            Runtime.getRuntime().exec(new String[] {"ls"});               | call java.lang.Runtime.exec(String[]) in Probe.run (line 4): process spawning (guard category process)
            ProcessHandle.current().destroy();                            | call java.lang.ProcessHandle.current() in Probe.run (line 4): process spawning (guard category process)
            System.exit(1);                                               | call java.lang.System.exit(int) in Probe.run (line 4): ending the JVM (guard category exit)
            Runtime.getRuntime().halt(1);                                 | call java.lang.Runtime.halt(int) in Probe.run (line 4): ending the JVM (guard category exit)
            String.class.getDeclaredField("value").setAccessible(true);   | call java.lang.reflect.Field.setAccessible(boolean) in Probe.run (line 4): reflective access (guard category reflection)
            String.class.getMethod("length").invoke(s);                   | call java.lang.reflect.Method.invoke(Object, Object[]) in Probe.run (line 4): reflective access (guard category reflection)
            java.lang.invoke.MethodHandles.privateLookupIn(String.class, java.lang.invoke.MethodHandles.lookup()); | call java.lang.invoke.MethodHandles.privateLookupIn(Class, MethodHandles$Lookup) in Probe.run (line 4): reflective access (guard category reflection)
            Class.forName(s);                                             | call java.lang.Class.forName(String) in Probe.run (line 4): class loading (guard category classloading)
            Probe.class.getClassLoader().loadClass(s);                    | call java.lang.ClassLoader.loadClass(String) in Probe.run (line 4): class loading (guard category classloading)
            Thread.currentThread().setContextClassLoader(null);           | call java.lang.Thread.setContextClassLoader(ClassLoader) in Probe.run (line 4): class loading (guard category classloading)
            new java.net.Socket("localhost", 80).close();                 | call new java.net.Socket(String, int) in Probe.run (line 4): network access (guard category network)
            java.net.URI.create(s).toURL().openStream();                  | call java.net.URL.openStream() in Probe.run (line 4): network access (guard category network)
            java.net.InetAddress.getByName(s);                            | call java.net.InetAddress.getByName(String) in Probe.run (line 4): network access (guard category network)
            java.net.http.HttpClient.newHttpClient();                     | call java.net.http.HttpClient.newHttpClient() in Probe.run (line 4): network access (guard category network)
            java.nio.channels.SocketChannel.open();                       | call java.nio.channels.SocketChannel.open() in Probe.run (line 4): network access (guard category network)
            java.nio.file.Files.writeString(java.nio.file.Path.of(s), s); | call java.nio.file.Files.writeString(Path, CharSequence, OpenOption[]) in Probe.run (line 4): file system access (guard category files)
            java.nio.file.Files.readAllBytes(java.nio.file.Path.of(s));   | call java.nio.file.Files.readAllBytes(Path) in Probe.run (line 4): file system access (guard category files)
            new java.io.FileOutputStream(s).close();                      | call new java.io.FileOutputStream(String) in Probe.run (line 4): file system access (guard category files)
            new java.io.PrintWriter(s).close();                           | call new java.io.PrintWriter(String) in Probe.run (line 4): file system access (guard category files)
            new java.io.File(s).delete();                                 | call java.io.File.delete() in Probe.run (line 4): file system access (guard category files)
            System.loadLibrary(s);                                        | call java.lang.System.loadLibrary(String) in Probe.run (line 4): native code (guard category native)
            Runtime.getRuntime().load(s);                                 | call java.lang.Runtime.load(String) in Probe.run (line 4): native code (guard category native)
            System.setProperty(s, s);                                     | call java.lang.System.setProperty(String, String) in Probe.run (line 4): changing JVM-global state (guard category environment)
            System.setOut(null);                                          | call java.lang.System.setOut(PrintStream) in Probe.run (line 4): changing JVM-global state (guard category environment)
            java.util.Locale.setDefault(java.util.Locale.JAPAN);          | call java.util.Locale.setDefault(Locale) in Probe.run (line 4): changing JVM-global state (guard category environment)
            java.util.TimeZone.setDefault(null);                          | call java.util.TimeZone.setDefault(TimeZone) in Probe.run (line 4): changing JVM-global state (guard category environment)
            Runtime.getRuntime().addShutdownHook(null);                   | call java.lang.Runtime.addShutdownHook(Thread) in Probe.run (line 4): changing JVM-global state (guard category environment)
            new Thread(() -> { }).start();                                | call new java.lang.Thread(Runnable) in Probe.run (line 4): starting threads (guard category threads)
            java.util.concurrent.Executors.newFixedThreadPool(2);         | call java.util.concurrent.Executors.newFixedThreadPool(int) in Probe.run (line 4): starting threads (guard category threads)
            com.acme.Sorter.Helper.tag();                                 | call com.acme.Sorter$Helper.tag() in Probe.run (line 4): forbidden by the target's guard pattern com.acme.Sorter$Helper.tag
            """)
    void each_category_is_refused_naming_the_call_its_place_and_its_category(String body, String reason) {
        EvaluateResponse r = probe(body);

        assertThat(r.status()).as(r.detail()).isEqualTo(Status.REFUSED);
        assertThat(r.detail().lines().findFirst().orElseThrow()).isEqualTo("forbidden " + reason);
        assertThat(r.tests()).isEmpty();
        assertThat(r.recycle()).isFalse();
    }

    @Test
    void unsafe_is_refused_wherever_it_is_mentioned() {
        EvaluateResponse r = probe("""
                java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                        Object u = f.get(null);
                        System.out.println(((sun.misc.Unsafe) u).addressSize());""");

        assertThat(r.status()).isEqualTo(Status.REFUSED);
        assertThat(r.detail().lines().toList()).contains(
                "forbidden type reference sun.misc.Unsafe in Probe.run (line 4): Unsafe memory access (guard category unsafe)",
                "forbidden type reference sun.misc.Unsafe in Probe.run (line 6): Unsafe memory access (guard category unsafe)",
                "forbidden call sun.misc.Unsafe.addressSize() in Probe.run (line 6): Unsafe memory access (guard category unsafe)");
    }

    @Test
    void a_method_reference_to_a_forbidden_method_is_refused() {
        EvaluateResponse r = probe("""
                interface Starter { Process start(ProcessBuilder b) throws java.io.IOException; }
                        Starter start = ProcessBuilder::start;
                        java.util.function.IntConsumer exit = System::exit;""");

        assertThat(r.status()).as(r.detail()).isEqualTo(Status.REFUSED);
        assertThat(r.detail().lines().toList()).containsExactly(
                "forbidden method reference java.lang.ProcessBuilder.start() in Probe.run (line 5): process spawning (guard category process)",
                "forbidden method reference java.lang.System.exit(int) in Probe.run (line 6): ending the JVM (guard category exit)");
    }

    @Test
    void a_forbidden_call_inside_a_lambda_or_a_nested_class_is_refused() {
        String source = """
                package com.acme;
                public class Probe {
                    static Runnable r = () -> System.exit(2);
                    static class Inner {
                        Inner() throws Exception { java.nio.file.Files.delete(java.nio.file.Path.of("x")); }
                    }
                }
                """;

        EvaluateResponse r = worker.evaluate(request().source("src/main/java/com/acme/Probe.java", source).tests("com.acme.SorterTest").build());

        assertThat(r.status()).isEqualTo(Status.REFUSED);
        assertThat(r.detail().lines().toList()).containsExactly(
                "forbidden call java.lang.System.exit(int) in a lambda in Probe.<clinit> (line 3): ending the JVM (guard category exit)",
                "forbidden call java.nio.file.Files.delete(Path) in the constructor of Probe$Inner (line 5): file system access (guard category files)");
    }

    @Test
    void a_candidate_declaring_a_native_method_or_a_class_loader_is_refused() {
        String source = """
                package com.acme;
                public class Probe {
                    static native int fast(int x);
                    static class Loader extends ClassLoader { }
                    static class Grandchild extends Loader { }
                }
                """;

        EvaluateResponse r = worker.evaluate(request().source("src/main/java/com/acme/Probe.java", source).tests("com.acme.SorterTest").build());

        assertThat(r.status()).isEqualTo(Status.REFUSED);
        assertThat(r.detail().lines().toList()).contains(
                "forbidden native method Probe.fast(int): native code (guard category native)",
                "forbidden class loader subclass of java.lang.ClassLoader in class Probe$Loader: class loading (guard category classloading)",
                "forbidden class loader subclass of java.lang.ClassLoader in class Probe$Grandchild: class loading (guard category classloading)");
    }

    @Test
    void strings_naming_forbidden_things_and_ordinary_code_pass() {
        EvaluateResponse r = probe("""
                String name = "java.lang.ProcessBuilder"; String exit = "System.exit";
                        java.util.List<Integer> xs = new java.util.ArrayList<>(java.util.List.of(3, 1, 2));
                        xs.sort(Integer::compare);
                        record Point(int x, int y) { }
                        Object p = new Point(xs.get(0), name.length() + exit.length());
                        StringBuilder b = new StringBuilder().append(p).append(s == null ? "" : s.strip());
                        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
                        counts.merge(b.toString(), 1, Integer::sum);
                        Object printed = new java.io.PrintWriter(new java.io.StringWriter());
                        Object uri = java.net.URI.create("https://example.com/" + counts.size());""");

        assertThat(r.status()).as(r.detail()).isEqualTo(Status.COMPLETED);
    }
}
