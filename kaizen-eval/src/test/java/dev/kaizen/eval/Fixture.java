package dev.kaizen.eval;

import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Objective;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.sandbox.SandboxLimits;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A small shell target with one evolve block, and helpers to evaluate it in the machine's real
 * sandbox (detected once for the test run by {@link SharedSandbox} and closed when it ends).
 */
final class Fixture {

    /** Where the sandbox every test evaluator uses comes from, set by {@link SharedSandbox}. */
    private static volatile Supplier<Sandbox> shared;

    static void use(Supplier<Sandbox> sandbox) {
        shared = sandbox;
    }

    static final String SOLUTION = "solution.sh";
    static final String REGION = SOLUTION + "#1";

    private Fixture() {}

    /** Writes a target whose {@code solution.sh} prints {@code {"score": $value}}. */
    static Path target(Path root) throws IOException {
        Path target = Files.createDirectories(root.resolve("target"));
        Path solution = target.resolve(SOLUTION);
        Files.writeString(solution, """
                #!/bin/sh
                # EVOLVE-BLOCK-START
                value=1
                # EVOLVE-BLOCK-END
                echo "{\\"score\\": $value}"
                """);
        Files.setPosixFilePermissions(solution, PosixFilePermissions.fromString("rwxr-xr-x"));
        return target;
    }

    static Blueprint blueprint(Path target) {
        return Blueprint.read(target, List.of(SOLUTION));
    }

    /** The target's code with the evolve block set to {@code value=<value>}. */
    static Code code(Path target, Object value) {
        return blueprint(target).seed().withRegion(REGION, "value=" + value + "\n");
    }

    static CommandStage stage(String command) {
        return CommandStage.of("evaluate", command, Duration.ofSeconds(20));
    }

    static CommandStage stage(String name, String command) {
        return CommandStage.of(name, command, Duration.ofSeconds(20));
    }

    static CommandEvaluator evaluator(Path target, Path work, CommandStage... stages) {
        return evaluator(target, work, Objective.maximize("score"), stages);
    }

    static CommandEvaluator evaluator(Path target, Path work, Objective objective, CommandStage... stages) {
        return CommandEvaluator.of(blueprint(target), target, List.of(stages), objective, work, List.of(),
                sandbox(), SandboxLimits.defaults());
    }

    /**
     * The real sandbox; skips the calling test when bubblewrap is missing
     * ({@code scripts/setup-test-env.sh} installs it).
     */
    static Sandbox sandbox() {
        assumeTrue(onPath("bwrap") || Files.isExecutable(Path.of("/usr/bin/bwrap")),
                "bubblewrap is not installed (scripts/setup-test-env.sh installs it); skipping a sandboxed evaluation");
        Supplier<Sandbox> s = shared;
        if (s == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedSandbox.class)");
        }
        return s.get();
    }

    /**
     * An evaluator without namespaces, for tests whose stages leave marks outside the candidate's
     * directory to show what ran.
     */
    static CommandEvaluator unsandboxed(Path target, Path work, Sandbox unsafe, CommandStage... stages) {
        return CommandEvaluator.of(blueprint(target), target, List.of(stages), Objective.maximize("score"), work, List.of(),
                unsafe, SandboxLimits.defaults());
    }

    static boolean onPath(String name) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, name)));
    }

    /** Digits no other process has in its command line. */
    static String token() {
        return Long.toString(100_000_000_000L + Math.floorMod(UUID.randomUUID().getLeastSignificantBits(), 800_000_000_000L));
    }

    /** A long {@code sleep} that the host can find by {@code token}. */
    static String sleep(String token) {
        return "sleep 3000." + token;
    }

    /** How many live processes run a {@link #sleep} of {@code token}. */
    static int sleeping(String token) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (List.of(cmdline.split("\0")).contains("3000." + token) && running(Long.parseLong(name))) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // Ended meanwhile.
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids.size();
    }

    /** Waits up to ten seconds until {@code n} processes run a sleep of {@code token}; returns how many do. */
    static int awaitSleeping(String token, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int count = sleeping(token);
        while (count != n && System.nanoTime() < deadline) {
            Thread.sleep(20);
            count = sleeping(token);
        }
        return count;
    }

    /** Whether a process with this pid exists and is not a zombie. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits up to three seconds for a process to be gone. */
    static boolean gone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!running(pid)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    static long pid(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    static long entries(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }
}
