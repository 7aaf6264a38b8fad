package dev.kaizen.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading and writing the cgroup file systems (v1 and v2) of this machine. */
final class Cgroups {

    /** Name prefix of the cgroups this module creates. */
    static final String PREFIX = "kaizen-";
    private static final Pattern OWNED = Pattern.compile("kaizen-(\\d+)-[0-9a-f]+");

    private Cgroups() {}

    /**
     * One cgroup file system mount.
     *
     * @param point   where it is mounted
     * @param root    which cgroup of the hierarchy is mounted there
     * @param version 1 or 2
     * @param options the super options: for v1 the controllers among them
     */
    record Mount(Path point, String root, int version, Set<String> options) {}

    /** The cgroup mounts listed in a mountinfo file. */
    static List<Mount> mounts(Path mountinfo) throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(mountinfo)) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            if (left.length < 5 || right.length < 3) {
                continue;
            }
            int version = switch (right[0]) {
                case "cgroup2" -> 2;
                case "cgroup" -> 1;
                default -> 0;
            };
            if (version > 0) {
                mounts.add(new Mount(Path.of(unescape(left[4])), unescape(left[3]), version, Set.of(right[2].split(","))));
            }
        }
        return mounts;
    }

    private static String unescape(String field) {
        Matcher m = Pattern.compile("\\\\([0-7]{3})").matcher(field);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
        }
        return m.appendTail(b).toString();
    }

    /**
     * This process's cgroup per hierarchy, from {@code /proc/self/cgroup}: the controller list
     * ({@code ""} for v2, e.g. {@code "memory"} or {@code "cpu,cpuacct"} for v1) to the path.
     */
    static Map<String, String> membership(Path procSelfCgroup) throws IOException {
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : Files.readAllLines(procSelfCgroup)) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3) {
                result.put(parts[1], parts[2]);
            }
        }
        return result;
    }

    /** The directory of the cgroup {@code path} in {@code mount}, when it is visible there. */
    static Optional<Path> directory(Mount mount, String path) {
        List<String> tries = new ArrayList<>();
        if (mount.root().equals("/")) {
            tries.add(path);
        } else if (path.equals(mount.root()) || path.startsWith(mount.root() + "/")) {
            tries.add(path.substring(mount.root().length()));
        } else {
            tries.add(path);
        }
        for (String t : tries) {
            String rel = t.startsWith("/") ? t.substring(1) : t;
            Path dir = rel.isEmpty() ? mount.point() : mount.point().resolve(rel);
            if (Files.isDirectory(dir)) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    /** The number after {@code key} in a flat-keyed file like {@code memory.events}; 0 when absent. */
    static long counter(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] kv = line.strip().split("\\s+");
                if (kv.length == 2 && kv[0].equals(key)) {
                    return Long.parseLong(kv[1]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** The single number in a file like {@code memory.failcnt}; 0 when unreadable. */
    static long number(Path file) {
        try {
            return Long.parseLong(read(file).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** The live (non-zombie) processes in the cgroup {@code dir}. */
    static List<Long> procs(Path dir) {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
                String s = line.strip();
                if (!s.isEmpty()) {
                    long pid = Long.parseLong(s);
                    if (Host.alive(pid)) {
                        pids.add(pid);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            return pids;
        }
        return pids;
    }

    /**
     * Kills every process of the cgroup {@code dir}, repeating while new ones appear, through
     * {@code cgroup.kill} where the kernel has it.
     *
     * @return whether the cgroup is empty of live processes afterwards
     */
    static boolean killAll(Path dir) {
        Path killFile = dir.resolve("cgroup.kill");
        if (Files.exists(killFile)) {
            try {
                write(killFile, "1");
            } catch (IOException e) {
                // Fall back to killing one by one.
            }
        }
        for (int round = 0; round < 200; round++) {
            List<Long> pids = procs(dir);
            if (pids.isEmpty()) {
                return true;
            }
            pids.forEach(Host::kill);
            pause(round < 20 ? 1 : 10);
        }
        return procs(dir).isEmpty();
    }

    /**
     * Removes the cgroup {@code dir} and the cgroups below it, killing what still runs there.
     *
     * @return whether it is gone
     */
    static boolean remove(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path child : entries) {
                remove(child);
            }
        } catch (IOException e) {
            // Try the removal anyway; it reports the failure.
        }
        killAll(dir);
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return true;
            } catch (IOException e) {
                // Busy until the last process is reaped.
                pause(attempt < 10 ? 2 : 10);
            }
        }
        return !Files.exists(dir);
    }

    /** Removes cgroups this module made in {@code parent} for processes that have ended. */
    static void removeStale(Path parent) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path dir : entries) {
                Matcher m = OWNED.matcher(dir.getFileName().toString());
                if (m.matches() && Files.isDirectory(dir) && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    remove(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Stale cgroups are only clutter; leave them.
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
