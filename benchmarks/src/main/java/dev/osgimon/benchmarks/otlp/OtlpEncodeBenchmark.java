package dev.osgimon.benchmarks.otlp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.osgimon.core.internal.catalog.SourceMetrics;
import dev.osgimon.core.internal.encode.CycleBuffer;
import dev.osgimon.otlp.internal.OtlpEncoder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.internal.otlp.metrics.LowAllocationMetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;

/**
 * Encoding one cycle of 1,000 OTLP data points into an {@code ExportMetricsServiceRequest}: 500
 * gauge points (100 points of 5 fields, 2 tags each), 400 counter points (100 points of 4 fields)
 * and 100 histograms of 15 buckets (one tag). osgimon's {@link OtlpEncoder} from the core's real
 * {@link CycleBuffer}, against the OpenTelemetry SDK 1.68.0's own marshaling of the same metrics
 * ({@code MetricsRequestMarshaler}, and its reusing {@code LowAllocationMetricsRequestMarshaler})
 * from {@code MetricData} built once in the set-up (the SDK's collection is not measured).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar OtlpEncodeBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OtlpEncodeBenchmark {

    private static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};
    private static final String[] GAUGES = {"used", "committed", "max", "init", "usage"};
    private static final String[] COUNTERS = {"requests", "errors", "bytes_in", "bytes_out"};
    private static final long TIME = 1_700_000_000_000_000_000L;
    private static final long START = TIME - 3_600_000_000_000L;

    private CycleBuffer cycle;
    private SourceMetrics declarations;
    private OtlpEncoder encoder;
    private List<MetricData> sdkMetrics;
    private final LowAllocationMetricsRequestMarshaler lowAllocation = new LowAllocationMetricsRequestMarshaler();
    private final ByteArrayOutputStream sdkOut = new ByteArrayOutputStream(256 * 1024);

    @Setup
    public void setup() throws IOException {
        declarations = new SourceMetrics("bench");
        for (String g : GAUGES) {
            declarations.gauge("pool", g, "By", "memory " + g);
        }
        for (String c : COUNTERS) {
            declarations.counter("endpoint", c, "{request}", "requests " + c);
        }
        declarations.histogram("latency", "s", "time from request to response");
        cycle = new CycleBuffer();
        cycle.globalTags(new String[] {"vm"}, new String[] {"app-server-01"});
        write(cycle);
        encoder = new OtlpEncoder("osgimon", "osgimon", "6a0f9d3e-0d47-4b55-a1a6-7f0a3f1d2c11", "0.1.0", START);
        int points = encoder.encode(cycle);
        sdkMetrics = sdkMetrics();
        sdkOut.reset();
        MetricsRequestMarshaler.create(sdkMetrics).writeBinaryTo(sdkOut);
        if (points != 1000) {
            throw new IllegalStateException("the cycle has " + points + " data points, not 1000");
        }
        System.out.println("\nrequest bytes: osgimon " + encoder.size() + ", SDK " + sdkOut.size());
    }

    private void write(CycleBuffer c) {
        c.reset(TIME);
        c.source(declarations);
        for (int i = 0; i < 100; i++) {
            c.point("pool").tag("pool", "pool-" + (i % 10)).tag("area", i % 2 == 0 ? "heap" : "nonheap");
            for (int f = 0; f < GAUGES.length; f++) {
                c.field(GAUGES[f], 1_000_000L * i + f);
            }
        }
        for (int i = 0; i < 100; i++) {
            c.point("endpoint").tag("route", "route-" + i).tag("method", "GET");
            for (int f = 0; f < COUNTERS.length; f++) {
                c.field(COUNTERS[f], 10_000L * i + f);
            }
        }
        for (int i = 0; i < 100; i++) {
            long[] counts = new long[BOUNDS.length + 1];
            for (int b = 0; b < counts.length; b++) {
                counts[b] = i + b;
            }
            c.point("latency").tag("route", "route-" + i).histogram(BOUNDS, counts, 12.5 + i, 0.001, 9.5);
        }
        c.finish();
    }

    private static List<MetricData> sdkMetrics() {
        Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "osgimon",
                AttributeKey.stringKey("service.instance.id"), "6a0f9d3e-0d47-4b55-a1a6-7f0a3f1d2c11",
                AttributeKey.stringKey("host.name"), "app-server-01"));
        InstrumentationScopeInfo scope = InstrumentationScopeInfo.builder("dev.osgimon").setVersion("0.1.0").build();
        List<MetricData> metrics = new ArrayList<>();
        for (int f = 0; f < GAUGES.length; f++) {
            List<LongPointData> points = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                points.add(ImmutableLongPointData.create(0, TIME, Attributes.of(AttributeKey.stringKey("pool"),
                        "pool-" + (i % 10), AttributeKey.stringKey("area"), i % 2 == 0 ? "heap" : "nonheap"),
                        1_000_000L * i + f));
            }
            metrics.add(ImmutableMetricData.createLongGauge(resource, scope, "pool." + GAUGES[f], "memory " + GAUGES[f],
                    "By", ImmutableGaugeData.create(points)));
        }
        for (int f = 0; f < COUNTERS.length; f++) {
            List<LongPointData> points = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                points.add(ImmutableLongPointData.create(START, TIME, Attributes.of(AttributeKey.stringKey("route"),
                        "route-" + i, AttributeKey.stringKey("method"), "GET"), 10_000L * i + f));
            }
            metrics.add(ImmutableMetricData.createLongSum(resource, scope, "endpoint." + COUNTERS[f],
                    "requests " + COUNTERS[f], "{request}",
                    ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, points)));
        }
        List<Double> bounds = new ArrayList<>();
        for (double b : BOUNDS) {
            bounds.add(b);
        }
        List<HistogramPointData> histograms = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            List<Long> counts = new ArrayList<>();
            long total = 0;
            for (int b = 0; b <= BOUNDS.length; b++) {
                counts.add((long) (i + b));
                total += i + b;
            }
            if (total < 0) {
                throw new IllegalStateException();
            }
            histograms.add(ImmutableHistogramPointData.create(START, TIME,
                    Attributes.of(AttributeKey.stringKey("route"), "route-" + i), 12.5 + i, true, 0.001, true, 9.5,
                    bounds, counts));
        }
        metrics.add(ImmutableMetricData.createDoubleHistogram(resource, scope, "latency",
                "time from request to response", "s",
                ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, histograms)));
        return metrics;
    }

    /** osgimon: encodes the written cycle (1,000 data points) into a request's bytes. */
    @Benchmark
    public int osgimonEncode() {
        return encoder.encode(cycle) + encoder.size();
    }

    /** osgimon: the sources write the cycle into the core's buffer, then it is encoded. */
    @Benchmark
    public int osgimonWriteAndEncode() {
        write(cycle);
        return encoder.encode(cycle) + encoder.size();
    }

    /** The SDK's exporter path: {@code MetricsRequestMarshaler.create} and {@code writeBinaryTo}. */
    @Benchmark
    public int sdkMarshal() throws IOException {
        sdkOut.reset();
        MetricsRequestMarshaler.create(sdkMetrics).writeBinaryTo(sdkOut);
        return sdkOut.size();
    }

    /** The SDK's reusing marshaler ({@code MemoryMode.REUSABLE_DATA}). */
    @Benchmark
    public int sdkLowAllocationMarshal() throws IOException {
        sdkOut.reset();
        lowAllocation.initialize(sdkMetrics);
        try {
            lowAllocation.writeBinaryTo(sdkOut);
        } finally {
            lowAllocation.reset();
        }
        return sdkOut.size();
    }
}
