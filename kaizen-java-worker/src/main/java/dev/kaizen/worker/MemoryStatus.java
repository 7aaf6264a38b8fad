package dev.kaizen.worker;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * The worker's memory after a candidate, read cheaply from the memory pools (no collection is
 * forced), and whether it is time to recycle: when the heap still in use after the last
 * collection exceeds {@link #HEAP_LIMIT} of the maximum heap, or metaspace exceeds
 * {@link #METASPACE_LIMIT} of {@code -XX:MaxMetaspaceSize} (or {@link #DEFAULT_METASPACE_LIMIT}
 * without one).
 *
 * @param heapUsed      heap bytes in use now
 * @param metaspaceUsed metaspace bytes in use now
 * @param recycleReason why the worker should recycle, or empty
 */
record MemoryStatus(long heapUsed, long metaspaceUsed, String recycleReason) {

    static final double HEAP_LIMIT = 0.75;
    static final double METASPACE_LIMIT = 0.8;
    static final long DEFAULT_METASPACE_LIMIT = 512L << 20;

    static MemoryStatus now() {
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long heapAfterGc = 0;
        long metaspaceUsed = 0;
        long metaspaceMax = -1;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage afterGc = pool.getCollectionUsage();
                if (afterGc != null) {
                    heapAfterGc += afterGc.getUsed();
                }
            } else if (pool.getName().equals("Metaspace")) {
                MemoryUsage usage = pool.getUsage();
                metaspaceUsed = usage.getUsed();
                metaspaceMax = usage.getMax();
            }
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        long metaspaceLimit = metaspaceMax > 0 ? (long) (metaspaceMax * METASPACE_LIMIT) : DEFAULT_METASPACE_LIMIT;
        String reason = "";
        if (heapAfterGc > maxHeap * HEAP_LIMIT) {
            reason = "heap in use after the last collection is " + mib(heapAfterGc) + " MiB of " + mib(maxHeap) + " MiB";
        } else if (metaspaceUsed > metaspaceLimit) {
            reason = "metaspace in use is " + mib(metaspaceUsed) + " MiB, over its limit of " + mib(metaspaceLimit) + " MiB";
        }
        return new MemoryStatus(heapUsed, metaspaceUsed, reason);
    }

    static long mib(long bytes) {
        return bytes >> 20;
    }

    /** The maximum heap in MiB, for messages. */
    static long maxHeapMib() {
        return mib(Runtime.getRuntime().maxMemory());
    }
}
