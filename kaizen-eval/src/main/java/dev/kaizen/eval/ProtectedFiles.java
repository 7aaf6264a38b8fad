package dev.kaizen.eval;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The files of the target a stage must leave as they were, each with its SHA-256 (or, for a
 * symbolic link, its target), taken from the original target once.
 *
 * @param digests  relative path ({@code /} separators) to {@code file:<sha-256>} or {@code link:<target>}
 * @param readOnly the protected regular files bound read-only in the sandbox
 */
record ProtectedFiles(Map<String, String> digests, List<String> readOnly) {

    ProtectedFiles {
        digests = Collections.unmodifiableMap(new TreeMap<>(digests));
        readOnly = List.copyOf(readOnly);
    }

    /**
     * Fingerprints what {@code workspace} copies of its target, less the {@code evolvable} files
     * and what {@code guard} lets change.
     *
     * @throws EvaluatorException when a file of the target cannot be read
     */
    static ProtectedFiles of(Workspace workspace, Set<String> evolvable, WorkGuard guard) {
        Path root = workspace.targetRoot();
        Map<String, String> digests = new TreeMap<>();
        List<String> readOnly = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.equals(root) || !workspace.skipped(dir) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (workspace.skipped(file) || !(attrs.isRegularFile() || attrs.isSymbolicLink())) {
                        return FileVisitResult.CONTINUE;
                    }
                    String rel = relative(root, file);
                    boolean pinned = WorkGuard.matches(guard.readOnly(), rel);
                    if (evolvable.contains(rel) || !pinned && WorkGuard.matches(guard.writable(), rel)) {
                        return FileVisitResult.CONTINUE;
                    }
                    digests.put(rel, dev.kaizen.core.guard.ProtectedFiles.fingerprint(file));
                    if (pinned && attrs.isRegularFile()) {
                        readOnly.add(rel);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new EvaluatorException("cannot fingerprint the target's files in " + root + ": " + e
                    + " (exclude unreadable paths with 'exclude')", e);
        }
        return new ProtectedFiles(digests, readOnly);
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** The paths in {@code copy} to bind read-only. */
    List<Path> readOnlyIn(Path copy) {
        return readOnly.stream().map(copy::resolve).toList();
    }

    /**
     * What a stage did to the protected files in {@code copy}, e.g. {@code modified protected file
     * tests/test_x.py}; empty when they are all as they were.
     */
    Optional<String> check(Path copy) {
        Path real;
        try {
            real = copy.toRealPath();
        } catch (IOException e) {
            return Optional.of("the candidate's directory is gone: " + e.getMessage());
        }
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, String> e : digests.entrySet()) {
            change(real, e.getKey(), e.getValue()).ifPresent(changes::add);
        }
        if (changes.isEmpty()) {
            return Optional.empty();
        }
        String first = changes.getFirst();
        return Optional.of(changes.size() == 1 ? first
                : first + " (and " + (changes.size() - 1) + " more protected file" + (changes.size() > 2 ? "s" : "") + ")");
    }

    private static Optional<String> change(Path copy, String rel, String expected) {
        Path file = copy.resolve(rel);
        try {
            Path parent = file.getParent();
            if (!parent.toRealPath().equals(parent)) {
                return Optional.of("replaced a directory above protected file " + rel);
            }
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            boolean link = expected.startsWith("link:");
            if (link ? !attrs.isSymbolicLink() : !attrs.isRegularFile()) {
                return Optional.of("replaced protected file " + rel);
            }
            return dev.kaizen.core.guard.ProtectedFiles.fingerprint(file).equals(expected) ? Optional.empty() : Optional.of("modified protected file " + rel);
        } catch (NoSuchFileException e) {
            return Optional.of("deleted protected file " + rel);
        } catch (IOException e) {
            return Optional.of("made protected file " + rel + " unreadable (" + e.getMessage() + ")");
        }
    }
}
