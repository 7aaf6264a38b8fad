package dev.kaizen.bench;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A worker JVM's memory read from outside through its management agent (started with the attach
 * API): live heap and metaspace right after a full collection, the classes loaded now, the code
 * cache, and where the system has it the resident set. Attaching loads the agent's classes into
 * the worker once, so compare readings after the first.
 */
final class WorkerMemory implements AutoCloseable {

    /**
     * One reading, in bytes.
     *
     * @param liveHeap      heap in use after a full collection
     * @param metaspace     metaspace in use after it
     * @param loadedClasses classes loaded now
     * @param codeCache     code cache in use (the JIT's compiled code)
     * @param resident      the process's resident set, or -1 where {@code /proc} does not say
     */
    record Reading(long liveHeap, long metaspace, int loadedClasses, long codeCache, long resident) {}

    private final long pid;
    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final ClassLoadingMXBean classes;
    private final List<MemoryPoolMXBean> pools;

    private WorkerMemory(long pid, JMXConnector connector) throws IOException {
        this.pid = pid;
        this.connector = connector;
        MBeanServerConnection server = connector.getMBeanServerConnection();
        this.memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        this.classes = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.CLASS_LOADING_MXBEAN_NAME,
                ClassLoadingMXBean.class);
        this.pools = ManagementFactory.getPlatformMXBeans(server, MemoryPoolMXBean.class);
    }

    /** Attaches to the JVM with process id {@code pid} and connects to its management agent. */
    static WorkerMemory attach(long pid) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to JVM " + pid + ": " + e.getMessage(), e);
        }
        try {
            String address = vm.startLocalManagementAgent();
            return new WorkerMemory(pid, JMXConnectorFactory.connect(new JMXServiceURL(address)));
        } finally {
            vm.detach();
        }
    }

    long pid() {
        return pid;
    }

    /** Forces a full collection in the worker, then reads. */
    Reading afterFullGc() throws IOException {
        memory.gc();
        long metaspace = 0;
        long codeCache = 0;
        for (MemoryPoolMXBean pool : pools) {
            if (pool.getName().equals("Metaspace")) {
                metaspace = pool.getUsage().getUsed();
            } else if (pool.getType() == MemoryType.NON_HEAP && pool.getName().startsWith("CodeHeap")) {
                codeCache += pool.getUsage().getUsed();
            }
        }
        return new Reading(memory.getHeapMemoryUsage().getUsed(), metaspace, classes.getLoadedClassCount(), codeCache, resident());
    }

    private long resident() throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) << 10;
            }
        }
        return -1;
    }

    /** Disconnects; quietly, since the worker may be gone already. */
    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException e) {
            // the worker exited; nothing to disconnect from
        }
    }
}
