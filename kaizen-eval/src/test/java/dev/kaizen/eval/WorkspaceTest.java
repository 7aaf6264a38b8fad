package dev.kaizen.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {

    @TempDir
    Path root;

    @Test
    void makes_labels_safe_for_file_names() {
        assertThat(Workspace.safe("gen-3/child 7")).isEqualTo("gen-3_child_7");
        assertThat(Workspace.safe("")).isEqualTo("candidate");
        assertThat(Workspace.safe("..")).isEqualTo("candidate..");
        assertThat(Workspace.safe("x".repeat(100))).hasSize(48);
    }

    @Test
    void creates_a_fresh_directory_named_after_the_label() {
        Workspace workspace = new Workspace(root, root.resolve("work"), List.of());

        Path a = workspace.create("c1");
        Path b = workspace.create("c1");

        assertThat(a).isNotEqualTo(b).isDirectory();
        assertThat(a.getParent()).isEqualTo(root.resolve("work"));
        assertThat(a.getFileName().toString()).startsWith("c1-");
    }

    @Test
    void does_not_copy_a_work_root_inside_the_target() throws IOException {
        Path target = Files.createDirectories(root.resolve("target"));
        Files.writeString(target.resolve("a.txt"), "a");
        Workspace workspace = new Workspace(target, target.resolve("runs"), List.of());
        Files.createDirectories(target.resolve("runs/old"));
        Path dir = workspace.create("c1");

        workspace.copyTarget(dir);

        assertThat(dir.resolve("a.txt")).hasContent("a");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void excludes_by_path_prefix_and_by_glob() throws IOException {
        Path target = Files.createDirectories(root.resolve("target"));
        Files.createDirectories(target.resolve("build/classes"));
        Files.writeString(target.resolve("build/classes/A.class"), "x");
        Files.writeString(target.resolve("builder.txt"), "kept");
        Files.createDirectories(target.resolve("src"));
        Files.writeString(target.resolve("src/cache.tmp"), "x");
        Files.writeString(target.resolve("src/Main.java"), "kept");
        Workspace workspace = new Workspace(target, root.resolve("work"), List.of("./build/", "**/*.tmp"));
        Path dir = workspace.create("c1");

        workspace.copyTarget(dir);

        assertThat(dir.resolve("build")).doesNotExist();
        assertThat(dir.resolve("src/cache.tmp")).doesNotExist();
        assertThat(dir.resolve("builder.txt")).exists();
        assertThat(dir.resolve("src/Main.java")).exists();
    }

    @Test
    void refuses_exclude_entries_that_leave_the_target() {
        for (String bad : List.of("/etc", "..", "../x", "a/../../b", " ")) {
            assertThatThrownBy(() -> new Workspace(root, root.resolve("work"), List.of(bad)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
