package dev.kaizen.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Starting confined commands and looking for their processes from the host side. */
final class Runs {

    private Runs() {}

    /** How a confined command ended. */
    record Ended(int exit, String stdout, String stderr) {}

    /** Starts a confined command with stdin closed. */
    static Process start(Confined c) throws IOException {
        Process p = new ProcessBuilder(c.command()).start();
        p.getOutputStream().close();
        return p;
    }

    /** Runs a confined command to its end (killing it after a generous minute). */
    static Ended run(Confined c) throws Exception {
        Process p = start(c);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            c.kill();
            p.destroyForcibly();
        }
        return new Ended(p.waitFor(), out.get(), err.get());
    }

    /** Runs {@code sh -c script} confined by {@code spec}, closing the confinement afterwards. */
    static Ended sh(Sandbox sandbox, SandboxSpec spec, String script) throws Exception {
        try (Confined c = sandbox.confine(List.of("/bin/sh", "-c", script), spec)) {
            return run(c);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Digits no other process on the machine has in its command line. */
    static String token() {
        return Long.toString(100_000_000_000L + Math.floorMod(UUID.randomUUID().getLeastSignificantBits(), 800_000_000_000L));
    }

    /** A long {@code sleep} whose command line carries {@code token}, so the host can find it. */
    static String sleep(String token) {
        return "sleep 3000." + token;
    }

    /**
     * The host pids of processes with an argument that is {@code token} or {@code 3000.token}
     * (a {@link #sleep} of it), not merely containing it as the wrappers' script arguments do.
     */
    static List<Long> withToken(String token) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == ProcessHandle.current().pid()) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (List.of(cmdline.split("\0")).stream().anyMatch(a -> a.equals(token) || a.equals("3000." + token))
                            && Host.alive(Long.parseLong(name))) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // Ended meanwhile.
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids;
    }

    /** Waits (up to {@code limit}) until {@code n} processes carry {@code token}; returns how many do. */
    static int awaitCount(String token, int n, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        int count = withToken(token).size();
        while (count != n && System.nanoTime() < deadline) {
            Thread.sleep(20);
            count = withToken(token).size();
        }
        return count;
    }
}
