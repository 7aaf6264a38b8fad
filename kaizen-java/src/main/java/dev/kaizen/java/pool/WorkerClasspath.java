package dev.kaizen.java.pool;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds Kaizen's side of a worker JVM's classpath, the worker's own classes and the test
 * frameworks it runs, through the code sources of marker classes: in a build these are
 * {@code target/classes} directories and jars in the local Maven repository, in the packaged CLI
 * jars in its {@code lib} directory. Only the classes are located, never loaded or initialised.
 */
public final class WorkerClasspath {

    /** The worker's entry point. */
    public static final String MAIN_CLASS = "dev.kaizen.worker.Worker";

    /** Classes whose jars (or directories) the worker cannot run without. */
    static final List<String> REQUIRED = List.of(
            "dev.kaizen.worker.wire.Wire",
            "org.junit.platform.launcher.Launcher",
            "org.junit.platform.engine.TestEngine",
            "org.junit.platform.commons.JUnitException",
            "org.junit.jupiter.engine.JupiterTestEngine",
            "org.junit.jupiter.api.Test",
            "org.opentest4j.AssertionFailedError");

    /** Classes whose jars are added when present: JUnit 4 support and bytecode tools. */
    static final List<String> OPTIONAL = List.of(
            "org.apiguardian.api.API",
            "org.junit.vintage.engine.VintageTestEngine",
            "org.junit.Test",
            "org.hamcrest.Matcher",
            "org.objectweb.asm.ClassReader",
            "org.objectweb.asm.tree.ClassNode");

    private WorkerClasspath() {}

    /**
     * The entries, in a stable order without duplicates.
     *
     * @throws IllegalStateException naming the classes that could not be found
     */
    public static List<Path> locate() {
        Set<Path> entries = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        ClassLoader loader = WorkerClasspath.class.getClassLoader();
        for (String name : REQUIRED) {
            Path p = location(name, loader);
            if (p == null) {
                missing.add(name);
            } else {
                entries.add(p);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the java evaluator cannot find the worker's classes " + missing
                    + " on Kaizen's classpath; is kaizen-java-worker (with JUnit) installed alongside kaizen-java?");
        }
        for (String name : OPTIONAL) {
            Path p = location(name, loader);
            if (p != null) {
                entries.add(p);
            }
        }
        return List.copyOf(entries);
    }

    private static Path location(String className, ClassLoader loader) {
        try {
            Class<?> c = Class.forName(className, false, loader);
            CodeSource source = c.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null;
            }
            return Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (ClassNotFoundException | LinkageError | URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }
}
