package dev.kaizen.worker;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.kaizen.worker.wire.TestResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs test classes, JUnit 5 (Jupiter) and JUnit 4 (Vintage) alike, through one JUnit Platform
 * launcher session opened when the worker starts (a session per run would look up engines and
 * listeners again every time, doubling the cost of a small test run). The classes are handed over as {@link Class} objects
 * loaded by the candidate's loader, so JUnit runs exactly the candidate's versions; the caller
 * sets that loader as the thread's context class loader.
 *
 * <p>Every test leaf becomes a {@link TestResult}; so does every container (a test class) that
 * fails or is skipped as a whole, since its tests then never report.
 */
final class TestRunner {

    private final Launcher launcher = LauncherFactory.openSession().getLauncher();

    /** What one run of the tests found. */
    record Run(List<TestResult> results, OutOfMemoryError outOfMemory) {}

    /**
     * Runs the classes' tests.
     *
     * @param record whether finished tests go into {@code progress} (false for the counting rerun)
     * @throws OutOfMemoryError and the platform's other unrecoverable errors, rethrown by the launcher
     */
    Run run(List<Class<?>> classes, Progress progress, boolean record) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(new LinkedHashSet<>(classes).stream().map(c -> selectClass(c)).toList())
                .build();
        Listener listener = new Listener(progress, record);
        launcher.execute(request, listener);
        return new Run(List.copyOf(listener.results), listener.outOfMemory);
    }

    /** Turns the platform's events into {@link TestResult}s. */
    private static final class Listener implements TestExecutionListener {
        private final Progress progress;
        private final boolean record;
        private final Map<String, Long> started = new ConcurrentHashMap<>();
        private final List<TestResult> results = new ArrayList<>();
        private volatile TestPlan plan;
        private volatile OutOfMemoryError outOfMemory;

        Listener(Progress progress, boolean record) {
            this.progress = progress;
            this.record = record;
        }

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                String name = name(id);
                started.put(id.getUniqueId(), System.nanoTime());
                progress.testStarted(name);
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest() || isClassLevel(id)) {
                finish(id, new TestResult(name(id), TestResult.Status.SKIPPED, reason, 0));
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Optional<Throwable> thrown = result.getThrowable();
            thrown.map(Failures::outOfMemory).ifPresent(oom -> outOfMemory = oom);
            if (!id.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                return;
            }
            Long start = started.remove(id.getUniqueId());
            long nanos = start == null ? 0 : System.nanoTime() - start;
            TestResult.Status status = switch (result.getStatus()) {
                case SUCCESSFUL -> TestResult.Status.PASSED;
                case ABORTED -> TestResult.Status.ABORTED;
                case FAILED -> TestResult.Status.FAILED;
            };
            if (!id.isTest() && status == TestResult.Status.ABORTED && !isClassLevel(id)) {
                return;
            }
            finish(id, new TestResult(name(id), status, thrown.map(Failures::describe).orElse(""), nanos));
        }

        private void finish(TestIdentifier id, TestResult result) {
            synchronized (results) {
                results.add(result);
            }
            progress.testFinished(result.name(), record ? result : null);
        }

        private boolean isClassLevel(TestIdentifier id) {
            return id.getSource().filter(s -> s instanceof ClassSource).isPresent();
        }

        /**
         * {@code com.acme.SorterTest#sorts} for a plain test method; the display name is appended
         * when it says more than the method's name (parameterized, repeated, dynamic tests, a
         * {@code @DisplayName}); a class by its binary name.
         */
        private String name(TestIdentifier id) {
            String display = id.getDisplayName();
            Optional<TestSource> source = id.getSource();
            if (source.isPresent() && source.get() instanceof MethodSource m) {
                String base = m.getClassName() + "#" + m.getMethodName();
                boolean plain = display.equals(m.getMethodName()) || display.startsWith(m.getMethodName() + "(");
                return plain ? base : base + " " + display;
            }
            if (source.isPresent() && source.get() instanceof ClassSource c) {
                return c.getClassName();
            }
            TestPlan p = plan;
            Optional<TestIdentifier> parent = p == null ? Optional.empty() : p.getParent(id);
            while (parent.isPresent() && parent.get().getSource().isEmpty()) {
                parent = p.getParent(parent.get());
            }
            return parent.map(this::baseName).map(b -> b + " " + display).orElse(display);
        }

        private String baseName(TestIdentifier id) {
            return switch (id.getSource().orElse(null)) {
                case MethodSource m -> m.getClassName() + "#" + m.getMethodName();
                case ClassSource c -> c.getClassName();
                case null, default -> id.getDisplayName();
            };
        }
    }
}
