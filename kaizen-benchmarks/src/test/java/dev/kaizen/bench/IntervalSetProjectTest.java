package dev.kaizen.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.kaizen.core.program.Code;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** The fixture the benchmarks evaluate, checked in this JVM without starting a worker. */
class IntervalSetProjectTest {

    static IntervalSetProject project;

    @BeforeAll
    static void create() throws Exception {
        project = IntervalSetProject.create();
    }

    @AfterAll
    static void delete() throws Exception {
        project.close();
    }

    @Test
    void the_seed_passes_its_ten_tests() throws Exception {
        List<URL> dirs = new ArrayList<>();
        for (var dir : project.classpath().classDirs()) {
            dirs.add(dir.toUri().toURL());
        }
        try (URLClassLoader loader = new URLClassLoader(dirs.toArray(URL[]::new), getClass().getClassLoader())) {
            LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
            for (String test : IntervalSetProject.TESTS) {
                request.selectors(selectClass(loader.loadClass(test)));
            }
            LauncherDiscoveryRequest built = request.build();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            LauncherFactory.create().execute(built, listener);
            TestExecutionSummary summary = listener.getSummary();
            assertThat(summary.getFailures()).isEmpty();
            assertThat(summary.getTestsSucceededCount()).isEqualTo(IntervalSetProject.TEST_COUNT);
        }
    }

    @Test
    void each_candidate_changes_one_line_of_the_seed_and_no_two_are_alike() {
        String seed = project.blueprint().seed().region(IntervalSetProject.REGION);
        List<Code> candidates = IntStream.range(0, 50).mapToObj(project::candidate).toList();
        assertThat(candidates).doesNotHaveDuplicates().doesNotContain(project.blueprint().seed());
        for (Code c : candidates) {
            List<String> changed = new ArrayList<>(c.lines(IntervalSetProject.REGION));
            changed.removeAll(seed.lines().toList());
            assertThat(changed).singleElement().asString().matches(" *int slack = \\d+;");
        }
    }
}
