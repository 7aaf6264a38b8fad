package dev.kaizen.worker;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.ResponseCache;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The isolation checks run around every candidate, in one place so that adding one is one line in
 * {@link #standard()}. Checks on state the worker can put back (system properties, default
 * locale and time zone, standard streams, global handlers, security providers, shutdown hooks)
 * restore it and report the change without making the worker recycle, and so does an intercepted
 * {@code System.exit}; a thread or a common-pool task still running cannot be undone, so those
 * two make the worker recycle.
 *
 * <p>Not seen: virtual threads left running (the JDK does not enumerate them), and state behind
 * one-shot setters such as {@code URL.setURLStreamHandlerFactory}.
 */
final class IsolationChecks {

    /** How long, in all, the threads a candidate started get to finish after it returns. */
    static final long THREAD_GRACE_MILLIS = 100;
    private static final int MAX_REPORTED = 10;

    private final List<IsolationCheck> checks;

    private IsolationChecks(List<IsolationCheck> checks) {
        this.checks = List.copyOf(checks);
        // the first look initializes what the JDK sets up lazily (the default time zone sets
        // user.timezone, for one), so that it is not mistaken for a candidate's doing
        for (IsolationCheck check : this.checks) {
            check.before();
        }
    }

    /** The checks the worker runs. Threads first: the others look after they had their grace. */
    static IsolationChecks standard() {
        return new IsolationChecks(List.of(
                IsolationChecks::threads,
                IsolationChecks::commonPool,
                IsolationChecks::exitAttempts,
                IsolationChecks::systemProperties,
                IsolationChecks::locale,
                same("default time zone", TimeZone::getDefault, TimeZone::setDefault, TimeZone::getID),
                same("System.in", () -> System.in, System::setIn, IsolationChecks::identity),
                same("System.out", () -> System.out, System::setOut, IsolationChecks::identity),
                same("System.err", () -> System.err, System::setErr, IsolationChecks::identity),
                same("default uncaught exception handler", Thread::getDefaultUncaughtExceptionHandler,
                        Thread::setDefaultUncaughtExceptionHandler, IsolationChecks::identity),
                same("default Authenticator", Authenticator::getDefault, Authenticator::setDefault, IsolationChecks::identity),
                same("default ProxySelector", ProxySelector::getDefault, ProxySelector::setDefault, IsolationChecks::identity),
                same("default CookieHandler", CookieHandler::getDefault, CookieHandler::setDefault, IsolationChecks::identity),
                same("default ResponseCache", ResponseCache::getDefault, ResponseCache::setDefault, IsolationChecks::identity),
                IsolationChecks::securityProviders,
                IsolationChecks::shutdownHooks));
    }

    /** Records every check's baseline; call right before the candidate starts. */
    Run begin() {
        List<IsolationCheck.Baseline> baselines = new ArrayList<>(checks.size());
        for (IsolationCheck check : checks) {
            baselines.add(check.before());
        }
        return new Run(baselines);
    }

    /** The baselines of one candidate. */
    static final class Run {
        private final List<IsolationCheck.Baseline> baselines;

        private Run(List<IsolationCheck.Baseline> baselines) {
            this.baselines = baselines;
        }

        /** Compares, restores and returns what the candidate changed; call once the candidate's thread is done. */
        List<Violation> end() {
            List<Violation> violations = new ArrayList<>();
            for (IsolationCheck.Baseline baseline : baselines) {
                baseline.after(violations);
            }
            return violations;
        }
    }

    // ---- the checks ----

    private static IsolationCheck.Baseline threads() {
        Set<Thread> before = Collections.newSetFromMap(new IdentityHashMap<>());
        before.addAll(liveThreads());
        return into -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(THREAD_GRACE_MILLIS);
            List<Thread> left = new ArrayList<>();
            for (Thread t : liveThreads()) {
                if (before.contains(t) || isJdkOwned(t)) {
                    continue;
                }
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (t.isAlive()) {
                    left.add(t);
                }
            }
            for (int i = 0; i < left.size(); i++) {
                if (i == MAX_REPORTED) {
                    into.add(Violation.lasting("... and " + (left.size() - i) + " more threads left running"));
                    break;
                }
                Thread t = left.get(i);
                into.add(Violation.lasting("thread left running: \"" + t.getName() + "\" (" + t.getState()
                        + (t.isDaemon() ? ", daemon" : "") + ")"));
            }
        };
    }

    private static List<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[64];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return Arrays.asList(threads).subList(0, n);
    }

    /**
     * Threads the JDK starts lazily on its own account: virtual-thread carriers, the cleaner and
     * the process reaper (both {@code InnocuousThread}s), idle common-pool workers, the attach
     * listener.
     */
    private static boolean isJdkOwned(Thread t) {
        if (t instanceof ForkJoinWorkerThread w && w.getPool() == ForkJoinPool.commonPool()) {
            return true;
        }
        String type = t.getClass().getName();
        return type.equals("jdk.internal.misc.CarrierThread")
                || type.equals("jdk.internal.misc.InnocuousThread")
                || t.getName().equals("Attach Listener");
    }

    /**
     * Polls rather than {@code awaitQuiescence}, which would have this (the watching) thread help
     * run the candidate's leftover tasks.
     */
    private static IsolationCheck.Baseline commonPool() {
        return into -> {
            ForkJoinPool pool = ForkJoinPool.commonPool();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(THREAD_GRACE_MILLIS);
            while (!pool.isQuiescent() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!pool.isQuiescent()) {
                into.add(Violation.lasting("common-pool tasks still running (" + pool.getActiveThreadCount()
                        + " active threads, " + pool.getQueuedTaskCount() + " queued tasks)"));
            }
        };
    }

    private static IsolationCheck.Baseline exitAttempts() {
        ExitTrap.drain();
        return into -> ExitTrap.drain().forEach(attempt -> into.add(Violation.restored(attempt)));
    }

    private static IsolationCheck.Baseline systemProperties() {
        Properties object = System.getProperties();
        Map<Object, Object> before = new HashMap<>(object);
        return into -> {
            Properties now = System.getProperties();
            if (now != object) {
                into.add(Violation.restored("System.setProperties replaced the system properties (restored)"));
                System.setProperties(object);
            }
            Map<Object, Object> after = new HashMap<>(object);
            Set<Object> keys = new HashSet<>(before.keySet());
            keys.addAll(after.keySet());
            List<String> changes = new ArrayList<>();
            for (Object key : keys) {
                Object was = before.get(key);
                Object is = after.get(key);
                if (Objects.equals(was, is)) {
                    continue;
                }
                changes.add("system property " + key + " changed: " + quote(was) + " -> " + quote(is) + " (restored)");
                if (was == null) {
                    object.remove(key);
                } else {
                    object.put(key, was);
                }
            }
            Collections.sort(changes);
            report(changes, into);
        };
    }

    private static IsolationCheck.Baseline locale() {
        Locale all = Locale.getDefault();
        Locale display = Locale.getDefault(Locale.Category.DISPLAY);
        Locale format = Locale.getDefault(Locale.Category.FORMAT);
        return into -> {
            Locale allNow = Locale.getDefault();
            Locale displayNow = Locale.getDefault(Locale.Category.DISPLAY);
            Locale formatNow = Locale.getDefault(Locale.Category.FORMAT);
            if (all.equals(allNow) && display.equals(displayNow) && format.equals(formatNow)) {
                return;
            }
            into.add(Violation.restored("default locale changed: " + all + "/" + display + "/" + format
                    + " -> " + allNow + "/" + displayNow + "/" + formatNow + " (default/display/format, restored)"));
            Locale.setDefault(all);
            Locale.setDefault(Locale.Category.DISPLAY, display);
            Locale.setDefault(Locale.Category.FORMAT, format);
        };
    }

    private static IsolationCheck.Baseline securityProviders() {
        List<Provider> before = List.of(Security.getProviders());
        return into -> {
            List<Provider> after = List.of(Security.getProviders());
            if (sameElements(before, after)) {
                return;
            }
            into.add(Violation.restored("security providers changed: " + names(before) + " -> " + names(after) + " (restored)"));
            for (Provider p : after) {
                Security.removeProvider(p.getName());
            }
            for (Provider p : before) {
                Security.addProvider(p);
            }
        };
    }

    private static final Field SHUTDOWN_HOOKS = shutdownHooksField();

    /** {@code ApplicationShutdownHooks.hooks}, readable only with {@code --add-opens java.base/java.lang=ALL-UNNAMED}. */
    private static Field shutdownHooksField() {
        try {
            Field f = Class.forName("java.lang.ApplicationShutdownHooks").getDeclaredField("hooks");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static IsolationCheck.Baseline shutdownHooks() {
        if (SHUTDOWN_HOOKS == null) {
            return into -> { };
        }
        Set<Thread> before = registeredHooks();
        return into -> {
            for (Thread hook : registeredHooks()) {
                if (!before.contains(hook)) {
                    into.add(Violation.restored("shutdown hook added: \"" + hook.getName() + "\" (removed)"));
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException e) {
                        // the JVM is already shutting down
                    }
                }
            }
        };
    }

    private static Set<Thread> registeredHooks() {
        Set<Thread> copy = Collections.newSetFromMap(new IdentityHashMap<>());
        Class<?> owner = SHUTDOWN_HOOKS.getDeclaringClass();
        synchronized (owner) {
            try {
                Map<?, ?> hooks = (Map<?, ?>) SHUTDOWN_HOOKS.get(null);
                if (hooks != null) {
                    for (Object t : hooks.keySet()) {
                        copy.add((Thread) t);
                    }
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return copy;
    }

    // ---- helpers ----

    /**
     * A check of one value behind a getter and a setter: compares {@code key}s (identity, or an
     * id), reports a change and sets the old value back.
     */
    private static <T> IsolationCheck same(String what, Supplier<T> get, Consumer<T> set, Function<T, Object> key) {
        return () -> {
            T before = get.get();
            Object beforeKey = before == null ? null : key.apply(before);
            return into -> {
                T after = get.get();
                Object afterKey = after == null ? null : key.apply(after);
                if (!Objects.equals(beforeKey, afterKey)) {
                    into.add(Violation.restored(what + " changed: " + describe(before) + " -> " + describe(after) + " (restored)"));
                    set.accept(before);
                }
            };
        };
    }

    private static Object identity(Object o) {
        return new Identity(o);
    }

    /** Compares by identity, for {@link #same}. */
    private record Identity(Object o) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity i && i.o == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(o);
        }
    }

    private static String describe(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof TimeZone z) {
            return z.getID();
        }
        if (o instanceof PrintStream || o instanceof InputStream) {
            return o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
        }
        return o.getClass().getName();
    }

    private static String quote(Object o) {
        if (o == null) {
            return "(unset)";
        }
        String s = String.valueOf(o);
        return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
    }

    private static void report(List<String> messages, List<Violation> into) {
        for (int i = 0; i < messages.size(); i++) {
            if (i == MAX_REPORTED) {
                into.add(Violation.restored("... and " + (messages.size() - i) + " more changes (restored)"));
                return;
            }
            into.add(Violation.restored(messages.get(i)));
        }
    }

    private static boolean sameElements(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static String names(List<Provider> providers) {
        return providers.stream().map(Provider::getName).toList().toString();
    }
}
