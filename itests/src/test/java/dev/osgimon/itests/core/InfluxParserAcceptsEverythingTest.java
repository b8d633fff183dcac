package dev.osgimon.itests.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.InfluxDb1;
import dev.osgimon.itests.support.Waits;

/**
 * What the distribution pushes to a TCP listener (as Telegraf's socket_listener on 8094 would get
 * it), handed unchanged to InfluxDB 1.6's strict parser: every line of every shipped source is
 * accepted.
 */
class InfluxParserAcceptsEverythingTest {

    @Test
    void influxDb16AcceptsEveryLineTheDistributionSends() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             InfluxDb1 influx = InfluxDb1.startNew()) {
            Thread rx = new Thread(() -> {
                try (Socket s = listener.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = in.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (Exception e) {
                    // listener closed at the end of the test
                }
            });
            rx.start();
            try (Distribution osgimon = Distribution.start(Map.of(
                    "OSGIMON_TARGET", "tcp://127.0.0.1:" + listener.getLocalPort(),
                    "OSGIMON_HOSTNAME", "parser test"))) {
                HttpClient http = HttpClient.newHttpClient();
                int httpPort = osgimon.port("OSGIMON_HTTP_PORT");
                Waits.until("HTTP answers", Duration.ofSeconds(30), () -> {
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/nothing"))
                                .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 404;
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                Waits.until("every shipped source pushed twice", Duration.ofSeconds(60),
                        () -> measurements(lines).containsAll(List.of("osgimon", "osgimon_source", "jvm_memory",
                                "jvm_gc", "net", "http_response", "http_latency_bucket"))
                                && lines.stream().filter(l -> l.startsWith("http_response,")).count() >= 2);
            }
            listener.close();
            rx.join(5000);

            influx.execute("CREATE DATABASE parser");
            String body = String.join("\n", lines) + "\n";
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + influx.httpPort() + "/write?db=parser&precision=ns"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("InfluxDB 1.6 /write answer: %s", r.body()).isEqualTo(204);

            List<String> stored = influx.query("parser", "SHOW MEASUREMENTS").stream().map(m -> m.get("name"))
                    .collect(Collectors.toList());
            assertThat(stored).containsExactlyInAnyOrderElementsOf(measurements(lines));
            assertThat(influx.query("parser", "SELECT count(lines_sent) FROM osgimon WHERE vm = 'parser test'"))
                    .isNotEmpty();
        }
    }

    private static List<String> measurements(List<String> lines) {
        return lines.stream().map(l -> l.substring(0, firstUnescaped(l))).distinct().collect(Collectors.toList());
    }

    private static int firstUnescaped(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ',' || c == ' ') {
                return i;
            }
        }
        return line.length();
    }
}
