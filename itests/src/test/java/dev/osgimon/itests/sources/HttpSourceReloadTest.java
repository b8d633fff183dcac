package dev.osgimon.itests.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.osgimon.api.admin.CollectionPreview;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.itests.sources.hello.HelloActivator;

/**
 * The http source is stopped, updated and started again 20 times in a real Felix with Felix HTTP
 * Jetty 12, with requests served by Jetty's pooled threads (which outlive every cycle) in between:
 * each cycle counts its requests, and afterwards no class loader of an old cycle stays reachable.
 */
class HttpSourceReloadTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CYCLES = 20;
    private static final int REQUESTS = 10;

    @TempDir
    static Path tmp;

    private static FelixRunner felix;
    private static SourceControl control;
    private static CollectionPreview preview;
    private static int httpPort;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startFramework() throws Exception {
        felix = FelixRunner.start(tmp.resolve("felix"), Map.of(
                "org.osgi.service.http.port", "0",
                "org.apache.felix.http.host", "127.0.0.1"));
        FelixRunner.start(felix.install("pax-logging-api", "org.apache.felix.configadmin", "org.osgi.util.function",
                "org.osgi.util.promise", "org.osgi.service.component", "org.apache.felix.scr",
                "org.apache.felix.http.servlet-api", "commons-io", "commons-fileupload", "org.apache.felix.http.jetty12"));
        httpPort = felix.httpPort(30);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("target", "udp://127.0.0.1:9");
        props.put("interval", 3600);
        props.put("commandPort", 0);
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            felix.service(ConfigurationAdmin.class, 30).getConfiguration("dev.osgimon.core", "?").update(props);
            return true;
        });
        FelixRunner.start(felix.install("dev.osgimon.core", "dev.osgimon.source.http"));
        FelixRunner.start(List.of(felix.install(HelloBundle.write(tmp.resolve("hello.jar")))));
        control = felix.service(SourceControl.class, 30);
        preview = felix.service(CollectionPreview.class, 30);
    }

    @AfterAll
    static void stopFramework() throws Exception {
        if (felix != null) {
            felix.close();
        }
    }

    private static int get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static boolean httpSourceUp() {
        return control.status().sources().stream().anyMatch(s -> s.name().equals("http"));
    }

    private static long total() {
        return LineProtocol.integer(preview.preview(), "http_response", "total");
    }

    @Test
    void stoppingAndStartingTheSourceTwentyTimesLeavesNoOldClassLoaderReachable() throws Exception {
        Bundle http = felix.bundle("dev.osgimon.source.http");
        List<WeakReference<ClassLoader>> old = new ArrayList<>();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            await().atMost(WAIT).until(() -> httpSourceUp() && get(HelloActivator.PATH) == 200);
            long before = total();
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(get(HelloActivator.PATH)).isEqualTo(200);
            }
            long expected = before + REQUESTS;
            await("cycle " + cycle + " counts its requests").atMost(WAIT).until(() -> total() == expected);
            old.add(new WeakReference<>(http.adapt(BundleWiring.class).getClassLoader()));
            http.stop();
            http.update();
            refresh(http);
            http.start();
        }
        await().atMost(WAIT).until(() -> httpSourceUp() && get(HelloActivator.PATH) == 200);
        assertThat(http.adapt(BundleWiring.class).getClassLoader()).as("a new class loader each cycle")
                .isNotSameAs(old.get(CYCLES - 1).get());

        await("every old class loader collected").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    System.gc();
                    return old.stream().allMatch(ref -> ref.get() == null);
                });
    }

    private static void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        felix.context().getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertThat(done.await(30, TimeUnit.SECONDS)).as("refresh done").isTrue();
    }
}
