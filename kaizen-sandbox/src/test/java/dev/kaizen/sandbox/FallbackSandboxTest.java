package dev.kaizen.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bubblewrap with rlimits only, the unsafe mode, and cgroup hygiene. */
class FallbackSandboxTest {

    @TempDir
    Path work;

    private static void assumeBubblewrap() {
        assumeTrue(Host.executable("bwrap", "/usr/bin/bwrap").isPresent(),
                "bubblewrap is not installed (scripts/setup-test-env.sh installs it)");
    }

    @Test
    void falls_back_to_rlimits_and_still_kills_the_whole_tree() throws Exception {
        assumeBubblewrap();
        try (Sandbox sandbox = Confiner.detect(List.of())) {
            assertThat(sandbox.isolation().limits()).isEqualTo("rlimits");
            assertThat(sandbox.isolation().detail()).contains("no cgroup limiter tried");
            String token = Runs.token();
            try (Confined c = sandbox.confine(List.of("/bin/sh", "-c",
                    "setsid nohup " + Runs.sleep(token) + " >/dev/null 2>&1 & " + Runs.sleep(token)), SandboxSpec.of(work, SandboxLimits.defaults()))) {
                Process p = Runs.start(c);
                assertThat(Runs.awaitCount(token, 2, Duration.ofSeconds(10))).isEqualTo(2);

                c.kill();

                p.waitFor();
                assertThat(Runs.awaitCount(token, 0, Duration.ofSeconds(5))).isZero();
            }
        }
    }

    @Test
    void limits_address_space_in_the_rlimit_fallback_without_claiming_a_memory_breach() throws Exception {
        assumeBubblewrap();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
        try (Sandbox sandbox = Confiner.detect(List.of());
             Confined c = sandbox.confine(List.of("/usr/bin/python3", "-c", "b = b'x' * (400 << 20)"),
                     SandboxSpec.of(work, SandboxLimits.defaults().withMemory(128L << 20)))) {
            Runs.Ended e = Runs.run(c);

            assertThat(e.exit()).isEqualTo(1);
            assertThat(e.stderr()).contains("MemoryError");
            assertThat(c.breach(e.exit())).isEmpty();
        }
    }

    @Test
    void runs_unsafely_without_namespaces_but_with_rlimits_and_group_kill() throws Exception {
        try (Sandbox sandbox = Sandbox.unsafeNone()) {
            assertThat(sandbox.isolation().namespaces()).isEqualTo("none");
            assertThat(sandbox.isolation().sandboxed()).isFalse();
            Path outside = Files.writeString(work.resolveSibling(work.getFileName() + "-outside.txt"), "visible");
            try {
                assertThat(Runs.sh(sandbox, SandboxSpec.of(work, SandboxLimits.defaults()), "cat '" + outside + "'").stdout())
                        .as("nothing is hidden in the unsafe mode").isEqualTo("visible");
            } finally {
                Files.delete(outside);
            }
            assumeTrue(Host.executable("prlimit").isPresent(), "needs prlimit");
            try (Confined c = sandbox.confine(List.of("/bin/sh", "-c", "while :; do :; done"),
                    SandboxSpec.of(work, SandboxLimits.defaults().withCpuTime(Duration.ofSeconds(1))))) {
                Runs.Ended e = Runs.run(c);
                assertThat(c.breach(e.exit())).map(Breach::resource).hasValue("cpu");
            }
            String token = Runs.token();
            try (Confined c = sandbox.confine(List.of("/bin/sh", "-c", Runs.sleep(token) + " & " + Runs.sleep(token)),
                    SandboxSpec.of(work, SandboxLimits.defaults()))) {
                Process p = Runs.start(c);
                assertThat(Runs.awaitCount(token, 2, Duration.ofSeconds(10))).isEqualTo(2);

                c.kill();

                p.waitFor();
                assertThat(Runs.awaitCount(token, 0, Duration.ofSeconds(5))).isZero();
            }
        }
    }

    /** This process's own cgroup directory in the hierarchy the detected sandbox's memory limits use. */
    private static Optional<Path> ownMemoryCgroup(String limits) throws IOException {
        List<Cgroups.Mount> mounts = Cgroups.mounts(Path.of("/proc/self/mountinfo"));
        var membership = Cgroups.membership(Path.of("/proc/self/cgroup"));
        if (limits.equals("cgroup2")) {
            return mounts.stream().filter(m -> m.version() == 2).findFirst().flatMap(m -> Cgroups.directory(m, membership.get("")));
        }
        Optional<Cgroups.Mount> mount = mounts.stream().filter(m -> m.version() == 1 && m.options().contains("memory")).findFirst();
        Optional<String> own = membership.entrySet().stream().filter(e -> List.of(e.getKey().split(",")).contains("memory"))
                .map(java.util.Map.Entry::getValue).findFirst();
        return mount.isPresent() && own.isPresent() ? Cgroups.directory(mount.get(), own.get()) : Optional.empty();
    }

    private static List<Path> ours(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("kaizen-" + ProcessHandle.current().pid() + "-")).toList();
        }
    }

    @Test
    void removes_its_cgroups_on_close_and_stale_ones_on_detect() throws Exception {
        assumeBubblewrap();
        Sandbox sandbox = Sandbox.detect();
        String limits = sandbox.isolation().limits();
        if (limits.equals("rlimits")) {
            sandbox.close();
            assumeTrue(false, "no cgroup limiter here: " + sandbox.isolation().describe());
        }
        Path own = ownMemoryCgroup(limits).orElseThrow();
        Path stale = own.resolve("kaizen-999999999-00c0ffee");
        Files.createDirectory(stale);
        try (Sandbox second = Sandbox.detect()) {
            assertThat(stale).as("a dead process's cgroup is removed").doesNotExist();
            assertThat(ours(own)).hasSize(2);
            Confined c = second.confine(List.of("/bin/true"), SandboxSpec.of(work, SandboxLimits.defaults()));
            Path parent = ours(own).stream().filter(p -> {
                try (Stream<Path> s = Files.list(p)) {
                    return s.anyMatch(Files::isDirectory);
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
            assertThat(Runs.run(c).exit()).isZero();
            c.close();
            try (Stream<Path> s = Files.list(parent)) {
                assertThat(s.filter(Files::isDirectory).toList()).as("the command's cgroup is removed on close").isEmpty();
            }
        } finally {
            sandbox.close();
            Cgroups.remove(stale);
        }
        assertThat(ours(own)).isEmpty();
    }
}
