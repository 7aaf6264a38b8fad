package dev.kaizen.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreesTest {

    @TempDir
    Path root;

    @Test
    void deletes_locked_directories_without_following_links() throws IOException {
        Path outside = Files.writeString(root.resolve("outside.txt"), "keep me");
        Path dir = Files.createDirectories(root.resolve("work/c1/locked/deeper"));
        Files.writeString(dir.resolve("f"), "x");
        Files.createSymbolicLink(root.resolve("work/c1/link"), outside);
        Files.createSymbolicLink(root.resolve("work/c1/dirlink"), root);
        Files.setPosixFilePermissions(root.resolve("work/c1/locked"), PosixFilePermissions.fromString("---------"));

        assertThat(Trees.delete(root.resolve("work/c1"))).isTrue();

        assertThat(root.resolve("work/c1")).doesNotExist();
        assertThat(outside).hasContent("keep me");
        assertThat(root.resolve("work")).isDirectory();
    }

    @Test
    void a_missing_path_is_already_deleted() {
        assertThat(Trees.delete(root.resolve("never-made"))).isTrue();
    }
}
