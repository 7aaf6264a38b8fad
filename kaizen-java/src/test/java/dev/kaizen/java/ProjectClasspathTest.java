package dev.kaizen.java;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectClasspathTest {

    private static final Path REPO = Path.of("/m2");

    @Test
    void names_artifacts_from_maven_file_names() {
        assertThat(ProjectClasspath.artifact(REPO.resolve("junit/junit/4.13.2/junit-4.13.2.jar"))).isEqualTo("junit");
        assertThat(ProjectClasspath.artifact(Path.of("junit-jupiter-api-5.11.4.jar"))).isEqualTo("junit-jupiter-api");
        assertThat(ProjectClasspath.artifact(Path.of("hamcrest-core-1.3.jar"))).isEqualTo("hamcrest-core");
        assertThat(ProjectClasspath.artifact(Path.of("guava-33.0.0-jre.jar"))).isEqualTo("guava");
        assertThat(ProjectClasspath.artifact(Path.of("classes"))).isEqualTo("classes");
    }

    @Test
    void the_worker_runs_the_project_jars_without_the_test_frameworks_it_brings() {
        List<Path> jars = List.of(Path.of("/m2/guava-33.0.0-jre.jar"), Path.of("/m2/junit-4.13.2.jar"),
                Path.of("/m2/hamcrest-core-1.3.jar"), Path.of("/m2/junit-jupiter-api-5.10.0.jar"),
                Path.of("/m2/junit-jupiter-params-5.10.0.jar"), Path.of("/m2/opentest4j-1.3.0.jar"),
                Path.of("/m2/apiguardian-api-1.1.2.jar"), Path.of("/m2/junit-platform-commons-1.10.0.jar"));
        ProjectClasspath cp = new ProjectClasspath(List.of(Path.of("/p/target/classes"), Path.of("/p/target/test-classes")), jars);

        assertThat(cp.workerJars()).containsExactly(Path.of("/m2/guava-33.0.0-jre.jar"), Path.of("/m2/junit-jupiter-params-5.10.0.jar"));
        assertThat(cp.compileClasspath()).hasSize(10).startsWith(Path.of("/p/target/classes"), Path.of("/p/target/test-classes"));
    }
}
