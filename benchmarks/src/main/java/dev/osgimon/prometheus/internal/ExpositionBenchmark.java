package dev.osgimon.prometheus.internal;

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

import dev.osgimon.api.model.Kind;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * One scrape of 10,000 series (50 gauge and 50 counter families of 100 series, labels {@code vm} and
 * {@code pool}): the scrape endpoint's renderer against Prometheus client_java 1.10's
 * {@code PrometheusTextFormatWriter} and {@code OpenMetricsTextFormatWriter} writing the same series
 * from their own snapshot model, each into memory. Time per scrape; with {@code -prof gc} the bytes
 * allocated per scrape ({@code gc.alloc.rate.norm}). The endpoint renders a cycle once and serves the
 * cached bytes to every further scrape of it ({@link #osgimonCachedScrape}).
 *
 * <p>It sits in the renderer's package (on the plain class path here) to reach its package-private types.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ExpositionBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExpositionBenchmark {

    static final int FAMILIES = 100;
    static final int SERIES_PER_FAMILY = 100;

    private List<Family> families;
    private final Exposition exposition = new Exposition();
    private Snapshot snapshot;
    private MetricSnapshots peer;
    private final PrometheusTextFormatWriter peerText = PrometheusTextFormatWriter.create();
    private final OpenMetricsTextFormatWriter peerOpenMetrics = OpenMetricsTextFormatWriter.create();
    private final ByteArrayOutputStream peerOut = new ByteArrayOutputStream(1 << 20);

    @Setup
    public void setup() throws IOException {
        families = new ArrayList<>();
        List<MetricSnapshot> peers = new ArrayList<>();
        for (int f = 0; f < FAMILIES; f++) {
            boolean counter = f % 2 == 1;
            String name = "bench_family_" + f + "_value";
            String help = "Benchmark family " + f;
            List<Series> series = new ArrayList<>();
            GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
            CounterSnapshot.Builder count = CounterSnapshot.builder().name(name).help(help);
            for (int s = 0; s < SERIES_PER_FAMILY; s++) {
                String pool = "pool-" + s;
                Labels labels = Labels.of("vm", "host-1", "pool", pool);
                String[] ln = {"vm", "pool"};
                String[] lv = {"host-1", pool};
                if (counter) {
                    long v = 1_000_000L * f + s;
                    series.add(Series.value(ln, lv, Series.LONG, v));
                    count.dataPoint(CounterDataPointSnapshot.builder().value(v).labels(labels).build());
                } else {
                    double v = f * 1.5 + s * 0.25 + 0.125;
                    series.add(Series.value(ln, lv, Series.DOUBLE, Double.doubleToRawLongBits(v)));
                    gauge.dataPoint(GaugeDataPointSnapshot.builder().value(v).labels(labels).build());
                }
            }
            families.add(new Family(name, counter ? Kind.COUNTER : Kind.GAUGE, "", help, series));
            peers.add(counter ? count.build() : gauge.build());
        }
        peer = new MetricSnapshots(peers);
        snapshot = new Snapshot(1, families, exposition);
        snapshot.bytes(Format.TEXT, false);
        System.out.printf("%nbytes per scrape: osgimon text %d, client_java text %d; osgimon OpenMetrics %d,"
                + " client_java OpenMetrics %d%n", osgimonText().length, peerText(), osgimonOpenMetrics().length,
                peerOpenMetrics());
    }

    /** The first scrape of a cycle: render text 0.0.4 (into the renderer's scratch buffer, then the exact result kept). */
    @Benchmark
    public byte[] osgimonText() {
        return exposition.render(families, Format.TEXT);
    }

    @Benchmark
    public byte[] osgimonOpenMetrics() {
        return exposition.render(families, Format.OPENMETRICS);
    }

    /** Every further scrape of the same cycle. */
    @Benchmark
    public byte[] osgimonCachedScrape() {
        return snapshot.bytes(Format.TEXT, false);
    }

    @Benchmark
    public int peerText() throws IOException {
        peerOut.reset();
        peerText.write(peerOut, peer);
        return peerOut.size();
    }

    @Benchmark
    public int peerOpenMetrics() throws IOException {
        peerOut.reset();
        peerOpenMetrics.write(peerOut, peer);
        return peerOut.size();
    }
}
