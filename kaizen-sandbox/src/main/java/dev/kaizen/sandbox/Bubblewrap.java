package dev.kaizen.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The bubblewrap command line for a {@link SandboxSpec}. */
final class Bubblewrap {

    /** System directories bound read-only when they exist (symbolic links are recreated as links). */
    static final List<String> SYSTEM = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

    /**
     * What of {@code /etc} programs need to start and run: the dynamic loader's cache, the
     * alternatives that {@code /usr/bin/java} and friends link through, the JDK's and Python's
     * configuration, time zone, locale, user and host name databases, certificates. Password
     * hashes ({@code shadow}), sudo rules, SSH keys and the rest of {@code /etc} stay invisible.
     */
    static final List<String> ETC = List.of("alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone",
            "passwd", "group", "nsswitch.conf", "host.conf", "hosts", "hostname", "ssl", "ca-certificates", "mime.types", "locale.alias",
            "os-release", "debian_version", "protocols", "services", "fonts", "magic", "magic.mime");

    /** {@code /etc} entries whose names start with one of these are bound too: {@code java-17-openjdk}, {@code python3.11}. */
    static final List<String> ETC_PREFIXES = List.of("java", "python", "perl", "node", "R");

    private Bubblewrap() {}

    /**
     * {@code bwrap} and its options up to and including {@code --}: all namespaces unshared (so no
     * network but a private loopback), no capabilities, a new session, dying with its parent; the
     * system directories, {@code spec.readOnly()} and the {@code spec.protect()} paths read-only;
     * only {@code spec.workDir()} writable, plus private size-limited {@code /tmp} and
     * {@code /dev/shm}; the sandbox's own root and {@code /etc} (a few entries of the host's, see
     * {@link #ETC}) read-only; {@code HOME} is the work directory.
     */
    static List<String> arguments(Path bwrap, SandboxSpec spec) {
        List<String> a = new ArrayList<>(List.of(bwrap.toString(),
                "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"));
        for (String s : SYSTEM) {
            Path p = Path.of(s);
            if (Files.isSymbolicLink(p)) {
                try {
                    a.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), s));
                } catch (IOException e) {
                    throw new SandboxException("cannot read the link " + s + ": " + e.getMessage(), e);
                }
            } else if (Files.isDirectory(p)) {
                a.addAll(List.of("--ro-bind", s, s));
            }
        }
        a.addAll(List.of("--size", Long.toString(1 << 20), "--tmpfs", "/etc"));
        for (String name : etcEntries()) {
            a.addAll(List.of("--ro-bind", "/etc/" + name, "/etc/" + name));
        }
        a.addAll(List.of("--remount-ro", "/etc"));
        String tmp = Long.toString(spec.limits().tmpBytes());
        a.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev",
                "--size", tmp, "--tmpfs", "/dev/shm", "--size", tmp, "--tmpfs", "/tmp"));
        for (Path p : spec.readOnly()) {
            a.addAll(List.of("--ro-bind-try", p.toString(), p.toString()));
        }
        String work = spec.workDir().toString();
        a.addAll(List.of("--bind", work, work));
        for (Path p : spec.protect()) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new SandboxException("the protected path " + p + " does not exist");
            }
            if (Files.isSymbolicLink(p)) {
                throw new SandboxException("the protected path " + p + " is a symbolic link");
            }
            a.addAll(List.of("--ro-bind", p.toString(), p.toString()));
        }
        a.addAll(List.of("--remount-ro", "/", "--chdir", work, "--setenv", "HOME", work, "--setenv", "TMPDIR", "/tmp", "--"));
        return a;
    }

    /** The names under {@code /etc} that {@link #ETC} and {@link #ETC_PREFIXES} let through and that exist here. */
    static List<String> etcEntries() {
        List<String> names = new ArrayList<>();
        try (var entries = Files.list(Path.of("/etc"))) {
            entries.map(p -> p.getFileName().toString())
                    .filter(n -> ETC.contains(n) || ETC_PREFIXES.stream().anyMatch(n::startsWith))
                    .sorted()
                    .forEach(names::add);
        } catch (IOException e) {
            throw new SandboxException("cannot list /etc: " + e.getMessage(), e);
        }
        return names;
    }
}
