package dev.osgimon.otlp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.WriteResult;
import dev.osgimon.testing.TestCycle;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;

/**
 * The semantic oracle: the same values recorded through the OpenTelemetry Java SDK (its OTLP/HTTP
 * exporter) and written by osgimon, to the same receiver, must give metrics of the same type,
 * temporality, monotonicity, unit and attribute set, and the same values: a gauge, a counter and a
 * histogram, side by side.
 */
class SdkOracleTest {

    private static final Logger LOG = LoggerFactory.getLogger(SdkOracleTest.class);
    private static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1};
    private static final double[] RECORDED = {0.003, 0.004, 0.02, 0.07, 0.07, 0.3, 0.9, 2.5};

    @Test
    void osgimonAndTheSdkAgreeOnGaugeCounterAndHistogram() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Map<String, Metric> sdk = viaSdk(receiver);
            Map<String, Metric> ours = viaOsgimon(receiver);
            for (String name : List.of("jvm_memory.used", "http_requests.total", "http_latency")) {
                Metric a = sdk.get(name);
                Metric b = ours.get(name);
                LOG.info("{}\n  SDK:     {}\n  osgimon: {}", name, describe(a), describe(b));
                assertEquals(describe(a), describe(b), name);
            }
            NumberDataPoint g1 = sdk.get("jvm_memory.used").getGauge().getDataPoints(0);
            NumberDataPoint g2 = ours.get("jvm_memory.used").getGauge().getDataPoints(0);
            assertEquals(g1.getAsInt(), g2.getAsInt());
            NumberDataPoint c1 = sdk.get("http_requests.total").getSum().getDataPoints(0);
            NumberDataPoint c2 = ours.get("http_requests.total").getSum().getDataPoints(0);
            assertEquals(c1.getAsInt(), c2.getAsInt());
            assertTrue(c2.getStartTimeUnixNano() > 0 && c2.getStartTimeUnixNano() < c2.getTimeUnixNano());
            HistogramDataPoint h1 = sdk.get("http_latency").getHistogram().getDataPoints(0);
            HistogramDataPoint h2 = ours.get("http_latency").getHistogram().getDataPoints(0);
            assertEquals(h1.getExplicitBoundsList(), h2.getExplicitBoundsList());
            assertEquals(h1.getBucketCountsList(), h2.getBucketCountsList());
            assertEquals(h1.getCount(), h2.getCount());
            assertEquals(h1.getSum(), h2.getSum(), 1e-12);
            assertEquals(h1.getMin(), h2.getMin());
            assertEquals(h1.getMax(), h2.getMax());
        }
    }

    /** Type, temporality, monotonicity, unit and the attribute keys of each data point. */
    private static String describe(Metric m) {
        Set<String> keys = new TreeSet<>();
        String shape;
        switch (m.getDataCase()) {
            case GAUGE -> {
                shape = "Gauge";
                m.getGauge().getDataPointsList().forEach(p -> keys.addAll(keys(p.getAttributesList())));
            }
            case SUM -> {
                shape = "Sum " + m.getSum().getAggregationTemporality() + " monotonic=" + m.getSum().getIsMonotonic();
                m.getSum().getDataPointsList().forEach(p -> keys.addAll(keys(p.getAttributesList())));
            }
            case HISTOGRAM -> {
                shape = "Histogram " + m.getHistogram().getAggregationTemporality();
                m.getHistogram().getDataPointsList().forEach(p -> keys.addAll(keys(p.getAttributesList())));
            }
            default -> shape = m.getDataCase().toString();
        }
        return shape + " unit=" + m.getUnit() + " attributes=" + keys;
    }

    private static List<String> keys(List<KeyValue> kvs) {
        return kvs.stream().map(KeyValue::getKey).collect(Collectors.toList());
    }

    private static Map<String, Metric> viaSdk(Receiver receiver) {
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + receiver.port() + "/v1/metrics").build();
        SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "osgimon")))
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
                .build();
        try {
            Meter meter = provider.get("dev.osgimon");
            meter.gaugeBuilder("jvm_memory.used").ofLongs().setUnit("By").setDescription("memory in use")
                    .buildWithCallback(m -> m.record(123_456_789L, Attributes.of(AttributeKey.stringKey("area"), "heap")));
            LongCounter counter = meter.counterBuilder("http_requests.total").setUnit("{request}")
                    .setDescription("requests answered").build();
            counter.add(40, Attributes.of(AttributeKey.stringKey("method"), "GET"));
            counter.add(2, Attributes.of(AttributeKey.stringKey("method"), "GET"));
            DoubleHistogram histogram = meter.histogramBuilder("http_latency").setUnit("s")
                    .setDescription("time from request to response")
                    .setExplicitBucketBoundariesAdvice(java.util.Arrays.stream(BOUNDS).boxed().toList()).build();
            for (double v : RECORDED) {
                histogram.record(v, Attributes.of(AttributeKey.stringKey("route"), "osgimon"));
            }
            assertTrue(provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess());
        } finally {
            provider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        return metrics(receiver, 0);
    }

    private static Map<String, Metric> viaOsgimon(Receiver receiver) {
        long[] counts = new long[BOUNDS.length + 1];
        double sum = 0;
        for (double v : RECORDED) {
            int b = 0;
            while (b < BOUNDS.length && v > BOUNDS[b]) {
                b++;
            }
            counts[b]++;
            sum += v;
        }
        TestCycle c = new TestCycle(System.currentTimeMillis() * 1_000_000L).global("vm", "box");
        c.point("jvm_memory").tag("area", "heap").field("used", 123_456_789L, dev.osgimon.api.model.Kind.GAUGE, "By",
                "memory in use");
        c.point("http_requests").tag("method", "GET").field("total", 42L, dev.osgimon.api.model.Kind.COUNTER,
                "{request}", "requests answered");
        c.point("http_latency").tag("route", "osgimon").histogram(BOUNDS, counts, sum, 0.003, 2.5, "s");
        OtlpTransportFactory factory = new OtlpTransportFactory(Settings.defaults("osgimon", "", true));
        var encoder = factory.encoder(TestTarget.of("otlp+http", receiver.port(), ""));
        int points = encoder.encode(c);
        try (LineWriter w = factory.create(TestTarget.of("otlp+http", receiver.port(), ""))) {
            assertEquals(WriteResult.delivered(), w.write(encoder.buffer(), 0, encoder.size(), points));
        }
        return metrics(receiver, 1);
    }

    private static Map<String, Metric> metrics(Receiver receiver, int request) {
        return receiver.requests().get(request).body().getResourceMetricsList().stream()
                .flatMap(rm -> rm.getScopeMetricsList().stream()).flatMap(sm -> sm.getMetricsList().stream())
                .collect(Collectors.toMap(Metric::getName, Function.identity()));
    }
}
