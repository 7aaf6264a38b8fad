package dev.kaizen.worker;

import java.util.Map;
import java.util.Set;

/**
 * The output of compiling a candidate's (or a reference's) sources: class bytes by binary name,
 * and the top-level classes the sources declare. Those shadow the project's class directories
 * together with all their nested, local and anonymous classes ({@code Name$...}), so that a
 * candidate that drops an inner class does not see the stale one from the directories.
 *
 * @param classes  binary name to class file bytes; the arrays are never modified
 * @param topLevel binary names of the top-level classes declared in the sources
 */
record CompiledProgram(Map<String, byte[]> classes, Set<String> topLevel) {

    /** A program with no classes, which shadows nothing. */
    static final CompiledProgram EMPTY = new CompiledProgram(Map.of(), Set.of());

    CompiledProgram {
        classes = Map.copyOf(classes);
        topLevel = Set.copyOf(topLevel);
    }

    /** The class's bytes from this program, or null when it has none. */
    byte[] bytes(String binaryName) {
        return classes.get(binaryName);
    }

    /** Whether the project's version of this class must be hidden. */
    boolean shadows(String binaryName) {
        if (topLevel.contains(binaryName)) {
            return true;
        }
        int from = binaryName.lastIndexOf('.') + 1;
        for (int i = binaryName.indexOf('$', from); i > 0; i = binaryName.indexOf('$', i + 1)) {
            if (topLevel.contains(binaryName.substring(0, i))) {
                return true;
            }
        }
        return false;
    }
}
