package dev.kaizen.eval;

import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Objective;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/** A small shell target with one evolve block, and helpers to evaluate it. */
final class Fixture {

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
        return CommandEvaluator.of(blueprint(target), target, List.of(stages), objective, work, List.of());
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
