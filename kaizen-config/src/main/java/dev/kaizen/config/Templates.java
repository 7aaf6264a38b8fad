package dev.kaizen.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The starter targets of {@code kaizen init DIR --template NAME}: each is a {@code kaizen.yaml}, a
 * seed program with an evolve block, and an evaluator that prints a JSON result as its last line.
 * <ul>
 *   <li>{@code python}: fit a curve with {@code model.py}, scored by {@code python3 evaluate.py}
 *       (standard library only);</li>
 *   <li>{@code java}: approximate sin(x) in {@code Solution.java}, compiled and scored by
 *       {@code java Evaluate.java} (JDK 11 or later);</li>
 *   <li>{@code command}: fit a curve with {@code model.awk}, scored by {@code sh evaluate.sh}
 *       (POSIX shell and awk).</li>
 * </ul>
 * The files are resources under {@code dev/kaizen/config/templates/NAME/}.
 */
public final class Templates {

    private static final String ROOT = "templates/";

    private static final Map<String, List<String>> FILES = files();

    private Templates() {}

    private static Map<String, List<String>> files() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("python", List.of(ConfigLoader.FILE_NAME, "model.py", "evaluate.py"));
        m.put("java", List.of(ConfigLoader.FILE_NAME, "Solution.java", "Evaluate.java"));
        m.put("command", List.of(ConfigLoader.FILE_NAME, "model.awk", "evaluate.sh"));
        return Collections.unmodifiableMap(m);
    }

    /** The template names, the default first. */
    public static List<String> names() {
        return List.copyOf(FILES.keySet());
    }

    /** The files a template writes, relative to the directory, {@code kaizen.yaml} first. */
    public static List<String> files(String template) {
        return FILES.get(known(template));
    }

    /**
     * Writes a template's files into {@code dir}, creating it when missing.
     *
     * @throws IllegalArgumentException when the template is unknown, or {@code dir} is a file or a
     *                                  directory that is not empty (nothing is written then)
     * @throws UncheckedIOException     when writing fails
     */
    public static void write(String template, Path dir) {
        List<String> names = files(template);
        Objects.requireNonNull(dir, "dir");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("cannot create a target in " + dir + ": it is a file, not a directory");
        }
        if (Files.isDirectory(dir)) {
            List<String> present = entries(dir);
            if (!present.isEmpty()) {
                throw new IllegalArgumentException("refusing to write the " + template + " template into " + dir
                        + ": the directory is not empty (it holds " + String.join(", ", present.subList(0, Math.min(3, present.size())))
                        + (present.size() > 3 ? ", ..." : "") + "); choose a new or empty directory");
            }
        }
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (String name : names) {
            contents.put(name, resource(template, name));
        }
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> e : contents.entrySet()) {
                Path file = Files.write(dir.resolve(e.getKey()), e.getValue());
                if (e.getKey().startsWith("evaluate.")) {
                    makeExecutable(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + template + " template into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Evaluators start with #! and may be run directly where the file system has permissions. */
    private static void makeExecutable(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
            permissions.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
            Files.setPosixFilePermissions(file, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the command runs the evaluator through its interpreter anyway
        }
    }

    private static String known(String template) {
        Objects.requireNonNull(template, "template");
        if (FILES.containsKey(template)) {
            return template;
        }
        String hint = Suggestions.closest(template, FILES.keySet()).map(s -> "did you mean '" + s + "'? ").orElse("");
        throw new IllegalArgumentException("unknown template '" + template + "'; " + hint + "choose one of " + String.join(", ", FILES.keySet()));
    }

    /** Up to four entries of a directory, sorted, to show why it is not empty. */
    private static List<String> entries(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return new ArrayList<>(list.map(p -> p.getFileName().toString()).sorted().limit(4).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static byte[] resource(String template, String name) {
        String path = ROOT + template + "/" + name;
        try (InputStream in = Templates.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the " + template + " template is incomplete: resource " + path + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path + ": " + e.getMessage(), e);
        }
    }
}
