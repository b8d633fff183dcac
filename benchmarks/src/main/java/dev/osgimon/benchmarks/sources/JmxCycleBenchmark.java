package dev.osgimon.benchmarks.sources;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.osgimon.core.internal.catalog.SourceMetrics;
import dev.osgimon.core.internal.encode.CycleBuffer;
import dev.osgimon.core.internal.encode.LineRenderer;
import dev.osgimon.source.jmx.internal.JmxConfig;
import dev.osgimon.source.jmx.internal.JmxSource;

/**
 * One cycle of the {@code jmx} source in steady state (patterns resolved, no MBean registered
 * since) on the platform MBean server of this JVM: the shipped default set (here the three
 * {@code java.lang} MBeans it names; Karaf and Jetty are absent) with the shipped {@code sampled}
 * attributes read every {@code samplePeriod} seconds (60, the default: a warm loop then reads them
 * about once a minute; 0: every cycle, the cost of a cycle that reads them) and, with {@code appBeans} &gt; 0, that
 * many application MXBeans more ({@code bench:type=Pool,name=<i>}, two numbers and a
 * {@code CompositeData} of four members each, pattern {@code bench:type=Pool,*}). {@code cycle} writes
 * into a counting no-op writer (with {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes a
 * cycle allocates); {@code cycleIntoCore} is the core's whole path, into its {@link CycleBuffer} and
 * rendered as line protocol (the rendered bytes per cycle are printed at the end of each trial).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar JmxCycleBenchmark -prof gc</pre>
 *
 * <p>JMH measures a warm loop; in the agent this code runs once per interval and is never warm.
 * {@link #main} measures that: one {@code collect} of the shipped defaults (no application MBeans)
 * every {@code pause} milliseconds, {@code cycles} times, in a fresh JVM, and prints the median,
 * p90, p99 and max (the first collect, which resolves the patterns, is reported apart):
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.osgimon.benchmarks.sources.JmxCycleBenchmark 60 1000</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JmxCycleBenchmark {

    /** Application MBeans beside the default set. */
    @Param({"0", "100"})
    public int appBeans;

    /** Seconds between two reads of the sampled attributes (0: every cycle). */
    @Param({"60", "0"})
    public int samplePeriod;

    /** An application MBean: two numbers and a composite. */
    public interface PoolMXBean {
        long getRequests();

        int getActive();

        MemoryUsage getUsage();
    }

    /** The application MBean. */
    public static final class Pool implements PoolMXBean {
        private final long requests;

        Pool(long requests) {
            this.requests = requests;
        }

        @Override
        public long getRequests() {
            return requests;
        }

        @Override
        public int getActive() {
            return 3;
        }

        @Override
        public MemoryUsage getUsage() {
            return new MemoryUsage(1, requests, requests * 2, requests * 4);
        }
    }

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();
    private final CountingWriter out = new CountingWriter();
    private final CycleBuffer buffer = new CycleBuffer();
    private final LineRenderer renderer = new LineRenderer(256 * 1024);
    private final SourceMetrics metrics = new SourceMetrics("jmx");
    private JmxSource source;
    private long timestamp;
    private int lineBytes;

    @Setup
    public void setUp() throws ReflectiveOperationException, JMException {
        for (int i = 0; i < appBeans; i++) {
            ObjectName name = new ObjectName("bench:type=Pool,name=p" + i);
            server.registerMBean(new Pool(1000 + i), name);
            registered.add(name);
        }
        String[] defaults = (String[]) JmxConfig.class.getMethod("beans").getDefaultValue();
        String[] beans = Arrays.copyOf(defaults, defaults.length + 1);
        beans[defaults.length] = "bench:type=Pool,*";
        source = new JmxSource(config(Map.of("beans", beans, "samplePeriod", samplePeriod)));
        source.declare(metrics);
        buffer.globalTags(new String[] {"vm"}, new String[] {"app-server-01"});
        source.collect(out);
    }

    /**
     * @param overrides configuration values by property name; the others are the shipped defaults
     * @return the configuration
     */
    static JmxConfig config(Map<String, Object> overrides) {
        return (JmxConfig) Proxy.newProxyInstance(JmxConfig.class.getClassLoader(), new Class<?>[] {JmxConfig.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return JmxConfig.class;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "JmxConfig" + overrides;
                        default:
                            Object v = overrides.get(method.getName());
                            return v != null ? v : method.getDefaultValue();
                    }
                });
    }

    /**
     * The cold measure: one collect of the shipped defaults every {@code pause} ms.
     *
     * @param args {@code [cycles [pause-ms]]}, 60 and 1000 if not given
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        long pause = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        CountingWriter out = new CountingWriter();
        long t0 = System.nanoTime();
        JmxSource source = new JmxSource(config(Map.of()));
        source.collect(out);
        long first = System.nanoTime() - t0;
        long[] ns = new long[cycles];
        for (int i = 0; i < cycles; i++) {
            Thread.sleep(pause);
            long t = System.nanoTime();
            source.collect(out);
            ns[i] = System.nanoTime() - t;
        }
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        System.out.printf("jmx collect, shipped defaults, once every %d ms: start (resolve + first collect) %d us;"
                + " %d collects: median %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us (%d points, %d fields)%n",
                pause, first / 1000, cycles, sorted[cycles / 2] / 1e3, sorted[(int) Math.ceil(cycles * 0.9) - 1] / 1e3,
                sorted[(int) Math.ceil(cycles * 0.99) - 1] / 1e3, sorted[cycles - 1] / 1e3, out.points, out.fields);
        StringBuilder each = new StringBuilder("each collect, us:");
        for (long n : ns) {
            each.append(' ').append(n / 1000);
        }
        System.out.println(each);
    }

    @TearDown
    public void tearDown() throws JMException {
        if (lineBytes > 0) {
            System.out.printf("%njmx cycle with %d app MBeans: %d bytes of line protocol%n", appBeans, lineBytes);
        }
        for (ObjectName name : registered) {
            server.unregisterMBean(name);
        }
        registered.clear();
    }

    @Benchmark
    public long cycle() {
        source.collect(out);
        return out.fold;
    }

    @Benchmark
    public int cycleIntoCore() {
        CycleBuffer b = buffer;
        b.reset(++timestamp);
        b.source(metrics);
        source.collect(b);
        b.finish();
        renderer.render(b);
        lineBytes = renderer.size();
        return lineBytes;
    }
}
