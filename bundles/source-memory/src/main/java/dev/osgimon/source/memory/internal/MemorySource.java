package dev.osgimon.source.memory.internal;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.MetricSourceProperties;
import dev.osgimon.api.PointWriter;

/**
 * Metric source {@code memory} (tags {@code memory}, {@code jvm}): JVM heap and non-heap, memory
 * pools, garbage collectors, buffer pools and bytes allocated: the JVM's view of memory. What the
 * operating system charges the process (RSS, virtual size, swap) is the {@code process} source's
 * {@code process} point. The point layout is documented in {@code docs/sources.md}.
 *
 * <p>Everything osgimon does here is allocation-free per cycle; the JDK's {@link MemoryUsage}
 * snapshots (one per heap, non-heap and pool) are the only objects a cycle creates.
 */
@Component(service = MetricSource.class, configurationPid = MemoryConfig.PID)
@Designate(ocd = MemoryConfig.class)
@MetricSourceProperties(name = "memory", tags = {"memory", "jvm"})
public final class MemorySource implements MetricSource {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final MemoryPoolMXBean[] pools;
    private final String[] poolNames;
    private final String[] poolAreas;
    private final GarbageCollectorMXBean[] collectors;
    private final String[] collectorNames;
    private final BufferPoolMXBean[] buffers;
    private final String[] bufferNames;
    private final AllocatedBytes allocated = AllocatedBytes.create();

    private volatile MemoryConfig config;

    /**
     * Activates the source.
     *
     * @param config its configuration
     */
    @Activate
    public MemorySource(MemoryConfig config) {
        this.config = config;
        List<MemoryPoolMXBean> poolList = ManagementFactory.getMemoryPoolMXBeans();
        pools = poolList.toArray(new MemoryPoolMXBean[0]);
        poolNames = new String[pools.length];
        poolAreas = new String[pools.length];
        for (int i = 0; i < pools.length; i++) {
            poolNames[i] = pools[i].getName();
            poolAreas[i] = pools[i].getType() == MemoryType.HEAP ? "heap" : "nonheap";
        }
        collectors = ManagementFactory.getGarbageCollectorMXBeans().toArray(new GarbageCollectorMXBean[0]);
        collectorNames = new String[collectors.length];
        for (int i = 0; i < collectors.length; i++) {
            collectorNames[i] = collectors[i].getName();
        }
        buffers = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).toArray(new BufferPoolMXBean[0]);
        bufferNames = new String[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            bufferNames[i] = buffers[i].getName();
        }
    }

    /**
     * Takes a new configuration.
     *
     * @param config the new configuration
     */
    @Modified
    void modified(MemoryConfig config) {
        this.config = config;
    }

    @Override
    public void declare(Declarations d) {
        for (String m : new String[] {"jvm_memory", "jvm_memory_pool"}) {
            d.gauge(m, "used", "By", "Memory in use")
                    .gauge(m, "committed", "By", "Memory the JVM has from the operating system")
                    .gauge(m, "max", "By", "Most memory that can be used (left out when undefined)")
                    .gauge(m, "init", "By", "Memory requested at start (left out when undefined)");
        }
        d.counter("jvm_gc", "count", "{collection}", "Collections since the JVM started")
                .counter("jvm_gc", "time_ms", "ms", "Accumulated collection time since the JVM started")
                .gauge("jvm_buffer_pool", "count", "{buffer}", "Buffers in the pool")
                .gauge("jvm_buffer_pool", "used", "By", "Memory the pool's buffers use")
                .gauge("jvm_buffer_pool", "capacity", "By", "Total capacity of the pool's buffers")
                .counter("jvm_allocation", "bytes", "By", "Bytes allocated on the heap by all threads since the JVM started");
    }

    @Override
    public void collect(PointWriter out) {
        usage(out, "heap", memory.getHeapMemoryUsage());
        usage(out, "nonheap", memory.getNonHeapMemoryUsage());
        if (config.pools()) {
            for (int i = 0; i < pools.length; i++) {
                MemoryUsage u = pools[i].isValid() ? pools[i].getUsage() : null;
                if (u != null) {
                    out.point("jvm_memory_pool").tag("pool", poolNames[i]).tag("area", poolAreas[i]);
                    fields(out, u);
                }
            }
        }
        for (int i = 0; i < collectors.length; i++) {
            long count = collectors[i].getCollectionCount();
            long time = collectors[i].getCollectionTime();
            out.point("jvm_gc").tag("gc", collectorNames[i]);
            if (count >= 0) {
                out.field("count", count);
            }
            if (time >= 0) {
                out.field("time_ms", time);
            }
        }
        for (int i = 0; i < buffers.length; i++) {
            out.point("jvm_buffer_pool").tag("pool", bufferNames[i])
                    .field("count", buffers[i].getCount())
                    .field("used", buffers[i].getMemoryUsed())
                    .field("capacity", buffers[i].getTotalCapacity());
        }
        long bytes = allocated.total();
        if (bytes >= 0) {
            out.point("jvm_allocation").field("bytes", bytes);
        }
    }

    private static void usage(PointWriter out, String area, MemoryUsage u) {
        out.point("jvm_memory").tag("area", area);
        fields(out, u);
    }

    private static void fields(PointWriter out, MemoryUsage u) {
        out.field("used", u.getUsed()).field("committed", u.getCommitted());
        if (u.getMax() >= 0) {
            out.field("max", u.getMax());
        }
        if (u.getInit() >= 0) {
            out.field("init", u.getInit());
        }
    }
}
