package dev.kaizen.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run of the real {@code mvn}, offline, on a tiny project whose plugins and JUnit are in the
 * local repository; the caching rules with a stand-in script that costs no Maven start.
 */
class MavenClasspathTest {

    private static final String POM = """
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>demo</groupId><artifactId>demo</artifactId><version>1</version>
              <properties>
                <maven.compiler.release>21</maven.compiler.release>
                <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
              </properties>
              <dependencies>
                <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>
              </dependencies>
              <build><plugins>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
              </plugins></build>
            </project>
            """;

    @TempDir
    Path dir;

    @Test
    void real_maven_compiles_the_project_and_resolves_its_test_jars_once() throws IOException {
        var mvn = MavenClasspath.findOnPath("mvn");
        assumeTrue(mvn.isPresent(), "needs mvn on the PATH");
        Files.writeString(dir.resolve("pom.xml"), POM);
        write("src/main/java/demo/Sorter.java", "package demo; public class Sorter { public static int one() { return 1; } }");
        write("src/test/java/demo/SorterTest.java",
                "package demo; public class SorterTest { @org.junit.Test public void one() { org.junit.Assert.assertEquals(1, Sorter.one()); } }");
        List<Path> classDirs = List.of(dir.resolve("target/classes"), dir.resolve("target/test-classes"));
        MavenClasspath maven = new MavenClasspath(mvn.get(), Duration.ofMinutes(2), List.of("-o"));

        ProjectClasspath cp = maven.resolve(dir, classDirs);

        assertThat(dir.resolve("target/classes/demo/Sorter.class")).isRegularFile();
        assertThat(dir.resolve("target/test-classes/demo/SorterTest.class")).isRegularFile();
        assertThat(cp.jars()).extracting(p -> p.getFileName().toString()).containsExactly("junit-4.13.2.jar", "hamcrest-core-1.3.jar");
        assertThat(cp.workerJars()).isEmpty();
        assertThat(maven.resolve(dir, classDirs)).isEqualTo(cp);
        assertThat(maven.mavenRuns()).as("the second resolution is served from the cache").isEqualTo(1);
    }

    /** A stand-in for mvn that logs its calls, compiles nothing and lists one jar; or fails when asked. */
    private Path fakeMaven(Path jar) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = bin.resolve("mvn");
        Files.writeString(script, """
                #!/bin/sh
                log="%s"
                echo "call JAVA_HOME=$JAVA_HOME $*" >> "$log"
                for a in "$@"; do
                  case "$a" in -Dmdep.outputFile=*) out="${a#-Dmdep.outputFile=}";; esac
                done
                if [ -f "%s" ]; then
                  echo "[INFO] Compiling 2 source files"
                  echo "[ERROR] COMPILATION ERROR: Sorter.java:[3,5] cannot find symbol"
                  exit 1
                fi
                mkdir -p target/classes target/test-classes
                printf '%%s' "%s" > "$out"
                """.formatted(bin.resolve("calls.log"), bin.resolve("fail"), jar));
        script.toFile().setExecutable(true);
        return script;
    }

    private long calls() throws IOException {
        Path log = dir.resolve("bin/calls.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    @Test
    void the_cache_is_used_until_the_pom_the_sources_or_the_classes_change() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
        Path jar = Files.createDirectories(dir.resolve("lib")).resolve("dep-1.0.jar");
        Files.writeString(jar, "not really a jar");
        MavenClasspath maven = new MavenClasspath(fakeMaven(jar), Duration.ofSeconds(30), List.of());
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        Path source = write("src/main/java/demo/Sorter.java", "class Sorter {}");
        List<Path> classDirs = List.of(dir.resolve("target/classes"), dir.resolve("target/test-classes"));

        ProjectClasspath cp = maven.resolve(dir, classDirs);
        assertThat(cp.jars()).containsExactly(jar);
        assertThat(Files.readString(dir.resolve("bin/calls.log")))
                .contains("JAVA_HOME=" + System.getProperty("java.home") + " -q -B test-compile dependency:build-classpath")
                .contains("-Dmdep.includeScope=test");
        assertThat(maven.resolve(dir, classDirs)).isEqualTo(cp);
        assertThat(calls()).as("unchanged: from the cache").isEqualTo(1);

        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(5)));
        maven.resolve(dir, classDirs);
        assertThat(calls()).as("a source changed").isEqualTo(2);

        Files.delete(dir.resolve("target/test-classes"));
        maven.resolve(dir, classDirs);
        assertThat(calls()).as("test classes missing").isEqualTo(3);
        assertThat(dir.resolve("target/test-classes")).isDirectory();

        Files.writeString(dir.resolve("pom.xml"), "<project><!-- changed --></project>");
        Files.writeString(dir.resolve("bin/fail"), "");
        assertThatThrownBy(() -> maven.resolve(dir, classDirs))
                .isInstanceOf(JavaEvaluatorException.class)
                .hasMessageContaining("mvn test-compile dependency:build-classpath failed in " + dir.toAbsolutePath().normalize())
                .hasMessageContaining("(exit status 1)")
                .hasMessageEndingWith("[INFO] Compiling 2 source files\n[ERROR] COMPILATION ERROR: Sorter.java:[3,5] cannot find symbol");
        assertThat(calls()).as("a changed pom is a new cache key").isEqualTo(4);
    }

    @Test
    void a_directory_without_pom_is_reported() {
        MavenClasspath maven = new MavenClasspath(Path.of("mvn"), Duration.ofSeconds(5), List.of());

        assertThatThrownBy(() -> maven.resolve(dir, List.of(dir.resolve("target/classes"))))
                .isInstanceOf(JavaEvaluatorException.class)
                .hasMessageContaining("needs a pom.xml in " + dir.toAbsolutePath().normalize());
    }

    private Path write(String rel, String text) throws IOException {
        Path file = dir.resolve(rel);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
