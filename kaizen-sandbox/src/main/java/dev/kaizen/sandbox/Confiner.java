package dev.kaizen.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sandbox: a wrapper shell that joins the command's cgroups (or records its pid), then
 * {@code prlimit} for per-process rlimits, then bubblewrap (or, unsafely, only {@code setsid}),
 * then the command. Everything after the join runs inside the cgroups, so nothing escapes them.
 */
final class Confiner implements Sandbox {

    /** The limiters {@link Sandbox#detect()} tries, strongest first. */
    static final List<String> ALL_LIMITERS = List.of("cgroup2", "cgroup1");

    static final String FIX = "run scripts/setup-test-env.sh (installs bubblewrap) or pass --unsafe-no-sandbox";

    /** Joins the files named before {@code --}, then execs what follows. */
    private static final String WRAPPER = "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || "
            + "{ echo \"kaizen-sandbox: cannot join $1\" >&2; exit 125; }; shift; done; shift; exec \"$@\"";

    private final Isolation isolation;
    private final Optional<Path> bwrap;
    private final Optional<Path> prlimit;
    private final Optional<Path> setsid;
    private final Limiter limiter;
    private final Path stateDir;
    private final boolean root;
    private final Set<Confined> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Confiner(Isolation isolation, Optional<Path> bwrap, Optional<Path> prlimit, Optional<Path> setsid,
            Limiter limiter, Path stateDir) {
        this.isolation = isolation;
        this.bwrap = bwrap;
        this.prlimit = prlimit;
        this.setsid = setsid;
        this.limiter = limiter;
        this.stateDir = stateDir;
        this.root = Host.root();
    }

    /** Bubblewrap with the first of {@code limiters} ({@code cgroup2}, {@code cgroup1}) that works, else rlimits. */
    static Sandbox detect(List<String> limiters) {
        Path bwrap = Host.executable("bwrap", "/usr/bin/bwrap")
                .orElseThrow(() -> new SandboxException("bubblewrap (bwrap) is not installed: candidates cannot be contained; " + FIX));
        String version;
        try {
            Host.Result r = Host.run(List.of(bwrap.toString(), "--version"), Path.of("/"), 10);
            version = r.output().strip().lines().findFirst().orElse("bubblewrap");
        } catch (IOException e) {
            throw new SandboxException("cannot run " + bwrap + ": " + e.getMessage() + "; " + FIX, e);
        }
        Optional<Path> prlimit = Host.executable("prlimit", "/usr/bin/prlimit");
        Path stateDir = stateDirectory();
        List<String> notes = new ArrayList<>();
        prlimit.ifPresentOrElse(p -> {}, () -> notes.add("prlimit not found: no CPU time or file size limits"));
        Confiner plain = new Confiner(new Isolation("bubblewrap", "rlimits", version), Optional.of(bwrap), prlimit,
                Optional.empty(), new NoLimiter(stateDir, false, "no cgroup"), stateDir);
        Optional<String> failure = plain.probe();
        if (failure.isPresent()) {
            plain.close();
            throw new SandboxException("bubblewrap cannot create a sandbox here: " + failure.get() + "; " + FIX);
        }
        List<String> unusable = new ArrayList<>();
        for (String kind : limiters) {
            Limiter limiter;
            try {
                limiter = switch (kind) {
                    case "cgroup2" -> CgroupLimiter.v2(Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"));
                    case "cgroup1" -> CgroupLimiter.v1(Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"));
                    default -> throw new IllegalArgumentException("unknown limiter " + kind);
                };
            } catch (CgroupLimiter.Unavailable e) {
                unusable.add(kind + ": " + e.getMessage());
                continue;
            }
            List<String> detail = new ArrayList<>(List.of(version, kind + " " + limiter.detail()));
            detail.addAll(notes);
            Confiner confiner = new Confiner(new Isolation("bubblewrap", kind, String.join("; ", detail)),
                    Optional.of(bwrap), prlimit, Optional.empty(), limiter, stateDir);
            Optional<String> why = confiner.probe();
            if (why.isEmpty()) {
                Trees.delete(stateDir);
                return confiner;
            }
            limiter.close();
            unusable.add(kind + ": " + why.get());
        }
        List<String> detail = new ArrayList<>(List.of(version));
        detail.add(unusable.isEmpty() ? "no cgroup limiter tried" : "no cgroup limits (" + String.join("; ", unusable) + ")");
        detail.addAll(notes);
        String reason = String.join("; ", detail);
        return new Confiner(new Isolation("bubblewrap", "rlimits", reason), Optional.of(bwrap), prlimit, Optional.empty(),
                new NoLimiter(stateDir, false, reason), stateDir);
    }

    /** No namespaces, rlimits through {@code prlimit} when it exists, a process group per command. */
    static Sandbox unsafe() {
        Optional<Path> prlimit = Host.executable("prlimit", "/usr/bin/prlimit");
        Optional<Path> setsid = Host.executable("setsid", "/usr/bin/setsid");
        Path stateDir = stateDirectory();
        String detail = "not contained: candidates see and may change everything this user can"
                + (prlimit.isEmpty() ? "; prlimit not found: no limits" : "")
                + (setsid.isEmpty() ? "; setsid not found: detached processes may survive" : "");
        return new Confiner(new Isolation("none", "rlimits", detail), Optional.empty(), prlimit, setsid,
                new NoLimiter(stateDir, setsid.isPresent(), detail), stateDir);
    }

    private static Path stateDirectory() {
        try {
            return Files.createTempDirectory("kaizen-sandbox-");
        } catch (IOException e) {
            throw new SandboxException("cannot create a state directory for the sandbox: " + e.getMessage(), e);
        }
    }

    /** Runs {@code /bin/true} confined; empty when it worked, else why not. */
    private Optional<String> probe() {
        Path dir = stateDir.resolve("probe");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return Optional.of("cannot create " + dir + ": " + e.getMessage());
        }
        try (Confined c = confine(List.of("/bin/true"), SandboxSpec.of(dir, SandboxLimits.defaults()))) {
            Host.Result r = Host.run(c.command(), dir, 20);
            if (r.exitCode() != 0) {
                return Optional.of("the probe exited with " + r.exitCode() + (r.output().isBlank() ? "" : ": " + r.output().strip()));
            }
            return Optional.empty();
        } catch (IOException | SandboxException e) {
            return Optional.of(e.getMessage());
        } finally {
            Trees.delete(dir);
        }
    }

    @Override
    public Isolation isolation() {
        return isolation;
    }

    @Override
    public Confined confine(List<String> command, SandboxSpec spec) {
        Objects.requireNonNull(spec, "spec");
        List<String> argv = List.copyOf(command);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("the command is empty");
        }
        if (closed.get()) {
            throw new IllegalStateException("the sandbox is closed");
        }
        List<String> namespaces = bwrap.isPresent() ? Bubblewrap.arguments(bwrap.get(), spec) : List.of();
        Limiter.Cell cell = limiter.open(spec.limits());
        List<String> full = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, "kaizen-sandbox"));
        cell.joinFiles().forEach(f -> full.add(f.toString()));
        full.add("--");
        setsid.ifPresent(s -> full.add(s.toString()));
        prlimit.ifPresent(p -> full.addAll(rlimits(p, spec.limits())));
        full.addAll(namespaces);
        full.addAll(argv);
        ConfinedCommand confined = new ConfinedCommand(List.copyOf(full), cell, spec.limits(), prlimit.isPresent(), open::remove);
        open.add(confined);
        if (closed.get()) {
            confined.close();
            throw new IllegalStateException("the sandbox is closed");
        }
        return confined;
    }

    private List<String> rlimits(Path prlimit, SandboxLimits limits) {
        long cpu = Math.max(1, (limits.cpuTime().toMillis() + 999) / 1000);
        List<String> a = new ArrayList<>(List.of(prlimit.toString(),
                "--cpu=" + cpu + ":" + (cpu + 1), "--fsize=" + limits.fileBytes(), "--core=0"));
        if (!limiter.limitsMemory()) {
            a.add("--as=" + limits.memoryBytes());
        }
        if (!limiter.limitsProcesses() && !root) {
            a.add("--nproc=" + limits.processes());
        }
        a.add("--");
        return a;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Confined c : List.copyOf(open)) {
            c.close();
        }
        limiter.close();
        Trees.delete(stateDir);
    }

    @Override
    public String toString() {
        return "Sandbox[" + isolation.describe() + "]";
    }

    /** One prepared command. */
    private static final class ConfinedCommand implements Confined {

        private final List<String> command;
        private final Limiter.Cell cell;
        private final SandboxLimits limits;
        private final boolean rlimits;
        private final java.util.function.Consumer<Confined> onClose;
        private final AtomicBoolean closed = new AtomicBoolean();

        ConfinedCommand(List<String> command, Limiter.Cell cell, SandboxLimits limits, boolean rlimits,
                java.util.function.Consumer<Confined> onClose) {
            this.command = command;
            this.cell = cell;
            this.limits = limits;
            this.rlimits = rlimits;
            this.onClose = onClose;
        }

        @Override
        public List<String> command() {
            return command;
        }

        @Override
        public void kill() {
            cell.kill();
        }

        @Override
        public Optional<Breach> breach(int exitCode) {
            Optional<Breach> counted = cell.breach(exitCode);
            if (counted.isPresent() || !rlimits) {
                return counted;
            }
            long cpu = Math.max(1, (limits.cpuTime().toMillis() + 999) / 1000);
            return switch (exitCode) {
                case 128 + 24 -> Optional.of(new Breach("cpu", "a process used more than " + cpu + " s of CPU time"));
                case 128 + 25 -> Optional.of(new Breach("file_size", "a process wrote a file larger than "
                        + mib(limits.fileBytes())));
                default -> Optional.empty();
            };
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                cell.close();
                onClose.accept(this);
            }
        }
    }

    static String mib(long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

}
