package dev.osgimon.itests.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.OtlpReceiver;
import dev.osgimon.itests.support.Waits;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;

/**
 * The real distribution sends to an OTLP receiver ({@code OSGIMON_TARGET=otlp+http://…}) whose every
 * request is decoded with the official generated classes. The receiver answers 503 for 5 s; during
 * that outage osgimon (shipped {@code buffer=disk} spool) is killed with SIGKILL and started again.
 * Then: every cycle either run collected, and every data point of the series written every cycle,
 * arrives once, in order per series; each run's {@code osgimon.cycles} counter counts up without a
 * gap; every data point the spool held at the kill (its {@code otlp-protobuf-1} records, decoded)
 * arrives with its value; types, units and start times are what the sources declared.
 */
class OtlpDistributionTest {

    private static final int OSM1 = 0x4F534D31; // docs/delivery.md
    private static final int OSM2 = 0x4F534D32;
    private static final int HEADER = 32;

    private static OtlpReceiver receiver;
    private static Distribution osgimon;
    private static List<Point> spooledAtKill = List.of();

    /** One delivered data point: the run (host.name), the series, its time and value. */
    private record Point(String run, String series, long time, long start, double value) {
    }

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        osgimon = Distribution.prepare(Map.of("OSGIMON_TARGET", "otlp+http://127.0.0.1:" + receiver.port(),
                "OSGIMON_OTLP_HEADERS", "Authorization=Bearer%20itest-secret"));
    }

    @AfterAll
    static void stop() {
        if (osgimon != null) {
            osgimon.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void nothingIsLostOrReorderedThroughAnOutageAndAKill() throws Exception {
        osgimon.env().put("OSGIMON_HOSTNAME", "run0");
        osgimon.start();
        Waits.until("three cycles of run0 delivered", Duration.ofSeconds(30),
                () -> cycles(receiver.delivered().stream().map(OtlpReceiver.Request::body).toList(), "run0").size() >= 3);

        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            receiver.unavailable(true);
            long down = System.nanoTime();
            timer.schedule(() -> receiver.unavailable(false), 5, TimeUnit.SECONDS);
            Waits.until("run0 refused twice with 503", Duration.ofSeconds(5),
                    () -> receiver.refused().stream().filter(r -> runs(r).contains("run0")).count() >= 2);
            osgimon.kill();
            assertThat(System.nanoTime() - down).as("killed during the outage").isLessThan(5_000_000_000L);
            spooledAtKill = spooled().stream().filter(p -> p.run().equals("run0")).toList();
            osgimon.env().put("OSGIMON_HOSTNAME", "run1");
            osgimon.start();
            Waits.until("the outage over", Duration.ofSeconds(60), () -> System.nanoTime() - down >= 5_000_000_000L);
        } finally {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }
        receiver.unavailable(false);
        // everything run0 tried to send during the outage, and three cycles of run1 after it
        TreeSet<Long> attempted = cycles(receiver.refused().stream().map(OtlpReceiver.Request::body).toList(), "run0");
        assertThat(attempted).as("run0's cycles refused with 503").isNotEmpty();
        Waits.until("run0's refused cycles delivered and three of run1", Duration.ofSeconds(60), () -> {
            List<io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest> bodies = receiver.delivered()
                    .stream().map(OtlpReceiver.Request::body).toList();
            return cycles(bodies, "run0").containsAll(attempted) && cycles(bodies, "run1").size() >= 3;
        });
        osgimon.stop();

        List<OtlpReceiver.Request> delivered = receiver.delivered();
        assertThat(receiver.errors()).as("bodies the official classes could not decode").isEmpty();
        for (OtlpReceiver.Request r : delivered) {
            assertThat(r.path()).isEqualTo("/v1/metrics");
            assertThat(r.contentType()).isEqualTo("application/x-protobuf");
            assertThat(r.contentEncoding()).isEqualTo("gzip");
        }
        List<ResourceMetrics> resources = delivered.stream().flatMap(r -> r.body().getResourceMetricsList().stream())
                .toList();
        Set<String> instanceIds = resources.stream()
                .map(rm -> OtlpReceiver.attribute(rm.getResource().getAttributesList(), "service.instance.id"))
                .collect(Collectors.toSet());
        assertThat(instanceIds).as("service.instance.id: one install, stable across the kill").hasSize(1);
        assertThat(resources).allSatisfy(rm -> {
            assertThat(OtlpReceiver.attribute(rm.getResource().getAttributesList(), "service.name")).isEqualTo("osgimon");
            assertThat(rm.getScopeMetrics(0).getScope().getName()).isEqualTo("dev.osgimon");
        });

        List<Point> points = points(resources);
        // every data point the spool held when run0 was killed arrived, with its value
        assertThat(spooledAtKill).as("run0's data points in the spool at the kill (otlp-protobuf-1 records)")
                .isNotEmpty();
        assertThat(points).as("delivered").containsAll(spooledAtKill);
        StringBuilder report = new StringBuilder();
        for (String run : List.of("run0", "run1")) {
            List<Point> mine = points.stream().filter(p -> p.run().equals(run)).toList();
            // osgimon.cycles: the run's own count of its cycles, one point per cycle, no gap, in order
            List<Point> cycles = mine.stream().filter(p -> p.series().startsWith("osgimon.cycles{")).toList();
            List<Long> counts = cycles.stream().map(p -> (long) p.value()).toList();
            assertThat(counts).as("%s: osgimon.cycles in the order received", run).isSorted().doesNotHaveDuplicates();
            assertThat(counts.get(0)).as("%s: the first counted cycle", run).isLessThanOrEqualTo(1);
            assertThat(counts.get(counts.size() - 1) - counts.get(0) + 1).as("%s: no cycle missing", run)
                    .isEqualTo(counts.size());
            TreeSet<Long> cycleTimes = cycles.stream().map(Point::time).collect(Collectors.toCollection(TreeSet::new));
            // per series: strictly increasing times in the order received (none out of order, none twice)
            Map<String, List<Point>> bySeries = mine.stream().collect(Collectors.groupingBy(Point::series,
                    LinkedHashMap::new, Collectors.toList()));
            bySeries.forEach((series, list) -> assertThat(list.stream().map(Point::time).toList())
                    .as("%s %s: times in the order received", run, series).isSorted().doesNotHaveDuplicates());
            // series written every cycle: a point at every cycle from their first
            for (String series : List.of("log_entries.count{level=error}", "log_entries.count{level=info}",
                    "jvm_memory.used{area=heap}", "process.cpu_user_s{}")) {
                List<Point> list = bySeries.get(series);
                assertThat(list).as("%s %s", run, series).isNotNull();
                Set<Long> times = list.stream().map(Point::time).collect(Collectors.toSet());
                assertThat(times).as("%s %s: a point at every cycle", run, series)
                        .containsAll(cycleTimes.tailSet(list.get(0).time()));
            }
            // a counter's start stays put while its source lives, before the cycle times
            List<Point> info = bySeries.get("log_entries.count{level=info}");
            assertThat(info.stream().map(Point::start).distinct().toList()).as("%s: one start", run).hasSize(1);
            assertThat(info.get(0).start()).isLessThan(info.get(0).time());
            report.append(String.format("%s: cycles %d..%d, %d series, %d data points%n", run, counts.get(0),
                    counts.get(counts.size() - 1), bySeries.size(), mine.size()));
        }
        System.out.print(report + "run0 refused with 503: cycles " + attempted + "; in the spool at the kill: "
                + spooledAtKill.size() + " data points of cycles " + spooledAtKill.stream()
                        .filter(p -> p.series().startsWith("osgimon.cycles{")).map(p -> (long) p.value()).toList() + "\n");

        // kinds and units as the sources declare them (docs/sources.md)
        Map<String, Metric> first = new HashMap<>();
        resources.forEach(rm -> rm.getScopeMetrics(0).getMetricsList().forEach(m -> first.putIfAbsent(m.getName(), m)));
        assertThat(first.get("jvm_memory.used").getDataCase()).isEqualTo(Metric.DataCase.GAUGE);
        assertThat(first.get("jvm_memory.used").getUnit()).isEqualTo("By");
        assertThat(first.get("log_entries.count").getSum().getIsMonotonic()).isTrue();
        assertThat(first.get("log_entries.count").getSum().getAggregationTemporalityValue()).isEqualTo(2);
        assertThat(first.get("log_entries.count").getUnit()).isEqualTo("{entry}");
        assertThat(first.get("process.cpu_user_s").getUnit()).isEqualTo("s");
        assertThat(osgimon.logText()).as("the header value is never logged").doesNotContain("itest-secret");
    }

    /** The data points of the spool's {@code otlp-protobuf-1} records (the layout of docs/delivery.md). */
    private static List<Point> spooled() throws java.io.IOException {
        java.nio.file.Path dir = osgimon.home().resolve("spool");
        List<Point> out = new ArrayList<>();
        if (!java.nio.file.Files.isDirectory(dir)) {
            return out;
        }
        List<java.nio.file.Path> segments;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            segments = files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
        for (java.nio.file.Path seg : segments) {
            byte[] bytes = java.nio.file.Files.readAllBytes(seg);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            int pos = 0;
            while (pos + HEADER <= bytes.length) {
                int magic = b.getInt(pos);
                int len = b.getInt(pos + 4);
                if (magic == OSM1 && len > 0 && pos + HEADER + len <= bytes.length) {
                    pos += HEADER + len;
                    continue;
                }
                if (magic != OSM2 || len < 1 || pos + HEADER + 1 > bytes.length) {
                    break;
                }
                int n = bytes[pos + HEADER] & 0xFF;
                int start = pos + HEADER + 1 + n;
                if (start + len > bytes.length) {
                    break; // torn: the start cuts it too
                }
                String format = new String(bytes, pos + HEADER + 1, n, java.nio.charset.StandardCharsets.US_ASCII);
                if (format.equals("otlp-protobuf-1")) {
                    out.addAll(points(io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest
                            .parseFrom(java.util.Arrays.copyOfRange(bytes, start, start + len)).getResourceMetricsList()));
                }
                pos = start + len;
            }
        }
        return out;
    }

    private static Set<String> runs(OtlpReceiver.Request r) {
        return r.body().getResourceMetricsList().stream()
                .map(rm -> OtlpReceiver.attribute(rm.getResource().getAttributesList(), "host.name"))
                .collect(Collectors.toSet());
    }

    /** The osgimon.cycles values of one run in these requests. */
    private static TreeSet<Long> cycles(List<io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest> bodies,
            String run) {
        return points(bodies.stream().flatMap(b -> b.getResourceMetricsList().stream()).toList()).stream()
                .filter(p -> p.run().equals(run) && p.series().startsWith("osgimon.cycles{"))
                .map(p -> (long) p.value()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Point> points(List<ResourceMetrics> resources) {
        List<Point> out = new ArrayList<>();
        for (ResourceMetrics rm : resources) {
            String run = OtlpReceiver.attribute(rm.getResource().getAttributesList(), "host.name");
            for (Metric m : rm.getScopeMetrics(0).getMetricsList()) {
                List<NumberDataPoint> numbers = switch (m.getDataCase()) {
                    case GAUGE -> m.getGauge().getDataPointsList();
                    case SUM -> m.getSum().getDataPointsList();
                    default -> List.of();
                };
                for (NumberDataPoint p : numbers) {
                    double v = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
                    out.add(new Point(run, m.getName() + attrs(p.getAttributesList()), p.getTimeUnixNano(),
                            p.getStartTimeUnixNano(), v));
                }
                if (m.hasHistogram()) {
                    m.getHistogram().getDataPointsList().forEach(h -> out.add(new Point(run,
                            m.getName() + attrs(h.getAttributesList()), h.getTimeUnixNano(), h.getStartTimeUnixNano(),
                            h.getCount())));
                }
            }
        }
        return out;
    }

    private static String attrs(List<KeyValue> kvs) {
        Map<String, String> sorted = new TreeMap<>();
        kvs.forEach(kv -> sorted.put(kv.getKey(), kv.getValue().getStringValue()));
        return sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }
}
