package dev.kaizen.eval;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Watches how much a candidate's work directory grows during one evaluation. The cheap check is
 * the free space of the directory's file system; only when that has dropped by more than what the
 * directory may still grow is the directory walked and measured. Used by one thread.
 */
final class DiskWatch {

    private final Path dir;
    private final FileStore store;
    private final long limit;
    private final long baseline;
    private long size;
    private long trigger;

    /** Measures {@code dir} now as the baseline; it may grow by {@code limit} bytes. */
    DiskWatch(Path dir, long limit) throws IOException {
        this.dir = dir;
        this.store = Files.getFileStore(dir);
        this.limit = limit;
        this.baseline = size(dir);
        this.size = baseline;
        arm();
    }

    /** The bytes the directory may grow by in all. */
    long limit() {
        return limit;
    }

    /** Starts watching a stage: from the free space now, the growth allowed is what is left. */
    void arm() throws IOException {
        trigger = store.getUsableSpace() - (limit - (size - baseline));
    }

    /** Whether the directory has grown by more than the limit; walks it only when free space says it may have. */
    boolean exceeded() throws IOException {
        long usable = store.getUsableSpace();
        if (usable >= trigger) {
            return false;
        }
        long grown = measure();
        if (grown > limit) {
            return true;
        }
        trigger = usable - (limit - grown);
        return false;
    }

    /** Walks the directory: the bytes it has grown by since the baseline. */
    long measure() {
        size = size(dir);
        return size - baseline;
    }

    /** The sizes of the regular files below {@code dir}, links not followed. */
    static long size(Path dir) {
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    // A directory the candidate locked would hide what is in it.
                    dev.kaizen.sandbox.Trees.unlock(d);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // What could be measured counts.
        }
        return total[0];
    }
}
