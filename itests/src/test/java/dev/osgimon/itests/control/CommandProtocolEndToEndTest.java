package dev.osgimon.itests.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;

/**
 * The command protocol over real TCP against the running distribution, as a user with
 * {@code echo CMD | nc 127.0.0.1 2323} sees it: every example of docs/protocol.md with its exact answer,
 * then hostile input, after which the server still answers and nothing has changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandProtocolEndToEndTest {

    private static Distribution osgimon;
    private static int port;

    /** Starts it and sends the first command the moment the port accepts, as a user's script does. */
    @BeforeAll
    static void start() {
        osgimon = Distribution.start(Map.of());
        port = osgimon.port("OSGIMON_COMMAND_PORT");
    }

    @AfterAll
    static void stop() {
        if (osgimon != null) {
            osgimon.close();
        }
    }

    private static String tcp(String line) {
        return Tcp.command(port, line);
    }

    @Test
    @Order(1)
    void specLogExamples() {
        // the distribution's etc/org.ops4j.pax.logging.cfg: root INFO, org.eclipse.jetty WARN
        assertThat(tcp("l")).isEqualTo("ok: *:info,org.eclipse.jetty:warn\n");
        assertThat(tcp("L*:debug")).isEqualTo("ok\n");
        assertThat(tcp("l")).isEqualTo("ok: *:debug\n");
        assertThat(tcp("Lmonitoring-experiments:error")).isEqualTo("ok\n");
        assertThat(tcp("l")).isEqualTo("ok: *:debug,monitoring-experiments:error\n");
        assertThat(tcp("L*:info,monitoring-experiments:debug")).isEqualTo("ok\n");
        assertThat(tcp("l")).isEqualTo("ok: *:info,monitoring-experiments:debug\n");
        assertThat(tcp("l*")).startsWith("ok: *:info,").endsWith("\n")
                .contains(",monitoring-experiments:debug", ",org.eclipse.jetty:info", ",dev.osgimon.core.internal.Collector:info");
        assertThat(tcp("lmonitoring-experiments,dns")).isEqualTo("ok: monitoring-experiments:debug,dns:info\n");
        // every change is logged with the client address and the states before and after
        assertThat(osgimon.logText()).containsPattern("INFO .*CommandProcessor \\| log levels by tcp 127\\.0\\.0\\.1:\\d+: "
                + "'L\\*:debug'; before: \\*:info,org\\.eclipse\\.jetty:warn; after: \\*:debug");
    }

    /** Before the M examples, which switch the monitoring source off (a source declares at its first collection). */
    @Test
    @Order(2)
    void catalogListsWhatTheSourcesDeclaredSortedAndParseable() {
        assertThat(tcp("cnope")).isEqualTo("error: unknown source: nope\n");
        assertThat(tcp("cNope")).startsWith("error: malformed source name 'Nope'");
        Waits.until("the monitoring source declared its fields", Duration.ofSeconds(30), () -> tcp("cmonitoring")
                .contains("osgimon:lines_sent:counter:{line}:monitoring:Lines the target accepted"));

        String all = tcp("c");
        assertThat(all).startsWith("ok: ").endsWith("\n").doesNotContain("\r");
        assertThat(tcp("c*")).isEqualTo(all);
        List<List<String>> entries = Tcp.catalogEntries(all);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e).hasSize(6);
            assertThat(e.get(2)).isIn("gauge", "counter", "histogram");
        });
        List<String> keys = entries.stream().map(e -> e.get(0) + "\u0000" + e.get(1) + "\u0000" + e.get(4)).toList();
        assertThat(keys).as("sorted by measurement, field, source").isSorted();

        List<List<String>> monitoring = Tcp.catalogEntries(tcp("cmonitoring"));
        assertThat(monitoring).isNotEmpty().allSatisfy(e -> assertThat(e.get(4)).isEqualTo("monitoring"))
                .isEqualTo(entries.stream().filter(e -> e.get(4).equals("monitoring")).toList())
                .contains(List.of("osgimon", "buffer_bytes", "gauge", "By", "monitoring", "Bytes waiting in the buffer"));
    }

    @Test
    @Order(3)
    void specMetricsExamples() {
        assertThat(tcp("m")).isEqualTo("ok: *:enabled\n");
        assertThat(tcp("M*:disable,memory:enable,net:enable")).isEqualTo("ok\n");
        assertThat(tcp("m")).isEqualTo("ok: *:disabled,memory:enabled,net:enabled\n");
        assertThat(tcp("mmemory,net")).isEqualTo("ok: memory:enabled,net:enabled\n");
        assertThat(tcp("Mnet:disable")).isEqualTo("ok\n");
        assertThat(tcp("mmemory,net")).isEqualTo("ok: memory:enabled,net:disabled\n");
        assertThat(tcp("Mtag:http:enable")).isEqualTo("ok\n");
        assertThat(tcp("m")).isEqualTo("ok: *:disabled,http:enabled,memory:enabled\n");
        assertThat(tcp("m*")).isEqualTo(
                "ok: *:disabled,tag:http:enabled,dropwizard:disabled,health:disabled,http:enabled,jmx:disabled,"
                        + "log:disabled,memory:enabled,micrometer:disabled,monitoring:disabled,net:disabled,osgi:disabled,"
                        + "process:disabled\n");
        assertThat(tcp("mnope")).isEqualTo("error: unknown source: nope\n");
        assertThat(tcp("M*:enable,nope:disable")).isEqualTo("error: unknown source: nope\n");
        assertThat(tcp("m")).isEqualTo("ok: *:disabled,http:enabled,memory:enabled\n");
    }

    @Test
    @Order(4)
    void hostileInputChangesNothingAndTheServerStaysQuick() throws Exception {
        String sourcesBefore = tcp("m*");
        String levelsBefore = tcp("l");

        // half a line, then silence: answered with a timeout after 10 s, meanwhile everything else goes on
        CompletableFuture<String> silent = CompletableFuture.supplyAsync(() -> {
            try (Socket s = connect()) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write("M*:dis".getBytes(StandardCharsets.US_ASCII));
                long start = System.nanoTime();
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return answer + "|" + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            } catch (IOException e) {
                return "failed: " + e;
            }
        });

        assertThat(raw("\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo("error: empty command (expected L, l, M, m or c)\n");
        assertThat(tcp("x")).isEqualTo("error: unknown command 'x' (expected L, l, M, m or c)\n");
        assertThat(tcp("hello world")).isEqualTo("error: unknown command 'h' (expected L, l, M, m or c)\n");

        byte[] megabyte = new byte[1024 * 1024];
        Arrays.fill(megabyte, (byte) 'M');
        megabyte[megabyte.length - 1] = '\n';
        assertThat(raw(megabyte)).isEqualTo("error: line too long (limit 4096 bytes)\n");

        byte[] garbage = new byte[64 * 1024];
        new Random(42).nextBytes(garbage);
        garbage[0] = (byte) 0xFF;
        String garbageAnswer = raw(garbage);
        assertThat(garbageAnswer).startsWith("error: ").endsWith("\n");
        assertThat(garbageAnswer.strip().chars()).allMatch(c -> c >= 0x20 && c < 0x7f);

        // 500 clients at once, well below commandMaxClients: every one gets its answer
        ExecutorService pool = Executors.newFixedThreadPool(500);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    try {
                        return raw("m*\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return "closed";
                    }
                }));
            }
            go.countDown();
            for (Future<String> f : answers) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(sourcesBefore);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(silent.get(30, TimeUnit.SECONDS)).matches("error: timeout \\(no complete line within 10 s\\)\n\\|(9|[1-5]\\d)");

        // still up, nothing changed (latency under load: CommandServerLoadTest reports it)
        assertThat(osgimon.isAlive()).isTrue();
        assertThat(tcp("m*")).isEqualTo(sourcesBefore);
        assertThat(tcp("l")).isEqualTo(levelsBefore);
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    /** Sends bytes as they are, closes the sending side and reads the whole answer. */
    private static String raw(byte[] bytes) throws IOException {
        try (Socket s = connect()) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                // the server answered and closed before all was sent: the answer is still there
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            s.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
