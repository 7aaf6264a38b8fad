package dev.kaizen.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Small facts about the machine: executables on the PATH, the user, running helper commands. */
final class Host {

    private Host() {}

    /** The first executable {@code name} on the PATH, else the first of {@code fallbacks} that exists. */
    static Optional<Path> executable(String name, String... fallbacks) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            }
        }
        for (String f : fallbacks) {
            Path candidate = Path.of(f);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Whether this process runs with user id 0. */
    static boolean root() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).strip().split("\\s+")[0].equals("0");
                }
            }
        } catch (IOException e) {
            // Fall through to the user name.
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * What a short helper command printed.
     *
     * @param exitCode the exit status, or -1 when it did not end in time
     * @param output   stdout and stderr together, at most 64 KiB
     */
    record Result(int exitCode, String output) {}

    /** Runs {@code command} with stdin closed, waiting at most {@code seconds}. */
    static Result run(List<String> command, Path dir, long seconds) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        try (InputStream in = p.getInputStream()) {
            byte[] out = in.readNBytes(64 * 1024);
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
                return new Result(-1, new String(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    }

    /** Kills one process by pid with SIGKILL; false when it was not there. */
    static boolean kill(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return false;
        }
        return ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
    }

    /** Whether a process with this pid exists and has not ended (zombies count as ended). */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
