package dev.osgimon.source.micrometer.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.ipc.http.HttpSender;
import io.micrometer.influx.InfluxConfig;
import io.micrometer.influx.InfluxMeterRegistry;

import dev.osgimon.core.internal.encode.CycleBuffer;
import dev.osgimon.core.internal.encode.LineRenderer;
import dev.osgimon.sourcekit.internal.Declared;

/**
 * One collection cycle over 1,000 Micrometer meters (400 counters, 300 gauges, 200 timers, 100
 * distribution summaries, two tags each, every one recorded into): the Micrometer bridge reading osgimon's
 * registry into the core's {@link CycleBuffer} and rendering the cycle as line protocol (what a cycle of
 * the {@code micrometer} source costs), against Micrometer's own {@link InfluxMeterRegistry} holding the
 * same meters and producing its line protocol in {@code publish()} (uncompressed, to an HTTP sender that
 * only counts the bytes: the encoding without the network). The bytes of one cycle are printed at the end.
 * osgimon's timers and summaries write their 14/15 buckets plus count, sum, min, max; Influx's write count,
 * sum, mean and upper (no buckets unless a meter publishes a histogram).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar MicrometerBridgeBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MicrometerBridgeBenchmark {

    private static final int METERS = 1000;

    private MeterBridge bridge;
    private Declared<Entry> declared;
    private CycleBuffer buffer;
    private LineRenderer renderer;
    private InfluxMeterRegistry influx;
    private MethodHandle publish;
    private final AtomicLong influxBytes = new AtomicLong();
    private long timestamp = 1_700_000_000_000_000_000L;

    @Setup
    public void setup() throws Exception {
        OsgimonMeterRegistry osgimon = new OsgimonMeterRegistry();
        register(osgimon);
        bridge = new MeterBridge(List.of(osgimon), 10_000, "");
        declared = bridge.declared();
        buffer = new CycleBuffer();
        buffer.globalTags(new String[] {"vm"}, new String[] {"app-server-01"});
        renderer = new LineRenderer(1024 * 1024);

        InfluxConfig config = new InfluxConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public boolean autoCreateDb() {
                return false;
            }

            @Override
            public boolean compressed() {
                return false;
            }

            @Override
            public Duration step() {
                return Duration.ofDays(1);
            }
        };
        HttpSender counting = request -> {
            influxBytes.addAndGet(request.getEntity().length);
            return new HttpSender.Response(204, "");
        };
        influx = InfluxMeterRegistry.builder(config).clock(Clock.SYSTEM).httpClient(counting).build();
        influx.config().commonTags("vm", "app-server-01");
        register(influx);
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(InfluxMeterRegistry.class, MethodHandles.lookup());
        publish = lookup.findVirtual(InfluxMeterRegistry.class, "publish", MethodType.methodType(void.class));
    }

    private static void register(MeterRegistry r) {
        for (int i = 0; i < METERS; i++) {
            Tags tags = Tags.of("service", "orders", "instance", "i" + (i % 10));
            String name = "app.meter" + i;
            if (i < 400) {
                r.counter(name, tags).increment(i);
            } else if (i < 700) {
                r.gauge(name, tags, new AtomicLong(i));
            } else if (i < 900) {
                Timer t = Timer.builder(name).tags(tags).register(r);
                t.record(Duration.ofMillis(i % 300));
                t.record(Duration.ofMillis(i % 7));
            } else {
                DistributionSummary s = DistributionSummary.builder(name).tags(tags).baseUnit("bytes").register(r);
                s.record(i);
                s.record(i * 3);
            }
        }
    }

    /** osgimon: the bridge writes the 1,000 meters into a cycle, rendered as line protocol. */
    @Benchmark
    public int osgimonCycle() {
        buffer.reset(timestamp += 10_000_000_000L);
        bridge.collect(buffer, declared);
        buffer.finish();
        renderer.render(buffer);
        return renderer.size();
    }

    /** Micrometer: InfluxMeterRegistry.publish() writing the same 1,000 meters as line protocol. */
    @Benchmark
    public long influxPublish() throws Throwable {
        publish.invoke(influx);
        return influxBytes.get();
    }

    @TearDown
    public void bytes() throws Throwable {
        osgimonCycle();
        long before = influxBytes.get();
        publish.invoke(influx);
        System.out.printf("%nbytes per cycle: osgimon %d, InfluxMeterRegistry %d%n", renderer.size(),
                influxBytes.get() - before);
        influx.close();
    }
}
