package dev.kaizen.java;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Resolves a Maven project's test classpath by running, in the project directory,
 * {@code mvn -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test}: one call
 * both compiles the project (main and test classes, which the worker loads) and lists every
 * dependency jar.
 *
 * <p>The child Maven gets {@code JAVA_HOME} set to this JVM's {@code java.home}, so the project
 * compiles with a JDK at least as new as the one Kaizen runs on. The jar list is cached in
 * {@code .kaizen/classpath/<hash of pom.xml>.txt}; a later resolution skips Maven when
 * {@code pom.xml} is unchanged, every cached jar still exists, every class directory exists and
 * nothing under {@code src} changed since the cache was written. Safe to use from several
 * threads, though two resolutions of one project at once both run Maven.
 */
public final class MavenClasspath {

    /** How much of the end of Maven's output a failure quotes. */
    static final int OUTPUT_TAIL_CHARS = 4000;

    private final Path mvn;
    private final Duration timeout;
    private final List<String> extraArgs;
    private final AtomicInteger mavenRuns = new AtomicInteger();

    /**
     * @param mvn       the Maven executable
     * @param timeout   how long one Maven run may take before it is killed
     * @param extraArgs more arguments for Maven, for example {@code -o} to stay offline
     */
    public MavenClasspath(Path mvn, Duration timeout, List<String> extraArgs) {
        this.mvn = Objects.requireNonNull(mvn, "mvn");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.extraArgs = List.copyOf(extraArgs);
    }

    /**
     * With the {@code mvn} found on the {@code PATH}, a ten-minute limit and no extra arguments.
     *
     * @throws JavaEvaluatorException when there is no {@code mvn} on the {@code PATH}
     */
    public static MavenClasspath onPath() {
        return new MavenClasspath(findOnPath("mvn").orElseThrow(() -> new JavaEvaluatorException(
                "classpath: maven needs the mvn command, but it is not on the PATH; install Maven or list the classpath entries explicitly")),
                Duration.ofMinutes(10), List.of());
    }

    /** A copy with more arguments for Maven. */
    public MavenClasspath withArgs(List<String> args) {
        List<String> all = new ArrayList<>(extraArgs);
        all.addAll(args);
        return new MavenClasspath(mvn, timeout, all);
    }

    /** How many times this instance ran Maven (cache hits do not count). */
    public int mavenRuns() {
        return mavenRuns.get();
    }

    /**
     * The classpath of the project in {@code projectDir}, compiling it when needed.
     *
     * @param classDirs the project's class directories, which must exist afterwards
     * @throws JavaEvaluatorException when there is no {@code pom.xml}, Maven fails or runs past its
     *                                limit (the message has the end of its output), or a class
     *                                directory is still missing after it compiled
     */
    public ProjectClasspath resolve(Path projectDir, List<Path> classDirs) {
        Path dir = projectDir.toAbsolutePath().normalize();
        Path pom = dir.resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            throw new JavaEvaluatorException("classpath: maven needs a pom.xml in " + dir + ", but there is none");
        }
        Path cacheDir = dir.resolve(".kaizen").resolve("classpath");
        Path cache;
        try {
            cache = cacheDir.resolve(hash(Files.readAllBytes(pom)) + ".txt");
        } catch (IOException e) {
            throw new JavaEvaluatorException("cannot read " + pom + ": " + e.getMessage(), e);
        }
        Optional<List<Path>> cached = readCache(cache, dir, classDirs);
        List<Path> jars = cached.isPresent() ? cached.get() : runMaven(dir, cacheDir, cache);
        for (Path classDir : classDirs) {
            if (!Files.isDirectory(classDir)) {
                throw new JavaEvaluatorException("after mvn test-compile in " + dir + " the class directory " + classDir
                        + " does not exist; set the class directories if the project puts its classes elsewhere");
            }
        }
        return new ProjectClasspath(classDirs, jars);
    }

    private Optional<List<Path>> readCache(Path cache, Path dir, List<Path> classDirs) {
        if (!Files.isRegularFile(cache) || !classDirs.stream().allMatch(Files::isDirectory)) {
            return Optional.empty();
        }
        try {
            FileTime written = Files.getLastModifiedTime(cache);
            if (changedSince(dir.resolve("src"), written)) {
                return Optional.empty();
            }
            List<Path> jars = parse(Files.readString(cache, StandardCharsets.UTF_8));
            return jars.stream().allMatch(Files::exists) ? Optional.of(jars) : Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** Whether any file under {@code root} was modified after {@code time}. */
    private static boolean changedSince(Path root, FileTime time) throws IOException {
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(time) > 0;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    private List<Path> runMaven(Path dir, Path cacheDir, Path cache) {
        mavenRuns.incrementAndGet();
        Path output;
        Path log;
        try {
            Files.createDirectories(cacheDir);
            output = Files.createTempFile(cacheDir, "classpath-", ".tmp");
            log = Files.createTempFile(cacheDir, "maven-", ".log");
        } catch (IOException e) {
            throw new JavaEvaluatorException("cannot create " + cacheDir + ": " + e.getMessage(), e);
        }
        try {
            List<String> command = new ArrayList<>(List.of(mvn.toString(), "-q", "-B"));
            command.addAll(extraArgs);
            command.addAll(List.of("test-compile", "dependency:build-classpath",
                    "-Dmdep.outputFile=" + output, "-Dmdep.includeScope=test"));
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new JavaEvaluatorException("cannot start " + mvn + " in " + dir + ": " + e.getMessage(), e);
            }
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                destroyTree(process);
                Thread.currentThread().interrupt();
                throw new JavaEvaluatorException("interrupted while Maven resolved the classpath in " + dir, e);
            }
            if (!finished) {
                destroyTree(process);
                throw new JavaEvaluatorException("mvn test-compile dependency:build-classpath in " + dir + " ran past "
                        + timeout.toSeconds() + " s and was killed; its output ends with:\n" + tail(log));
            }
            if (process.exitValue() != 0) {
                throw new JavaEvaluatorException("mvn test-compile dependency:build-classpath failed in " + dir
                        + " (exit status " + process.exitValue() + "); its output ends with:\n" + tail(log));
            }
            String text;
            try {
                text = Files.readString(output, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new JavaEvaluatorException("Maven succeeded in " + dir + " but wrote no classpath to " + output, e);
            }
            writeCache(cache, text);
            return parse(text);
        } finally {
            deleteQuietly(output);
            deleteQuietly(log);
        }
    }

    private static void writeCache(Path cache, String text) {
        try {
            Path tmp = Files.createTempFile(cache.getParent(), "cache-", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // Without a cache the next run asks Maven again; nothing is wrong with this one.
        }
    }

    static List<Path> parse(String text) {
        return Arrays.stream(text.strip().split(File.pathSeparator))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(Path::of)
                .toList();
    }

    private static String tail(Path log) {
        String text;
        try {
            text = Files.readString(log, StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            return "(the output could not be read: " + e.getMessage() + ")";
        }
        if (text.isEmpty()) {
            return "(no output)";
        }
        return text.length() <= OUTPUT_TAIL_CHARS ? text : "[...]\n" + text.substring(text.length() - OUTPUT_TAIL_CHARS);
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stray temporary file in .kaizen is harmless.
        }
    }

    private static File nullFile() {
        return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
    }

    static String hash(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The first executable file called {@code name} on the {@code PATH}. */
    static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
