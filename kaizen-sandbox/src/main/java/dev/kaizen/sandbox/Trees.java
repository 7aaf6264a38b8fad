package dev.kaizen.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Removes directory trees that confined code wrote: links are removed, never followed, and a
 * directory the code made unreadable or unwritable is given back to its owner first.
 */
public final class Trees {

    private Trees() {}

    /**
     * Removes {@code path} and everything below it; a missing path is already removed.
     *
     * @return whether everything was removed (what was not is left where it is)
     */
    public static boolean delete(Path path) {
        try {
            deleteTree(path);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path path) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (attrs.isDirectory()) {
            unlock(path);
            IOException first = null;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path entry : entries) {
                    try {
                        deleteTree(entry);
                    } catch (IOException e) {
                        first = first == null ? e : first;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
        Files.deleteIfExists(path);
    }

    /** Gives the owner read, write and search permission on {@code dir}, when it lacks one. */
    public static void unlock(Path dir) {
        try {
            Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
            perms.addAll(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS));
            if (perms.addAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE))) {
                Files.setPosixFilePermissions(dir, perms);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // try the deletion anyway; it reports what fails
        }
    }
}
