package dev.osgimon.source.process.internal;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.MetricSourceProperties;
import dev.osgimon.api.PointWriter;
import dev.osgimon.procfs.internal.ProcFile;

/**
 * Metric source {@code process} (tag {@code process}): what the operating system sees of this JVM —
 * CPU time and usage, threads, file descriptors, context switches and resident memory (point
 * {@code process}) — and the machine's load (point {@code system_load}). The point layout is
 * documented in {@code docs/sources.md}.
 *
 * <p>It owns the {@code process} measurement: the resident set size lives here, next to CPU and
 * threads, because it is what the operating system charges the process; the {@code memory} source
 * reports the JVM's own view (heap, pools, GC). A cycle reads three procfs files into reusable
 * buffers. The context switches need the status file of every thread (the process's own status file
 * only counts the main thread's), which costs more than the rest of the cycle together: they are
 * read again at most every {@code contextSwitchesSeconds} (60 s by default), and the cycles in
 * between write the last sums. A collection may run on the collector thread and a preview thread
 * at once, so {@link #collect} is synchronized.
 */
@Component(service = MetricSource.class, configurationPid = ProcessConfig.PID)
@Designate(ocd = ProcessConfig.class)
@MetricSourceProperties(name = "process", tags = "process")
public final class ProcessSource implements MetricSource {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessSource.class);

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final FileDescriptors fds = FileDescriptors.create();
    private final LongSupplier nanoTime;
    private final IntSupplier processors;
    private final ProcStat stat = new ProcStat();
    private final ProcStatus status = new ProcStatus();
    private final LoadAvg loadAvg = new LoadAvg();
    private ThreadSwitches switches;

    private ProcessConfig config;
    private ProcFile statFile;
    private ProcFile statusFile;
    private ProcFile loadFile;
    private boolean procMissingLogged;
    private long lastCpuTicks = -1;
    private long lastNanos;
    private boolean switchesRead;
    private long switchesNanos;
    /** The processor count last read, and when; -1 before the first read. */
    private long cpus = -1;
    private long cpusNanos;

    /** The processor count is read again at most this often. */
    static final long CPUS_EVERY_NANOS = 60_000_000_000L;

    /**
     * Activates the source.
     *
     * @param config its configuration
     */
    @Activate
    public ProcessSource(ProcessConfig config) {
        this(config, System::nanoTime, null);
    }

    ProcessSource(ProcessConfig config, LongSupplier nanoTime) {
        this(config, nanoTime, null);
    }

    ProcessSource(ProcessConfig config, LongSupplier nanoTime, IntSupplier processors) {
        this.nanoTime = nanoTime;
        this.processors = processors != null ? processors : os::getAvailableProcessors;
        validate(config);
        open(config);
    }

    /**
     * Takes a new configuration.
     *
     * @param config the new configuration
     */
    @Modified
    synchronized void modified(ProcessConfig config) {
        validate(config);
        close();
        open(config);
    }

    /** Closes the open procfs files. */
    @Deactivate
    synchronized void deactivate() {
        close();
    }

    private static void validate(ProcessConfig c) {
        if (c.clockTicks() < 1) {
            throw new IllegalArgumentException("clockTicks must be at least 1, was " + c.clockTicks());
        }
        if (c.contextSwitchesSeconds() < 0) {
            throw new IllegalArgumentException("contextSwitchesSeconds must not be negative, was " + c.contextSwitchesSeconds());
        }
    }

    private void open(ProcessConfig c) {
        config = c;
        statFile = new ProcFile(new File(c.procRoot(), "self/stat"), 1024);
        statusFile = new ProcFile(new File(c.procRoot(), "self/status"), 4096);
        loadFile = new ProcFile(new File(c.procRoot(), "loadavg"), 128);
        switches = new ThreadSwitches(new File(c.procRoot(), "self/task"));
        procMissingLogged = false;
        lastCpuTicks = -1;
        switchesRead = false;
    }

    private void close() {
        statFile.close();
        statusFile.close();
        loadFile.close();
    }

    @Override
    public void declare(Declarations d) {
        d.counter("process", "cpu_user_s", "s", "CPU time in user mode since the JVM started")
                .counter("process", "cpu_system_s", "s", "CPU time in kernel mode since the JVM started")
                .gauge("process", "cpu_usage", "%", "CPU used over the last interval, percent of one core")
                .gauge("process", "threads", "{thread}", "Live JVM threads")
                .gauge("process", "threads_daemon", "{thread}", "Live JVM daemon threads")
                .gauge("process", "threads_peak", "{thread}", "Most live JVM threads since the JVM started")
                .gauge("process", "open_fds", "{file}", "Open file descriptors")
                .gauge("process", "max_fds", "{file}", "Most file descriptors the process may open")
                .counter("process", "uptime_s", "s", "Time since the JVM started")
                .counter("process", "ctx_switches_voluntary", "{context_switch}", "Voluntary context switches of the live threads")
                .counter("process", "ctx_switches_involuntary", "{context_switch}", "Involuntary context switches of the live threads")
                .gauge("process", "memory_rss", "By", "Resident memory (VmRSS)")
                .gauge("process", "memory_vms", "By", "Virtual memory size (VmSize)")
                .gauge("process", "memory_rss_peak", "By", "Peak resident memory (VmHWM)")
                .gauge("process", "memory_swap", "By", "Memory swapped out (VmSwap)")
                .gauge("system_load", "load1", "{run_queue_item}", "System load average over 1 minute")
                .gauge("system_load", "load5", "{run_queue_item}", "System load average over 5 minutes")
                .gauge("system_load", "load15", "{run_queue_item}", "System load average over 15 minutes")
                .gauge("system_load", "cpus", "{cpu}", "Processors available to the JVM");
    }

    @Override
    public synchronized void collect(PointWriter out) {
        boolean statRead = statFile.reload();
        boolean statusRead = statusFile.reload();
        boolean loadRead = loadFile.reload();
        if (!(statRead && statusRead && loadRead) && !procMissingLogged) {
            procMissingLogged = true;
            LOG.info("{} cannot be read: the process source leaves out what comes from it", new File(config.procRoot()));
        }

        out.point("process");
        if (statRead) {
            stat.parse(statFile.bytes(), statFile.length());
            cpu(out, stat.userTicks(), stat.systemTicks());
        }
        out.field("threads", (long) threads.getThreadCount())
                .field("threads_daemon", (long) threads.getDaemonThreadCount())
                .field("threads_peak", (long) threads.getPeakThreadCount());
        long open = fds.open();
        if (open >= 0) {
            out.field("open_fds", open);
        }
        long max = fds.max();
        if (max >= 0) {
            out.field("max_fds", max);
        }
        out.field("uptime_s", runtime.getUptime() / 1000.0);
        if (statusRead) {
            status.parse(statusFile.bytes(), statusFile.length());
            if (config.contextSwitches() && contextSwitches()) {
                out.field("ctx_switches_voluntary", switches.voluntary())
                        .field("ctx_switches_involuntary", switches.involuntary());
            }
            optional(out, "memory_rss", status.get(ProcStatus.VM_RSS));
            optional(out, "memory_vms", status.get(ProcStatus.VM_SIZE));
            optional(out, "memory_rss_peak", status.get(ProcStatus.VM_HWM));
            optional(out, "memory_swap", status.get(ProcStatus.VM_SWAP));
        }

        out.point("system_load");
        if (loadRead) {
            loadAvg.parse(loadFile.bytes(), loadFile.length());
            out.field("load1", loadAvg.get(0)).field("load5", loadAvg.get(1)).field("load15", loadAvg.get(2));
        } else {
            double load1 = os.getSystemLoadAverage();
            if (load1 >= 0) {
                out.field("load1", load1);
            }
        }
        out.field("cpus", cpus());
    }

    /**
     * The processors available to the JVM, read again at most every {@link #CPUS_EVERY_NANOS}: in a
     * container the JVM answers from the cgroup files each time (about 0.1 ms a call, a third of this
     * source's cycle), and the count changes only when the container's CPU quota does.
     */
    private long cpus() {
        long now = nanoTime.getAsLong();
        if (cpus < 0 || now - cpusNanos >= CPUS_EVERY_NANOS) {
            cpus = processors.getAsInt();
            cpusNanos = now;
        }
        return cpus;
    }

    /** @return whether there are sums to write: read again when the last read is old enough */
    private boolean contextSwitches() {
        long now = nanoTime.getAsLong();
        if (!switchesRead || now - switchesNanos >= config.contextSwitchesSeconds() * 1_000_000_000L) {
            switchesRead = switches.reload();
            switchesNanos = now;
        }
        return switchesRead;
    }

    private void cpu(PointWriter out, long user, long system) {
        if (user == ProcStat.MISSING || system == ProcStat.MISSING) {
            return;
        }
        double ticks = config.clockTicks();
        out.field("cpu_user_s", user / ticks).field("cpu_system_s", system / ticks);
        long now = nanoTime.getAsLong();
        long cpuTicks = user + system;
        if (lastCpuTicks >= 0 && now > lastNanos && cpuTicks >= lastCpuTicks) {
            double cpuSeconds = (cpuTicks - lastCpuTicks) / ticks;
            out.field("cpu_usage", 100.0 * cpuSeconds * 1e9 / (now - lastNanos));
        }
        lastCpuTicks = cpuTicks;
        lastNanos = now;
    }

    private static void optional(PointWriter out, String key, long value) {
        if (value != ProcStatus.MISSING) {
            out.field(key, value);
        }
    }
}
