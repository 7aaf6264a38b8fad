package dev.kaizen.core.guard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A fingerprint of the files under a root that match some globs, to detect that any of them was
 * created, changed or deleted. {@link #snapshot} hashes every matching file (SHA-256) once;
 * {@link #verify} re-reads a file's status (size, modification and change time, inode) and hashes
 * it again only when that status moved, so a check costs one {@code stat} per file when nothing
 * happened. A write always moves the change time, which no unprivileged process can set back.
 *
 * <p>Globs use {@link java.nio.file.FileSystem#getPathMatcher} "glob" syntax on paths relative to
 * the root with {@code /} separators: {@code tests/**}, {@code *.py}, {@code evaluate.py}. A
 * directory named {@code .kaizen} (where runs keep their archive and ledger) is never looked into,
 * and the paths in {@code exempt} (evolvable files) never count. Immutable and thread-safe.
 */
public final class ProtectedFiles {

    private static final String RUN_DIRECTORY = ".kaizen";

    private final Path root;
    private final List<String> globs;
    private final List<PathMatcher> matchers;
    private final Set<String> exempt;
    private final Map<String, Fingerprint> files;

    /** What one file looked like when the snapshot was taken. */
    private record Fingerprint(Status status, String fingerprint) {}

    /** The cheap part: what {@code stat} says. */
    private record Status(long size, long modifiedNanos, Object changed, Object fileKey) {}

    private ProtectedFiles(Path root, List<String> globs, Set<String> exempt, Map<String, Fingerprint> files) {
        this.root = root;
        this.globs = List.copyOf(globs);
        this.matchers = this.globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        this.exempt = Set.copyOf(exempt);
        this.files = Map.copyOf(files);
    }

    /**
     * Hashes the files under {@code root} that match one of {@code globs}, leaving out the paths
     * in {@code exempt} (relative, with {@code /}).
     *
     * @throws IllegalArgumentException when a glob is malformed
     * @throws UncheckedIOException when a file cannot be read
     */
    public static ProtectedFiles snapshot(Path root, Collection<String> globs, Collection<String> exempt) {
        Objects.requireNonNull(root, "root");
        List<String> list = List.copyOf(globs);
        for (String g : list) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + g);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed glob \"" + g + "\": " + e.getMessage(), e);
            }
        }
        ProtectedFiles empty = new ProtectedFiles(root.toAbsolutePath().normalize(), list, new HashSet<>(exempt), Map.of());
        Map<String, Fingerprint> files = new TreeMap<>();
        for (String rel : empty.matching()) {
            Path file = empty.root.resolve(rel);
            try {
                files.put(rel, new Fingerprint(status(file), fingerprint(file)));
            } catch (NoSuchFileException e) {
                // deleted between the walk and the read: not there, so not protected
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read protected file " + rel + ": " + e.getMessage(), e);
            }
        }
        return new ProtectedFiles(empty.root, list, empty.exempt, files);
    }

    /** Same, with nothing exempt. */
    public static ProtectedFiles snapshot(Path root, Collection<String> globs) {
        return snapshot(root, globs, List.of());
    }

    /** The protected files found by the snapshot, relative to the root, sorted. */
    public List<String> paths() {
        return List.copyOf(new TreeSet<>(files.keySet()));
    }

    /** The globs this snapshot was taken with. */
    public List<String> globs() {
        return globs;
    }

    /**
     * The protected paths that differ from the snapshot: changed in content, deleted, or newly
     * created where a glob matches; relative to the root, sorted. Empty when nothing changed.
     * Touching a file without changing its content is no change. A file that cannot be read
     * counts as changed.
     */
    public List<String> verify() {
        Set<String> changed = new TreeSet<>();
        for (Map.Entry<String, Fingerprint> e : files.entrySet()) {
            Path file = root.resolve(e.getKey());
            try {
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    changed.add(e.getKey());
                    continue;
                }
                Status now = status(file);
                if (!now.equals(e.getValue().status()) && !fingerprint(file).equals(e.getValue().fingerprint())) {
                    changed.add(e.getKey());
                }
            } catch (IOException ex) {
                changed.add(e.getKey());
            }
        }
        if (!globs.isEmpty()) {
            for (String rel : matching()) {
                if (!files.containsKey(rel)) {
                    changed.add(rel);
                }
            }
        }
        return List.copyOf(changed);
    }

    /**
     * The relative paths of the files (and links) under the root that match a glob. Only the
     * directories a glob can reach are walked: {@code tests/**} walks {@code tests}, a glob
     * without wildcards looks at one path.
     */
    private List<String> matching() {
        Set<String> out = new TreeSet<>();
        if (globs.isEmpty() || !Files.isDirectory(root)) {
            return List.of();
        }
        Set<Path> starts = new TreeSet<>();
        for (String glob : globs) {
            List<String> literal = new ArrayList<>();
            boolean wild = false;
            for (String segment : glob.split("/")) {
                if (segment.chars().anyMatch(c -> "*?[{\\".indexOf(c) >= 0)) {
                    wild = true;
                    break;
                }
                literal.add(segment);
            }
            Path start = literal.isEmpty() ? root : root.resolve(String.join("/", literal)).normalize();
            if (!start.startsWith(root)) {
                continue;
            }
            if (!wild) {
                String rel = relative(start);
                if (Files.exists(start, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)
                        && !exempt.contains(rel) && !insideRunDirectory(rel)) {
                    out.add(rel);
                }
                continue;
            }
            starts.add(start);
        }
        for (Path start : starts) {
            if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS) || insideRunDirectory(relative(start))) {
                continue;
            }
            try {
                Files.walkFileTree(start, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return dir.getFileName() != null && dir.getFileName().toString().equals(RUN_DIRECTORY) && !dir.equals(root)
                                ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (!attrs.isDirectory()) {
                            String rel = relative(file);
                            if (!exempt.contains(rel) && matches(rel)) {
                                out.add(rel);
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + start + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    private static boolean insideRunDirectory(String rel) {
        return rel.equals(RUN_DIRECTORY) || rel.startsWith(RUN_DIRECTORY + "/") || rel.contains("/" + RUN_DIRECTORY + "/");
    }

    private String relative(Path file) {
        List<String> names = new ArrayList<>();
        root.relativize(file).forEach(p -> names.add(p.toString()));
        return String.join("/", names);
    }

    private boolean matches(String rel) {
        Path p = Path.of(rel);
        return matchers.stream().anyMatch(m -> m.matches(p));
    }

    private static Status status(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Object changed;
        try {
            changed = Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // no change time here: a new object on every call, so the content is always hashed
            changed = new Object();
        }
        return new Status(a.size(), a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L + a.lastModifiedTime().toInstant().getNano(),
                changed, a.fileKey());
    }

    /**
     * What a file is, for telling whether it changed: {@code file:<sha-256 of its bytes>} for a
     * regular file, {@code link:<target>} for a symbolic link (never followed).
     */
    public static String fingerprint(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            return "link:" + Files.readSymbolicLink(file);
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buffer = new byte[65536];
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
        }
        return "file:" + java.util.HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public String toString() {
        return "ProtectedFiles[" + root + ", " + files.size() + " files, globs " + globs + ", exempt " + Arrays.toString(exempt.toArray()) + "]";
    }
}
