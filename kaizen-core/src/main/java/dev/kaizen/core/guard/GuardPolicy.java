package dev.kaizen.core.guard;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the guard enforces besides intact regions.
 *
 * @param maxRegionChars  the most characters one region may hold; empty for the default,
 *                        {@value #RELATIVE_FACTOR} times the region's seed length plus
 *                        {@value #RELATIVE_SLACK}
 * @param maxChangedLines the most lines (added plus removed) one proposal may change against its parent
 * @param protect         globs, relative to the target directory, of files no evaluation may
 *                        change (tests, evaluators, the configuration); evolvable files never count
 */
public record GuardPolicy(OptionalInt maxRegionChars, int maxChangedLines, List<String> protect) {

    /** The default region limit is this many times the region's seed length ... */
    public static final int RELATIVE_FACTOR = 4;

    /** ... plus this many characters. */
    public static final int RELATIVE_SLACK = 4096;

    /** The default limit on changed lines per proposal. */
    public static final int DEFAULT_MAX_CHANGED_LINES = 2000;

    public GuardPolicy {
        Objects.requireNonNull(maxRegionChars, "maxRegionChars");
        if (maxRegionChars.isPresent() && maxRegionChars.getAsInt() < 1) {
            throw new IllegalArgumentException("the region size limit must be positive, got " + maxRegionChars.getAsInt());
        }
        if (maxChangedLines < 1) {
            throw new IllegalArgumentException("the changed-lines limit must be positive, got " + maxChangedLines);
        }
        protect = List.copyOf(protect);
    }

    /** Relative region limits, {@value #DEFAULT_MAX_CHANGED_LINES} changed lines, nothing protected. */
    public static GuardPolicy defaults() {
        return new GuardPolicy(OptionalInt.empty(), DEFAULT_MAX_CHANGED_LINES, List.of());
    }

    /** A copy that protects {@code globs}. */
    public GuardPolicy withProtect(List<String> globs) {
        return new GuardPolicy(maxRegionChars, maxChangedLines, globs);
    }

    /** A copy with an absolute region limit. */
    public GuardPolicy withMaxRegionChars(int max) {
        return new GuardPolicy(OptionalInt.of(max), maxChangedLines, protect);
    }

    /** A copy with another changed-lines limit. */
    public GuardPolicy withMaxChangedLines(int max) {
        return new GuardPolicy(maxRegionChars, max, protect);
    }

    /** The most characters {@code region}, whose seed text has {@code seedLength} characters, may hold. */
    public long regionLimit(int seedLength) {
        return maxRegionChars.isPresent() ? maxRegionChars.getAsInt() : (long) RELATIVE_FACTOR * seedLength + RELATIVE_SLACK;
    }
}
