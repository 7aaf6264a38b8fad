package dev.kaizen.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.target.Direction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluator: { type: java }} and {@code objective.then}: values, defaults and errors. */
class JavaSpecConfigTest {

    @TempDir
    Path dir;

    static final String FILES = "files: [src/main/java/com/acme/Sorter.java]\n";

    @BeforeEach
    void project() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/main/java/com/acme"));
        Files.writeString(src.resolve("Sorter.java"), """
                package com.acme;
                public class Sorter {
                    // EVOLVE-BLOCK-START
                    public static void sort(int[] a) { java.util.Arrays.sort(a); }
                    // EVOLVE-BLOCK-END
                }
                """);
        Files.writeString(dir.resolve("notes.py"), "x = 1\n");
    }

    KaizenConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, dir, "kaizen.yaml");
    }

    ConfigException error(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("a ConfigException for:\n%s", yaml).isNotNull();
        return e;
    }

    @Test
    void a_repair_then_speed_target_reads_every_setting() {
        KaizenConfig c = parse(FILES + """
                evaluator:
                  type: java
                  classpath: [lib/a.jar, /opt/b.jar]
                  classes: [build/classes, build/test-classes]
                  tests: [com.acme.SorterTest, com.acme.SorterLegacyTest]
                  score: { method: com.acme.SorterBench#score }
                  workers: 3
                  heap: 1g
                  jvm_args: [-XX:+UseParallelGC]
                  timeout: 20s
                  test_timeout: 2s
                  adaptive_timeouts: false
                  timing: { warmup: 2, rounds: 9, confidence: 0.95 }
                  cost: true
                  recycle_after: 50
                  release: 17
                objective: { metric: tests_passed, then: { metric: runtime_ns, direction: minimize } }
                """);
        JavaSpec j = c.java().orElseThrow();
        assertThat(c.stages()).isEmpty();
        assertThat(j.maven()).isFalse();
        assertThat(j.classpath()).contains(List.of("lib/a.jar", "/opt/b.jar"));
        assertThat(j.classDirs()).containsExactly("build/classes", "build/test-classes");
        assertThat(j.tests()).containsExactly("com.acme.SorterTest", "com.acme.SorterLegacyTest");
        assertThat(j.scoreMethod()).isEqualTo("com.acme.SorterBench#score");
        assertThat(j.workers()).contains(3);
        assertThat(j.heapMiB()).isEqualTo(1024);
        assertThat(j.jvmArgs()).containsExactly("-XX:+UseParallelGC");
        assertThat(j.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(j.testTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(j.adaptiveTimeouts()).isFalse();
        assertThat(j.timing()).contains(new JavaSpec.Timing(2, 9, 0.95));
        assertThat(j.cost()).isTrue();
        assertThat(j.failingTests()).as("a test-count objective makes failures data").isEqualTo(JavaSpec.FailingTests.SCORE);
        assertThat(j.recycleAfter()).isEqualTo(50);
        assertThat(j.release()).isEqualTo("17");
        assertThat(c.target().objective().then()).hasValueSatisfying(t -> {
            assertThat(t.metric()).isEqualTo("runtime_ns");
            assertThat(t.direction()).isEqualTo(Direction.MINIMIZE);
        });
    }

    @Test
    void defaults_follow_the_objective() {
        KaizenConfig c = parse(FILES + """
                evaluator: { type: java, tests: [com.acme.SorterTest], score: com.acme.Bench#run }
                objective: { metric: runtime_ns, direction: minimize }
                """);
        JavaSpec j = c.java().orElseThrow();
        assertThat(j.maven()).isTrue();
        assertThat(j.classDirs()).isEqualTo(JavaSpec.DEFAULT_CLASS_DIRS);
        assertThat(j.workers()).isEmpty();
        assertThat(j.timing()).as("a runtime objective turns timing on").contains(JavaSpec.Timing.DEFAULT);
        assertThat(j.cost()).isFalse();
        assertThat(j.failingTests()).as("a speed objective rejects failing tests").isEqualTo(JavaSpec.FailingTests.REJECT);
        assertThat(j.heapMiB()).isEqualTo(JavaSpec.DEFAULT_HEAP_MIB);

        JavaSpec costed = parse(FILES + "evaluator: { type: java, tests: [com.acme.SorterTest] }\nobjective: { metric: cost, direction: minimize }\n")
                .java().orElseThrow();
        assertThat(costed.cost()).isTrue();
        assertThat(costed.timing()).isEmpty();
    }

    @Test
    void then_breaks_ties_on_whole_number_primaries_lexicographically() {
        var objective = parse(FILES + """
                evaluator: { type: java, tests: [com.acme.SorterTest], score: com.acme.Bench#run }
                objective: { metric: tests_passed, then: { metric: runtime_ns, direction: minimize } }
                """).target().objective();
        double nineFast = objective.fitness(Evaluation.passed(Map.of("tests_passed", 9.0, "runtime_ns", 10.0), "", "", Duration.ZERO));
        double tenSlow = objective.fitness(Evaluation.passed(Map.of("tests_passed", 10.0, "runtime_ns", 1e12), "", "", Duration.ZERO));
        double tenFast = objective.fitness(Evaluation.passed(Map.of("tests_passed", 10.0, "runtime_ns", 1e6), "", "", Duration.ZERO));
        double tenUntimed = objective.fitness(Evaluation.passed(Map.of("tests_passed", 10.0), "", "", Duration.ZERO));
        assertThat(tenSlow).isGreaterThan(nineFast);
        assertThat(tenFast).isGreaterThan(tenSlow);
        assertThat(tenUntimed).isLessThan(tenSlow).isGreaterThan(nineFast);
        assertThat(objective.score(Evaluation.passed(Map.of("tests_passed", 10.0, "runtime_ns", 1e6), "", "", Duration.ZERO))).isEqualTo(10.0);
        assertThat(dev.kaizen.core.target.Objective.parse(objective.describe())).isEqualTo(
                new dev.kaizen.core.target.Objective(objective.primary(), objective.direction(), List.of(), objective.then()));
    }

    @Test
    void errors_name_the_key() {
        assertThat(error(FILES + "evaluator: { type: java }\n").getMessage())
                .isEqualTo("kaizen.yaml:2:12: evaluator.tests: missing required key 'tests' in evaluator; list the test classes to run, e.g. tests: [com.acme.SorterTest]");
        assertThat(error(FILES + "evaluator: { type: jav, tests: [a.B] }\n").getMessage())
                .contains("evaluator.type: unknown value \"jav\"; did you mean 'java'?");
        assertThat(error(FILES + "evaluator: { type: java, tests: [a.B], command: make }\n").getMessage())
                .contains("evaluator.command").contains("unknown key");
        assertThat(error("files: [notes.py]\nevaluator: { type: java, tests: [a.B] }\n").getMessage())
                .contains("evaluator.type: a java evaluator evolves Java sources, but files lists notes.py");
        assertThat(error(FILES + "evaluator: { type: java, tests: [\"a b\"] }\n").getMessage())
                .contains("evaluator.tests[0]: expected a class name such as com.acme.SorterTest, got \"a b\"");
        assertThat(error(FILES + "evaluator: { type: java, tests: [a.B], score: { method: nohash } }\n").getMessage())
                .contains("expected Class#method such as com.acme.Bench#score");
        assertThat(error(FILES + "evaluator: { type: java, tests: [a.B], timing: true }\n").getMessage())
                .contains("timing measures the scoring method");
        assertThat(error(FILES + "evaluator: { type: java, tests: [a.B] }\nobjective: { metric: runtime_ns, direction: minimize }\n").getMessage())
                .contains("evaluator.timing: the objective uses runtime_ns, which needs a scoring method to time");
        assertThat(error(FILES + "evaluator: { type: java, tests: [a.B], heap: lots }\n").getMessage())
                .contains("evaluator.heap: expected a size such as 512m or 2g, got \"lots\"");
        assertThat(error(FILES + "evaluator: { type: java, tests: [a.B], classpath: gradle }\n").getMessage())
                .contains("evaluator.classpath: unknown value \"gradle\"");
        assertThat(error(FILES + "evaluator: { type: java, tests: [a.B], timing: { rounds: 2 } }\n").getMessage())
                .contains("evaluator.timing.rounds: must be between 3 and 100000, got 2");
        assertThat(error(FILES + "evaluator: { type: java, tests: [a.B], cost: maybe }\n").getMessage())
                .contains("evaluator.cost: expected true or false");
        assertThat(error(FILES + "evaluator: { command: run }\nobjective: { metric: score, then: { metric: score } }\n").getMessage())
                .contains("objective.then: breaks ties on score with itself");
    }

    @Test
    void files_can_name_methods_instead_of_markers() throws IOException {
        Path src = dir.resolve("src/main/java/com/acme");
        Files.writeString(src.resolve("Plain.java"), """
                package com.acme;
                public class Plain {
                    public static int twice(int x) {
                        return x + x;
                    }

                    public static int fixed() {
                        return 1;
                    }
                }
                """);
        KaizenConfig c = parse("""
                files: [{ path: src/main/java/com/acme/Plain.java, methods: [twice] }]
                evaluator: { type: java, tests: [com.acme.PlainTest] }
                objective: { metric: tests_passed }
                """);
        var seed = c.target().blueprint().seed();
        assertThat(seed.regions()).containsOnlyKeys("src/main/java/com/acme/Plain.java#twice");
        assertThat(seed.region("src/main/java/com/acme/Plain.java#twice")).contains("return x + x;").doesNotContain("fixed");

        assertThat(error("""
                files: [{ path: src/main/java/com/acme/Plain.java, methods: [thrice] }]
                evaluator: { type: java, tests: [com.acme.PlainTest] }
                """).getMessage()).contains("kaizen.yaml:1:61: files[0].methods: ").contains("no method named 'thrice'");
        assertThat(error("""
                files: [{ path: src/main/java/com/acme/Sorter.java, methods: [sort] }]
                evaluator: { type: java, tests: [com.acme.PlainTest] }
                """).getMessage()).contains("has EVOLVE-BLOCK markers; use either the markers or methods, not both");
        assertThat(error("""
                files: [{ path: notes.py, methods: [f] }]
                evaluator: { command: run }
                """).getMessage()).contains("methods can be named in Java sources only");
        assertThat(error("""
                files: [{ path: src/main/java/com/acme/Plain.java }]
                evaluator: { command: run }
                """).getMessage()).contains("missing required key 'methods'");
    }

    @Test
    void command_targets_have_no_java_settings() {
        KaizenConfig c = parse(FILES + "evaluator: { command: run }\n");
        assertThat(c.java()).isEqualTo(Optional.empty());
        assertThat(c.stages()).hasSize(1);
    }
}
