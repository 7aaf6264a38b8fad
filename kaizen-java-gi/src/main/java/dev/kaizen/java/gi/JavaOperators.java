package dev.kaizen.java.gi;

import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Target;
import java.util.List;

/** Factories for the Java genetic-improvement operators, and whether a target has Java to edit. */
public final class JavaOperators {

    private JavaOperators() {}

    /**
     * A fresh instance of every Java edit ({@link JavaEdit.Kind}), sharing one cache of parsed
     * parents. Give each engine its own list.
     */
    public static List<Operator> all() {
        return JavaEdit.all();
    }

    /** Whether any evolvable {@code .java} file of the blueprint has a region (an evolve block, a named method, or the whole file). */
    public static boolean hasJavaRegions(Blueprint blueprint) {
        for (Blueprint.SourceFile f : blueprint.files()) {
            if (ParsedProgram.isJava(f.path()) && f.segments().stream().anyMatch(s -> s instanceof Blueprint.Hole)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the target's evolvable files include Java regions. */
    public static boolean hasJavaRegions(Target target) {
        return hasJavaRegions(target.blueprint());
    }
}
