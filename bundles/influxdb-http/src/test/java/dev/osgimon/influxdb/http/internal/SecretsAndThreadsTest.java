package dev.osgimon.influxdb.http.internal;

import static dev.osgimon.influxdb.http.internal.HttpWriterTest.write;
import static dev.osgimon.influxdb.http.internal.TestConfigs.config;
import static dev.osgimon.influxdb.http.internal.TestConfigs.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.WriteResult;

class SecretsAndThreadsTest {

    private static final String TOKEN = "tok-Zq81-very-secret";
    private static final String PASSWORD = "pw-Xy77-very-secret";
    private static final String URI_PASSWORD = "uripw-Kk55-secret";

    @Test
    void tokensAndPasswordsAppearInNoLogLineNoMessageAndNoToString() throws Exception {
        try (FakeInflux server = new FakeInflux()) {
            server.status(401);
            server.errorBody("{\"error\":\"authorization failed\"}");
            InfluxHttpTransportFactory v1 = new InfluxHttpTransportFactory(config(Map.of("database", "db",
                    "username", "bob", "password", PASSWORD)));
            InfluxHttpTransportFactory v2 = new InfluxHttpTransportFactory(config(Map.of("token", TOKEN)));
            InfluxHttpTransportFactory fromUri = new InfluxHttpTransportFactory(config(Map.of("database", "db")));
            LineWriter a = v1.create(target(server.url()));
            LineWriter b = v2.create(target(server.url()));
            LineWriter c = fromUri.create(target("http://carol:" + URI_PASSWORD + "@127.0.0.1:" + server.port()));
            // and one whose target does not answer at all: a bound socket that does not listen
            java.net.Socket holder = new java.net.Socket();
            holder.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            LineWriter d = v2.create(target("http://127.0.0.1:" + holder.getLocalPort()));
            java.util.List<WriteResult> failed = new java.util.ArrayList<>();
            for (LineWriter t : new LineWriter[] {a, b, c, d}) {
                WriteResult r = write(t, "m v=1i 1");
                failed.add(r);
                org.slf4j.LoggerFactory.getLogger("test").warn("write failed: {}", r.reason());
            }
            assertThat(failed).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(WriteResult.Outcome.RETRY));
            holder.close();

            // the credentials were used...
            assertThat(server.requests()).isEmpty();
            server.status(204);
            for (LineWriter t : new LineWriter[] {a, b, c}) {
                assertThat(write(t, "m v=1i 1")).isEqualTo(WriteResult.delivered());
            }
            assertThat(server.requests()).hasSize(3);
            assertThat(server.requests()).extracting(FakeInflux.Received::authorization)
                    .contains("Token " + TOKEN).anyMatch(h -> h.startsWith("Basic "));

            // ...and never shown
            for (LineWriter t : new LineWriter[] {a, b, c, d}) {
                assertThat(t.toString()).doesNotContain(TOKEN, PASSWORD, URI_PASSWORD).contains("****");
            }
            assertThat(Settings.of(target("http://h:1"), config(Map.of("token", TOKEN, "password", PASSWORD)))
                    .toString()).doesNotContain(TOKEN, PASSWORD);
            assertThatThrownBy(() -> fromUri.create(target("http://carol:" + URI_PASSWORD + "@h:1/?db=x")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(URI_PASSWORD).contains("http://h:1/"));
            for (LineWriter t : new LineWriter[] {a, b, c, d}) {
                t.close();
            }
        }
        String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
        assertThat(log).as("the failures were logged").contains("HTTP 401", "ConnectException");
        assertThat(log).doesNotContain(TOKEN, PASSWORD, URI_PASSWORD);
    }

    @Test
    void closeLeavesNoThreadBehind() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        try (FakeInflux server = new FakeInflux()) {
            for (Map<String, Object> config : java.util.List.<Map<String, Object>>of(Map.of("database", "db"),
                    Map.of("token", "t"))) {
                LineWriter t = new InfluxHttpTransportFactory(config(config)).create(target(server.url()));
                assertThat(write(t, "m v=1i 1")).isEqualTo(WriteResult.delivered());
                t.close();
            }
        }
        // the writers start no thread of their own
        assertThat(newThreads(before)).noneMatch(name -> name.startsWith("osgimon-"));
        // OkHttp's connection-pool runner and Okio's timeout watchdog are shared daemon threads of the
        // embedded OkHttp that end by themselves after 60 s without work
        assertThat(newThreads(before)).allMatch(name -> name.startsWith("OkHttp") || name.startsWith("Okio"));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).pollInSameThread()
                .untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
    }

    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName).collect(Collectors.toSet());
    }
}
