package dev.kaizen.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Runs the command line in process and copies shipped examples for tests. */
final class CliTestSupport {

    private CliTestSupport() {}

    /** The result of one command: exit code and what it printed. */
    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Result kaizen(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path home() {
        return Path.of(System.getProperty("kaizen.home", "..")).toAbsolutePath().normalize();
    }

    /** Copies a shipped example (without any runs or build output it may hold) into {@code dir}. */
    static Path example(String name, Path dir) throws IOException {
        Path from = home().resolve("examples").resolve(name);
        Path to = dir.resolve(name);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path rel = from.relativize(p);
                if (rel.toString().startsWith(".kaizen") || rel.toString().startsWith("target") || rel.toString().contains("__pycache__")) {
                    continue;
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
        return to;
    }

    static boolean onPath(String command) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
