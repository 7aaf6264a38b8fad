package dev.kaizen.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtectedFilesTest {

    @TempDir
    Path root;

    @BeforeEach
    void target() throws IOException {
        write("kaizen.yaml", "files: [main.py]\n");
        write("evaluate.py", "print(1)\n");
        write("main.py", "x = 1\n");
        write("tests/test_main.py", "assert True\n");
        write("tests/deep/test_more.py", "assert 1\n");
        write("data/big.csv", "1,2\n");
        write(".kaizen/runs/r1/ledger.jsonl", "{}\n");
    }

    private void write(String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private ProtectedFiles snapshot() {
        return ProtectedFiles.snapshot(root, List.of("kaizen.yaml", "evaluate.py", "tests/**", "*.py"), List.of("main.py"));
    }

    @Test
    void finds_the_matching_files_but_not_exempt_or_run_files() {
        assertThat(snapshot().paths()).containsExactly("evaluate.py", "kaizen.yaml", "tests/deep/test_more.py", "tests/test_main.py");
        assertThat(snapshot().verify()).isEmpty();
    }

    @Test
    void reports_changed_deleted_and_created_files() throws IOException {
        ProtectedFiles files = snapshot();
        write("tests/test_main.py", "assert False\n");
        Files.delete(root.resolve("evaluate.py"));
        write("tests/deep/test_new.py", "pass\n");
        write("main.py", "x = 2\n");
        write("data/big.csv", "3,4\n");
        write(".kaizen/runs/r1/ledger.jsonl", "{}\n{}\n");
        assertThat(files.verify()).containsExactly("evaluate.py", "tests/deep/test_new.py", "tests/test_main.py");
    }

    @Test
    void a_change_that_restores_size_and_modification_time_is_still_found() throws IOException {
        ProtectedFiles files = snapshot();
        Path test = root.resolve("tests/test_main.py");
        FileTime mtime = Files.getLastModifiedTime(test);
        Files.writeString(test, "assert Fals\n");
        Files.setLastModifiedTime(test, mtime);
        assertThat(files.verify()).containsExactly("tests/test_main.py");
    }

    @Test
    void touching_without_changing_the_content_is_no_change() throws IOException {
        ProtectedFiles files = snapshot();
        Path test = root.resolve("tests/test_main.py");
        Files.writeString(test, "assert True\n");
        Files.setLastModifiedTime(test, FileTime.fromMillis(0));
        assertThat(files.verify()).isEmpty();
    }

    @Test
    void rejects_a_malformed_glob() {
        assertThatThrownBy(() -> ProtectedFiles.snapshot(root, List.of("tests/[a"))).hasMessageContaining("malformed glob \"tests/[a\"");
    }
}
