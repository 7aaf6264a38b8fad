package dev.kaizen.eval;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where candidates are materialised: fresh directories under a work root, filled with a copy of
 * the target and removed afterwards.
 *
 * <p>The copy skips every entry named {@code .git} or {@code .kaizen}, the work root itself when it
 * lies inside the target, and the excluded paths. Regular files keep their permissions (so
 * executable bits survive) and modification times; symbolic links are copied as links with the
 * same (possibly relative) target; sockets, pipes and devices are skipped; directories are created
 * fresh and writable.
 *
 * @param exclude paths relative to the target, matched as the path itself or a directory prefix
 *                ({@code build} excludes {@code build/x/y}); an entry containing one of
 *                the characters *, ?, [ or an opening brace is a glob matched against the whole
 *                relative path
 */
record Workspace(Path targetRoot, Path workRoot, List<String> exclude) {

    private static final Set<String> ALWAYS_SKIPPED = Set.of(".git", ".kaizen");

    Workspace {
        targetRoot = targetRoot.toAbsolutePath().normalize();
        workRoot = workRoot.toAbsolutePath().normalize();
        exclude = exclude.stream().map(Workspace::checkExclude).toList();
    }

    private static String checkExclude(String entry) {
        Objects.requireNonNull(entry, "exclude entry");
        String e = entry.strip().replace('\\', '/');
        while (e.endsWith("/")) {
            e = e.substring(0, e.length() - 1);
        }
        while (e.startsWith("./")) {
            e = e.substring(2);
        }
        if (e.isEmpty() || e.startsWith("/") || e.equals("..") || e.startsWith("../") || e.contains("/../")) {
            throw new IllegalArgumentException("exclude entries are paths inside the target, got '" + entry + "'");
        }
        return e;
    }

    /** Creates {@code workRoot/<label>-<unique>}. */
    Path create(String label) {
        try {
            Files.createDirectories(workRoot);
            return Files.createTempDirectory(workRoot, safe(label) + "-");
        } catch (IOException | UnsupportedOperationException e) {
            throw new EvaluatorException("cannot create a work directory under " + workRoot + ": " + e, e);
        }
    }

    /** A label made safe for a file name: letters, digits, {@code . _ -}, at most 48 characters. */
    static String safe(String label) {
        String s = label.replaceAll("[^A-Za-z0-9._-]", "_");
        if (s.length() > 48) {
            s = s.substring(0, 48);
        }
        if (s.isEmpty() || s.startsWith(".")) {
            s = "candidate" + s;
        }
        return s;
    }

    /**
     * Whether the copy leaves out {@code path} (a path below the target root): an entry named
     * {@code .git} or {@code .kaizen}, the work root, or an excluded path.
     */
    boolean skipped(Path path) {
        if (path.equals(workRoot) || ALWAYS_SKIPPED.contains(path.getFileName().toString())) {
            return true;
        }
        Path rel = targetRoot.relativize(path);
        String relText = rel.toString().replace('\\', '/');
        for (String e : exclude) {
            if (e.matches(".*[*?\\[{].*")) {
                if (FileSystems.getDefault().getPathMatcher("glob:" + e).matches(rel)) {
                    return true;
                }
            } else if (relText.equals(e) || relText.startsWith(e + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Copies the target into {@code dir}, which exists and is empty. */
    void copyTarget(Path dir) {
        try {
            Files.walkFileTree(targetRoot, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path from, BasicFileAttributes attrs) throws IOException {
                            if (from.equals(targetRoot)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (skipped(from)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            Files.createDirectories(to(from));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path from, BasicFileAttributes attrs) throws IOException {
                            if (skipped(from)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (attrs.isSymbolicLink()) {
                                Files.createSymbolicLink(to(from), Files.readSymbolicLink(from));
                            } else if (attrs.isRegularFile()) {
                                Files.copy(from, to(from), StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        private Path to(Path from) {
                            return dir.resolve(targetRoot.relativize(from).toString());
                        }
                    });
        } catch (IOException e) {
            throw new EvaluatorException("cannot copy the target " + targetRoot + " to " + dir + ": " + e
                    + " (exclude unreadable paths with 'exclude')", e);
        }
    }
}
