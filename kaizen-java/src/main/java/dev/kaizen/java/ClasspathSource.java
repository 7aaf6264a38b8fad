package dev.kaizen.java;

import java.util.List;

/** Where the project's dependency classpath comes from. */
public sealed interface ClasspathSource {

    /**
     * Asked of Maven in the project directory ({@code mvn test-compile dependency:build-classpath}),
     * test scope, cached by a hash of {@code pom.xml}.
     */
    record Maven() implements ClasspathSource {}

    /**
     * Given explicitly: jars and directories, relative to the project directory or absolute. The
     * project's own class directories are added separately.
     */
    record Entries(List<String> entries) implements ClasspathSource {
        public Entries {
            entries = List.copyOf(entries);
            for (String e : entries) {
                if (e.isBlank()) {
                    throw new IllegalArgumentException("a classpath entry is blank");
                }
            }
        }
    }

    static ClasspathSource maven() {
        return new Maven();
    }

    static ClasspathSource entries(List<String> entries) {
        return new Entries(entries);
    }
}
