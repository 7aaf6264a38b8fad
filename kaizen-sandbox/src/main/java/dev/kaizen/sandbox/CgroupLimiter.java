package dev.kaizen.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Limits through cgroups made below this process's own cgroup: one parent per sandbox named
 * {@code kaizen-<pid>-<random>} in each hierarchy used, one child per confined command.
 *
 * @see #v2
 * @see #v1
 */
final class CgroupLimiter implements Limiter {

    private final int version;
    /** The parent cgroup per controller: {@code memory} and {@code pids} (the same directory for v2). */
    private final Map<String, Path> parents;
    private final AtomicLong cells = new AtomicLong();

    private CgroupLimiter(int version, Map<String, Path> parents) {
        this.version = version;
        this.parents = Map.copyOf(parents);
    }

    /** Thrown when a cgroup version cannot be used here; the message says why. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private static String parentName() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return Cgroups.PREFIX + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
    }

    /** A limiter on the unified (v2) hierarchy with the memory and pids controllers delegated to us. */
    static CgroupLimiter v2(Path mountinfo, Path procSelfCgroup) throws Unavailable {
        try {
            Cgroups.Mount mount = Cgroups.mounts(mountinfo).stream().filter(m -> m.version() == 2).findFirst()
                    .orElseThrow(() -> new Unavailable("no cgroup2 file system is mounted"));
            String own = Cgroups.membership(procSelfCgroup).get("");
            if (own == null) {
                throw new Unavailable("this process is in no cgroup2 cgroup");
            }
            Path dir = Cgroups.directory(mount, own)
                    .orElseThrow(() -> new Unavailable("this process's cgroup " + own + " is not visible under " + mount.point()));
            List<String> available = List.of(Cgroups.read(dir.resolve("cgroup.controllers")).strip().split("\\s+"));
            if (!available.contains("memory") || !available.contains("pids")) {
                throw new Unavailable("the memory and pids controllers are not available in " + dir
                        + " (available: " + (available.getFirst().isEmpty() ? "none" : String.join(", ", available)) + ")");
            }
            Cgroups.removeStale(dir);
            List<String> enabled = List.of(Cgroups.read(dir.resolve("cgroup.subtree_control")).strip().split("\\s+"));
            if (!enabled.contains("memory") || !enabled.contains("pids")) {
                try {
                    Cgroups.write(dir.resolve("cgroup.subtree_control"), "+memory +pids");
                } catch (IOException e) {
                    throw new Unavailable("cannot enable the memory and pids controllers below " + dir + ": " + e.getMessage()
                            + " (a cgroup that holds processes cannot delegate; run inside a delegated cgroup)");
                }
            }
            Path parent = dir.resolve(parentName());
            try {
                Files.createDirectory(parent);
                Cgroups.write(parent.resolve("cgroup.subtree_control"), "+memory +pids");
            } catch (IOException e) {
                Cgroups.remove(parent);
                throw new Unavailable("cannot create a cgroup in " + dir + ": " + e.getMessage());
            }
            return new CgroupLimiter(2, Map.of("memory", parent, "pids", parent));
        } catch (IOException e) {
            throw new Unavailable("cannot read the cgroup2 hierarchy: " + e.getMessage());
        }
    }

    /** A limiter on the v1 memory and pids hierarchies, each needed one writable below our own cgroup. */
    static CgroupLimiter v1(Path mountinfo, Path procSelfCgroup) throws Unavailable {
        Map<String, Path> parents = new LinkedHashMap<>();
        try {
            List<Cgroups.Mount> mounts = Cgroups.mounts(mountinfo);
            Map<String, String> membership = Cgroups.membership(procSelfCgroup);
            String name = parentName();
            List<String> missing = new ArrayList<>();
            for (String controller : List.of("memory", "pids")) {
                Optional<Cgroups.Mount> mount = mounts.stream()
                        .filter(m -> m.version() == 1 && m.options().contains(controller)).findFirst();
                Optional<String> own = membership.entrySet().stream()
                        .filter(e -> List.of(e.getKey().split(",")).contains(controller)).map(Map.Entry::getValue).findFirst();
                if (mount.isEmpty() || own.isEmpty()) {
                    missing.add(controller + " (not mounted)");
                    continue;
                }
                Optional<Path> dir = Cgroups.directory(mount.get(), own.get());
                if (dir.isEmpty()) {
                    missing.add(controller + " (own cgroup " + own.get() + " not visible)");
                    continue;
                }
                Path existing = parents.values().stream().filter(p -> p.getParent().equals(dir.get())).findFirst().orElse(null);
                if (existing != null) {
                    parents.put(controller, existing);
                    continue;
                }
                Cgroups.removeStale(dir.get());
                Path parent = dir.get().resolve(name);
                try {
                    Files.createDirectory(parent);
                } catch (IOException e) {
                    missing.add(controller + " (cannot create a cgroup in " + dir.get() + ": " + e.getMessage() + ")");
                    continue;
                }
                parents.put(controller, parent);
            }
            if (!missing.isEmpty()) {
                parents.values().stream().distinct().forEach(Cgroups::remove);
                throw new Unavailable("cgroup v1 controllers unusable: " + String.join("; ", missing));
            }
            return new CgroupLimiter(1, parents);
        } catch (IOException e) {
            parents.values().stream().distinct().forEach(Cgroups::remove);
            throw new Unavailable("cannot read the cgroup v1 hierarchies: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return "cgroup" + version;
    }

    @Override
    public String detail() {
        return "memory, pids";
    }

    @Override
    public boolean limitsMemory() {
        return true;
    }

    @Override
    public boolean limitsProcesses() {
        return true;
    }

    @Override
    public Cell open(SandboxLimits limits) {
        String name = "run-" + cells.incrementAndGet();
        Path memory = parents.get("memory").resolve(name);
        Path pids = parents.get("pids").resolve(name);
        List<Path> dirs = memory.equals(pids) ? List.of(memory) : List.of(memory, pids);
        try {
            for (Path d : dirs) {
                Files.createDirectory(d);
            }
            if (version == 2) {
                Cgroups.write(memory.resolve("memory.max"), Long.toString(limits.memoryBytes()));
                if (Files.exists(memory.resolve("memory.swap.max"))) {
                    Cgroups.write(memory.resolve("memory.swap.max"), "0");
                }
                Cgroups.write(pids.resolve("pids.max"), Integer.toString(limits.processes()));
            } else {
                Cgroups.write(memory.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
                if (Files.exists(memory.resolve("memory.memsw.limit_in_bytes"))) {
                    Cgroups.write(memory.resolve("memory.memsw.limit_in_bytes"), Long.toString(limits.memoryBytes()));
                }
                Cgroups.write(pids.resolve("pids.max"), Integer.toString(limits.processes()));
            }
        } catch (IOException e) {
            dirs.forEach(Cgroups::remove);
            throw new SandboxException("cannot set up the cgroup " + memory + ": " + e.getMessage(), e);
        }
        return new CgroupCell(version, memory, pids, dirs, limits);
    }

    @Override
    public void close() {
        parents.values().stream().distinct().forEach(Cgroups::remove);
    }

    /** One command's cgroup (v2) or pair of cgroups (v1). */
    private record CgroupCell(int version, Path memory, Path pids, List<Path> dirs, SandboxLimits limits) implements Cell {

        @Override
        public List<Path> joinFiles() {
            return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
        }

        @Override
        public Optional<Breach> breach(int exitCode) {
            long mib = limits.memoryBytes() >> 20;
            long oomKills = version == 2
                    ? Cgroups.counter(memory.resolve("memory.events"), "oom_kill")
                    : Cgroups.counter(memory.resolve("memory.oom_control"), "oom_kill");
            if (oomKills > 0) {
                return Optional.of(new Breach("memory", "the process tree needed more than " + mib
                        + " MiB; the kernel killed " + (oomKills == 1 ? "a process" : oomKills + " processes")));
            }
            if (version == 1 && exitCode == 137 && Cgroups.number(memory.resolve("memory.failcnt")) > 0) {
                return Optional.of(new Breach("memory", "the process tree reached " + mib + " MiB and was killed"));
            }
            long refused = Cgroups.counter(pids.resolve("pids.events"), "max");
            if (refused > 0) {
                return Optional.of(new Breach("processes", "more than " + limits.processes()
                        + " processes or threads at once; " + refused + (refused == 1 ? " fork was" : " forks were") + " refused"));
            }
            return Optional.empty();
        }

        @Override
        public void kill() {
            dirs.forEach(Cgroups::killAll);
        }

        @Override
        public void close() {
            dirs.forEach(Cgroups::remove);
        }
    }
}
