package dev.osgimon.itests.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import dev.osgimon.api.admin.CollectionPreview;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.itests.sources.hello.HelloActivator;
import dev.osgimon.itests.support.InFramework;

/**
 * The http source is stopped, updated and started again 20 times inside a real Felix with Felix HTTP
 * Jetty 12, with requests served by Jetty's pooled threads (which outlive every cycle) in between:
 * each cycle counts its requests, and afterwards no class loader of an old cycle stays reachable.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class HttpSourceReloadInFrameworkTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CYCLES = 20;
    private static final int REQUESTS = 10;

    @TempDir
    static Path tmp;

    @InjectBundleContext
    static BundleContext context;
    @InjectService
    static ConfigurationAdmin cm;
    @InjectService(cardinality = 0)
    static ServiceAware<SourceControl> controls;
    @InjectService(cardinality = 0)
    static ServiceAware<CollectionPreview> previews;

    private static int httpPort;

    @BeforeAll
    static void startSources() throws Exception {
        httpPort = HelloBundle.serve(context, cm, tmp.resolve("hello.jar"));
    }

    private static int get(String path) throws Exception {
        return HelloBundle.send(httpPort, "GET", path);
    }

    private static boolean httpSourceUp() throws InterruptedException {
        return controls.waitForService(WAIT.toMillis()).status().sources().stream().anyMatch(s -> s.name().equals("http"));
    }

    private static long total() throws InterruptedException {
        return LineProtocol.integer(previews.waitForService(WAIT.toMillis()).preview(), "http_response", "total");
    }

    @Test
    void stoppingAndStartingTheSourceTwentyTimesLeavesNoOldClassLoaderReachable() throws Exception {
        Bundle http = InFramework.bundle(context, "dev.osgimon.source.http");
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
            InFramework.refresh(context, http);
            http.start();
        }
        await().atMost(WAIT).until(() -> httpSourceUp() && get(HelloActivator.PATH) == 200);
        assertThat(old.get(CYCLES - 1).get()).as("a new class loader each cycle")
                .isNotSameAs(http.adapt(BundleWiring.class).getClassLoader());

        await("every old class loader collected").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    System.gc();
                    return old.stream().allMatch(ref -> ref.get() == null);
                });
    }
}
