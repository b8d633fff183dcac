package dev.osgimon.influxdb.http.internal;

import static dev.osgimon.influxdb.http.internal.HttpWriterTest.write;
import static dev.osgimon.influxdb.http.internal.TestConfigs.config;
import static dev.osgimon.influxdb.http.internal.TestConfigs.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.WriteResult;

/**
 * {@code https://} targets through the embedded OkHttp with the JVM's trust store (here a
 * self-signed certificate made by keytool and named by {@code javax.net.ssl.trustStore}), in both
 * modes.
 */
class HttpsTest {

    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor();
    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        // the JVM-wide trust store, as a user with a private CA would set it
        System.setProperty("javax.net.ssl.trustStore", keystore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
            }
            RECEIVED.add(exchange.getRequestURI().getPath() + " " + new String(body, StandardCharsets.UTF_8).trim());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(EXECUTOR);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        EXECUTOR.shutdownNow();
    }

    @Test
    void writesOverTlsInBothModes() {
        dev.osgimon.api.transport.Target target = target("https://127.0.0.1:" + server.getAddress().getPort());
        LineWriter v1 = new InfluxHttpTransportFactory(config(Map.of("database", "db"))).create(target);
        LineWriter v2 = new InfluxHttpTransportFactory(config(Map.of("token", "t"))).create(target);
        try {
            assertThat(write(v1, "tls v=1i 1")).isEqualTo(WriteResult.delivered());
            assertThat(write(v2, "tls v=2i 2")).isEqualTo(WriteResult.delivered());
            await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.size() == 2);
        } finally {
            v1.close();
            v2.close();
        }
        assertThat(RECEIVED).containsExactlyInAnyOrder("/write tls v=1i 1", "/api/v2/write tls v=2i 2");
    }
}
