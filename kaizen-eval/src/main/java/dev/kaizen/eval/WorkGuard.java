package dev.kaizen.eval;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Objects;

/**
 * Which files of the target a stage may change. Every file the candidate's copy had before the
 * stage, except the evolvable files, is protected: a stage that modifies, deletes or replaces one
 * ends the evaluation as a violation. Globs are Java globs over the path relative to the target,
 * with {@code /} between names ({@code build/**}, {@code **}{@code /*.pyc} for files below the top level).
 *
 * @param writable protected files that may change after all: files a build step rewrites
 * @param readOnly files that are also bound read-only inside the sandbox, so a write fails at once
 *                 instead of being found afterwards
 */
public record WorkGuard(List<String> writable, List<String> readOnly) {

    public WorkGuard {
        writable = List.copyOf(writable);
        readOnly = List.copyOf(readOnly);
        writable.forEach(WorkGuard::matcher);
        readOnly.forEach(WorkGuard::matcher);
    }

    /** Every file of the target but the evolvable ones is protected; none is bound read-only. */
    public static WorkGuard strict() {
        return new WorkGuard(List.of(), List.of());
    }

    /** Whether {@code relative} (with {@code /} separators) matches one of {@code globs}. */
    static boolean matches(List<String> globs, String relative) {
        Path path = Path.of(relative);
        for (String g : globs) {
            if (matcher(g).matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static PathMatcher matcher(String glob) {
        Objects.requireNonNull(glob, "glob");
        if (glob.isBlank() || glob.startsWith("/")) {
            throw new IllegalArgumentException("a file glob is relative to the target, got '" + glob + "'");
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid glob '" + glob + "': " + e.getMessage(), e);
        }
    }
}
