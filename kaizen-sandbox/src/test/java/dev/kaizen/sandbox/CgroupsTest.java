package dev.kaizen.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading mount tables and cgroup membership, and why a cgroup version is refused. */
class CgroupsTest {

    @TempDir
    Path dir;

    @Test
    void reads_cgroup_mounts_of_both_versions() throws IOException {
        Path mountinfo = Files.writeString(dir.resolve("mountinfo"), """
                31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
                35 31 0:32 /nested /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
                38 31 0:35 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct
                41 31 0:38 / /mnt/with\\040space rw,relatime - cgroup2 cgroup2 rw,nsdelegate
                """);

        List<Cgroups.Mount> mounts = Cgroups.mounts(mountinfo);

        assertThat(mounts).containsExactly(
                new Cgroups.Mount(Path.of("/sys/fs/cgroup/memory"), "/nested", 1, Set.of("rw", "memory")),
                new Cgroups.Mount(Path.of("/sys/fs/cgroup/cpu,cpuacct"), "/", 1, Set.of("rw", "cpu", "cpuacct")),
                new Cgroups.Mount(Path.of("/mnt/with space"), "/", 2, Set.of("rw", "nsdelegate")));
    }

    @Test
    void reads_membership_and_finds_a_nested_cgroup_below_a_mount() throws IOException {
        Path cgroup = Files.writeString(dir.resolve("cgroup"), "4:memory:/nested/run/1\n1:cpu,cpuacct:/\n0::/user.slice/x.scope\n");
        Path point = Files.createDirectories(dir.resolve("memory/run/1"));

        Map<String, String> membership = Cgroups.membership(cgroup);

        assertThat(membership).containsExactly(Map.entry("memory", "/nested/run/1"), Map.entry("cpu,cpuacct", "/"),
                Map.entry("", "/user.slice/x.scope"));
        assertThat(Cgroups.directory(new Cgroups.Mount(dir.resolve("memory"), "/nested", 1, Set.of("memory")), "/nested/run/1"))
                .hasValue(point);
    }

    @Test
    void refuses_cgroup2_without_the_memory_and_pids_controllers() throws IOException {
        Path mount = Files.createDirectories(dir.resolve("unified"));
        Files.writeString(mount.resolve("cgroup.controllers"), "cpu io hugetlb\n");
        Path mountinfo = Files.writeString(dir.resolve("mountinfo"), "41 31 0:38 / " + mount + " rw - cgroup2 cgroup2 rw\n");
        Path cgroup = Files.writeString(dir.resolve("cgroup"), "0::/\n");

        assertThatThrownBy(() -> CgroupLimiter.v2(mountinfo, cgroup))
                .isInstanceOf(CgroupLimiter.Unavailable.class)
                .hasMessage("the memory and pids controllers are not available in " + mount + " (available: cpu, io, hugetlb)");
    }

    @Test
    void refuses_cgroup1_when_a_hierarchy_is_missing() throws IOException {
        Path mountinfo = Files.writeString(dir.resolve("mountinfo"), "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n");
        Path cgroup = Files.writeString(dir.resolve("cgroup"), "0::/\n");

        assertThatThrownBy(() -> CgroupLimiter.v1(mountinfo, cgroup))
                .isInstanceOf(CgroupLimiter.Unavailable.class)
                .hasMessage("cgroup v1 controllers unusable: memory (not mounted); pids (not mounted)");
    }

    @Test
    void reads_counters_from_flat_keyed_files() throws IOException {
        Path events = Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 3\n");

        assertThat(Cgroups.counter(events, "oom_kill")).isEqualTo(3);
        assertThat(Cgroups.counter(events, "max")).isEqualTo(12);
        assertThat(Cgroups.counter(events, "absent")).isZero();
        assertThat(Cgroups.counter(dir.resolve("missing"), "max")).isZero();
    }
}
