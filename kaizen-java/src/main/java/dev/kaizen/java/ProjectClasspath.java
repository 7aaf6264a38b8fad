package dev.kaizen.java;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The project's compiled classes and the jars it depends on, as absolute paths.
 *
 * @param classDirs the project's own output directories (main and test classes)
 * @param jars      its resolved dependencies, test scope included, in classpath order
 */
public record ProjectClasspath(List<Path> classDirs, List<Path> jars) {

    /**
     * Artifacts the worker JVM brings in the versions it was built with; the project's copies are
     * left off the worker's classpath so that the test launcher, its engines and their assertion
     * libraries always match.
     */
    static final Set<String> WORKER_PROVIDED = Set.of(
            "junit-platform-launcher", "junit-platform-engine", "junit-platform-commons",
            "junit-jupiter", "junit-jupiter-api", "junit-jupiter-engine", "junit-vintage-engine",
            "junit", "hamcrest-core", "opentest4j", "apiguardian-api");

    public ProjectClasspath {
        classDirs = classDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        jars = jars.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException("a project classpath needs at least one class directory");
        }
    }

    /** Everything candidates compile against: the class directories, then every jar. */
    public List<Path> compileClasspath() {
        List<Path> all = new ArrayList<>(classDirs);
        all.addAll(jars);
        return List.copyOf(all);
    }

    /**
     * The jars the worker JVM puts on its classpath after its own: every jar but the test
     * frameworks it brings itself (JUnit platform, Jupiter, Vintage, JUnit 4, Hamcrest 1.3,
     * opentest4j, apiguardian). The class directories are not among them: the worker loads them
     * afresh for each candidate.
     */
    public List<Path> workerJars() {
        return jars.stream().filter(j -> !WORKER_PROVIDED.contains(artifact(j))).toList();
    }

    /**
     * The artifact name of a jar from its file name as Maven lays it out: {@code junit-4.13.2.jar}
     * gives {@code junit}, {@code junit-jupiter-api-5.11.4.jar} gives {@code junit-jupiter-api}.
     * A directory gives its own name.
     */
    static String artifact(Path entry) {
        String name = entry.getFileName() == null ? "" : entry.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".jar")) {
            name = name.substring(0, name.length() - 4);
        }
        return name.replaceFirst("-\\d.*$", "");
    }
}
