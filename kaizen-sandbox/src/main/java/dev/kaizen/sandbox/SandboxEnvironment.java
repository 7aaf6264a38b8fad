package dev.kaizen.sandbox;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment a confined command inherits: only what programs need to run (the search path,
 * locale, time zone, terminal) plus the variables a user names. Everything else Kaizen's own
 * process holds, API keys and tokens included, never reaches a candidate.
 */
public final class SandboxEnvironment {

    /** Kept whatever the configuration says. */
    public static final Set<String> ALWAYS = Set.of("PATH", "LANG", "LANGUAGE", "TZ", "TERM");

    private SandboxEnvironment() {}

    /**
     * Removes from {@code env} (a {@link ProcessBuilder#environment()}, changed in place) every
     * variable but {@link #ALWAYS}, the {@code LC_*} locale variables and {@code pass}.
     */
    public static void scrub(Map<String, String> env, List<String> pass) {
        env.keySet().removeIf(name -> !ALWAYS.contains(name) && !name.startsWith("LC_") && !pass.contains(name));
    }
}
