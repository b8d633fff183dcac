package dev.osgimon.benchmarks.influx;

import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApi;
import com.influxdb.client.WriteOptions;
import com.influxdb.client.domain.WritePrecision;

import dev.osgimon.influxdb.http.internal.InfluxHttpConfig;
import dev.osgimon.core.internal.delivery.Outbox;
import dev.osgimon.core.internal.delivery.ParsedTarget;
import dev.osgimon.influxdb.http.internal.InfluxHttpTransportFactory;

/**
 * What the collection thread pays to hand one cycle (100 encoded lines, ~9 KB) to an HTTP
 * transport while the target is down (the buffer is full, so every cycle also drops the oldest
 * 100 lines): osgimon's http transport ({@code send} of the encoded bytes) against the peer,
 * influxdb-client-java's asynchronous {@code WriteApi.writeRecord} of the same lines as a String.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar HttpSendBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HttpSendBenchmark {

    private byte[] cycle;
    private Outbox transport;
    private InfluxDBClient client;
    private WriteApi writeApi;

    @Setup
    public void setup() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            b.append("jvm_memory,vm=app-server-01,pool=G1\\ Old\\ Gen,kind=heap used=").append(123_456_789L + i)
                    .append("i,committed=268435456i,ratio=0.4599").append(i).append(",ok=true 1700000000000000000\n");
        }
        cycle = b.toString().getBytes(StandardCharsets.UTF_8);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nobody listens, the target is down
        }
        String url = "http://127.0.0.1:" + port;
        InfluxHttpConfig config = config(Map.of("database", "db"));
        // the core's outbox in front of the HTTP writer, as the core runs it; backoff of 10 minutes
        transport = new Outbox("bench-outbox", 10_000, 256L << 20, 600_000, 600_000);
        transport.useWriter(url, () -> new InfluxHttpTransportFactory(config).create(ParsedTarget.parse(url)));

        client = InfluxDBClientFactory.create(InfluxDBClientOptions.builder().url(url).org("o").bucket("b").build());
        writeApi = client.makeWriteApi(WriteOptions.builder().bufferLimit(10_000).batchSize(5000)
                .flushInterval(1000).retryInterval(600_000).maxRetryDelay(600_000).build());
    }

    @TearDown
    public void tearDown() {
        transport.close();
        writeApi.close();
        client.close();
    }

    /** osgimon: append the cycle's bytes to the outbox (memory buffer, target down). */
    @Benchmark
    public Object osgimonHttpTransport() {
        transport.append(cycle, 0, cycle.length, 100);
        return transport;
    }

    /** influxdb-client-java: the same lines as one record into the asynchronous WriteApi. */
    @Benchmark
    public Object influxClientWriteApi() {
        writeApi.writeRecord(WritePrecision.NS, new String(cycle, StandardCharsets.UTF_8));
        return writeApi;
    }

    static InfluxHttpConfig config(Map<String, Object> props) {
        return (InfluxHttpConfig) Proxy.newProxyInstance(InfluxHttpConfig.class.getClassLoader(),
                new Class<?>[] {InfluxHttpConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return InfluxHttpConfig.class;
                    }
                    return props.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }
}
