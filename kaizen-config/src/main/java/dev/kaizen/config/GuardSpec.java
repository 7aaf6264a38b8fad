package dev.kaizen.config;

import dev.kaizen.core.guard.GuardPolicy;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What {@code guard:} says: which files of the target no evaluation may change, which files a stage
 * may rewrite inside its own copy, how large a proposal may be, and (for java targets) which calls
 * the bytecode guard forbids or allows besides its defaults. Reference: docs/kaizen-yaml.md.
 *
 * @param protect         globs relative to the target directory; always starts with
 *                        {@code kaizen.yaml}
 * @param writable        globs of files a command stage may rewrite inside its copy of the target
 * @param maxRegionChars  the most characters one region may hold; empty for 4 x the region's seed
 *                        length + 4096
 * @param maxChangedLines the most lines one proposal may change against its parent
 * @param forbid          java targets: extra forbidden calls ({@code java.sql.*}, {@code com.acme.Db.connect})
 * @param allow           java targets: guard categories to allow, from {@link #CATEGORIES}
 */
public record GuardSpec(List<String> protect, List<String> writable, OptionalInt maxRegionChars, int maxChangedLines, List<String> forbid,
                        List<String> allow) {

    /** The java guard's categories that {@code allow} may name. */
    public static final List<String> CATEGORIES = List.of("process", "exit", "reflection", "classloading", "network", "files", "native", "unsafe",
            "environment");

    public GuardSpec {
        protect = List.copyOf(protect);
        writable = List.copyOf(writable);
        Objects.requireNonNull(maxRegionChars, "maxRegionChars");
        forbid = List.copyOf(forbid);
        allow = List.copyOf(allow);
        for (String a : allow) {
            if (!CATEGORIES.contains(a)) {
                throw new IllegalArgumentException("unknown guard category '" + a + "'; expected one of " + String.join(", ", CATEGORIES));
            }
        }
        new GuardPolicy(maxRegionChars, maxChangedLines, protect);
    }

    /** The defaults: only {@code kaizen.yaml} protected, nothing writable, the core guard's limits. */
    public static GuardSpec defaults() {
        GuardPolicy d = GuardPolicy.defaults();
        return new GuardSpec(List.of(ConfigLoader.FILE_NAME), List.of(), d.maxRegionChars(), d.maxChangedLines(), List.of(), List.of());
    }

    /** The engine's guard settings: {@code Engine.builder().guard(config.guard().policy())}. */
    public GuardPolicy policy() {
        return new GuardPolicy(maxRegionChars, maxChangedLines, protect);
    }
}
