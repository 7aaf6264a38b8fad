package dev.kaizen.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The files of one run: {@code <target>/.kaizen/runs/<id>/} holding the configuration snapshot,
 * the SQLite archive, the ledger, the candidates' scratch space and the report.
 */
record RunDirectory(Path dir) {

    static final String RUNS = ".kaizen/runs";

    Path config() {
        return dir.resolve("kaizen.yaml");
    }

    Path archive() {
        return dir.resolve("archive.db");
    }

    Path ledger() {
        return dir.resolve("ledger.jsonl");
    }

    Path work() {
        return dir.resolve("work");
    }

    Path report() {
        return dir.resolve("report.html");
    }

    Path lockFile() {
        return dir.resolve("lock");
    }

    String id() {
        return dir.getFileName().toString();
    }

    /** A new, empty run directory under the target. */
    static RunDirectory create(Path targetRoot) {
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String suffix = HexFormat.of().toHexDigits((short) new SplittableRandom().nextInt(1 << 16));
        Path dir = targetRoot.resolve(RUNS).resolve(stamp + "-" + suffix);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CliException("cannot create the run directory " + dir + ": " + e.getMessage());
        }
        return new RunDirectory(dir);
    }

    /**
     * Finds a run from what a user typed: a run directory, a target directory (its latest run), or
     * a run id under the current directory's targets.
     */
    static RunDirectory locate(String spec) {
        Path p = Path.of(spec);
        if (Files.isRegularFile(p.resolve("archive.db"))) {
            return new RunDirectory(p.toAbsolutePath().normalize());
        }
        if (Files.isDirectory(p.resolve(RUNS))) {
            return latest(p.resolve(RUNS)).orElseThrow(() -> new CliException("the target " + spec + " has no runs yet; start one with: kaizen run " + spec));
        }
        if (!spec.contains("/")) {
            try (Stream<Path> found = Files.find(Path.of("."), 5, (path, attrs) -> attrs.isDirectory()
                    && path.getFileName().toString().equals(spec) && Files.isRegularFile(path.resolve("archive.db")))) {
                List<Path> hits = found.toList();
                if (hits.size() == 1) {
                    return new RunDirectory(hits.get(0).toAbsolutePath().normalize());
                }
                if (hits.size() > 1) {
                    throw new CliException("run id " + spec + " is ambiguous: " + hits);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new CliException("no run found at '" + spec + "': give a run directory (it holds archive.db), a target directory (its latest run) or a run id");
    }

    static Optional<RunDirectory> latest(Path runs) {
        try (Stream<Path> dirs = Files.list(runs)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("archive.db")))
                    .max(Comparator.comparing(d -> d.getFileName().toString()))
                    .map(d -> new RunDirectory(d.toAbsolutePath().normalize()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Takes the run's exclusive lock, or fails naming the reason: one process drives a run at a time. */
    Lock lock() {
        try {
            FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new CliException("run " + id() + " is being driven by another kaizen process (" + lockFile() + " is locked)");
            }
            return new Lock(channel, lock);
        } catch (IOException e) {
            throw new CliException("cannot lock " + lockFile() + ": " + e.getMessage());
        }
    }

    /** The held lock of a run directory. */
    record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the process anyway
            }
        }
    }
}
