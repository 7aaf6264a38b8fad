package dev.kaizen.java.pool;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The command line that starts one worker JVM.
 *
 * <p>Kaizen's flags come first, as the worker's documentation asks: the serial collector (one GC
 * thread, so N workers do not fight over cores and timings stay steadier), the heap and metaspace
 * limits, 4 MiB thread stacks (deeply recursive candidates), class data sharing where available for
 * a faster start, no perf-data file, and {@code java.lang} opened to the worker (so it can see
 * shutdown hooks a candidate registers). The
 * JIT is left at its defaults because candidates are timed. The user's JVM arguments follow, so
 * they can override any of these.
 *
 * @param java      the {@code java} executable
 * @param heapBytes the maximum heap
 * @param jvmArgs   the user's extra JVM arguments
 * @param classpath Kaizen's worker entries first (so its JUnit wins), then the project's jars
 * @param mainClass the worker's main class
 */
public record WorkerCommand(Path java, long heapBytes, List<String> jvmArgs, List<Path> classpath, String mainClass) {

    /**
     * The metaspace limit. The worker recycles itself past 80% of it, so it bounds what leaked
     * classes can cost; a candidate's own classes are unloaded with its class loader.
     */
    public static final int METASPACE_MIB = 256;

    public WorkerCommand {
        Objects.requireNonNull(java, "java");
        jvmArgs = List.copyOf(jvmArgs);
        classpath = List.copyOf(classpath);
        Objects.requireNonNull(mainClass, "mainClass");
        if (heapBytes < 1 << 20) {
            throw new IllegalArgumentException("heap of " + heapBytes + " bytes is too small");
        }
    }

    /**
     * The worker run by this JVM's own {@code java}, with Kaizen's worker classes (found by
     * {@link WorkerClasspath#locate()}) followed by {@code projectJars}.
     */
    public static WorkerCommand of(long heapBytes, List<String> jvmArgs, List<Path> projectJars) {
        List<Path> cp = new ArrayList<>(WorkerClasspath.locate());
        for (Path jar : projectJars) {
            if (!cp.contains(jar)) {
                cp.add(jar);
            }
        }
        return new WorkerCommand(Path.of(System.getProperty("java.home"), "bin", "java"), heapBytes, jvmArgs, cp,
                WorkerClasspath.MAIN_CLASS);
    }

    /** A copy with other user JVM arguments. */
    public WorkerCommand withJvmArgs(List<String> args) {
        return new WorkerCommand(java, heapBytes, args, classpath, mainClass);
    }

    /** The full command line. */
    public List<String> commandLine() {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xmx" + Math.max(1, heapBytes >> 10) + "k");
        cmd.add("-XX:MaxMetaspaceSize=" + METASPACE_MIB + "m");
        cmd.add("-Xss4m");
        cmd.add("-Xshare:auto");
        cmd.add("-XX:-UsePerfData");
        cmd.add("--add-opens");
        cmd.add("java.base/java.lang=ALL-UNNAMED");
        cmd.add("-Dfile.encoding=UTF-8");
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        cmd.add(mainClass);
        return cmd;
    }
}
