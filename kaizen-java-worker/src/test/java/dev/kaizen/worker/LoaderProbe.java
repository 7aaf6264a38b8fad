package dev.kaizen.worker;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Candidates' tests in {@link LoaderReleaseTest} report their class loader here. It lives on the
 * test class path, the parent of every candidate loader, and holds the loaders weakly.
 */
public final class LoaderProbe {

    private static final List<WeakReference<ClassLoader>> loaders = new ArrayList<>();

    private LoaderProbe() {}

    /** Called by a candidate's test. */
    public static synchronized void record(ClassLoader loader) {
        loaders.add(new WeakReference<>(loader));
    }

    static synchronized int recorded() {
        return loaders.size();
    }

    static synchronized int alive() {
        return (int) loaders.stream().filter(r -> r.get() != null).count();
    }
}
