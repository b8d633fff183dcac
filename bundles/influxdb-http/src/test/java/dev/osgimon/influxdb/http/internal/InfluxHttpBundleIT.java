package dev.osgimon.influxdb.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The built bundle in a plain Felix 7 with nothing but the osgimon API, SCR (and its OSGi service
 * bundles) and pax-logging-api: it resolves, starts, registers the http/https factory without
 * configuration properties on the registration, writes through its embedded client, and its
 * threads end when the framework stops.
 */
class InfluxHttpBundleIT {

    private Path storage;
    private Framework framework;
    private FakeInflux server;

    @BeforeEach
    void start() throws Exception {
        storage = Files.createTempDirectory("osgimon-felix");
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(props);
        framework.start();
        server = new FakeInflux();
    }

    @AfterEach
    void stop() throws Exception {
        if (framework.getState() == Bundle.ACTIVE) {
            framework.stop();
            framework.waitForStop(10_000);
        }
        server.close();
        try (Stream<Path> files = Files.walk(storage)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void resolvesStartsAndWritesInPlainFelix() throws Exception {
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (String path : System.getProperty("it.bundles").split(",")) {
            installed.add(ctx.installBundle(Path.of(path).toUri().toString()));
        }
        Bundle bundle = ctx.installBundle(Path.of(System.getProperty("it.bundle")).toUri().toString());
        installed.add(bundle);
        for (Bundle b : installed) {
            b.start();
        }
        assertThat(bundle.getState()).as("bundle state").isEqualTo(Bundle.ACTIVE);
        assertThat(bundle.getSymbolicName()).isEqualTo("dev.osgimon.influxdb.http");

        String factoryClass = "dev.osgimon.api.transport.TransportFactory";
        await().atMost(Duration.ofSeconds(10)).until(() -> ctx.getAllServiceReferences(factoryClass, null) != null);
        ServiceReference<?> ref = ctx.getAllServiceReferences(factoryClass, null)[0];
        assertThat(ref.getBundle()).isEqualTo(bundle);
        assertThat((String[]) ref.getProperty("osgimon.transport.schemes")).containsExactly("http", "https");
        assertThat(ref.getPropertyKeys()).as("no configuration on the registration")
                .doesNotContain("token", "password", "username", "database");

        Object factory = ctx.getService(ref);
        // the framework's Target interface, backed by a target parsed as the core parses it
        Class<?> targetType = factory.getClass().getClassLoader().loadClass("dev.osgimon.api.transport.Target");
        Object parsed = TestConfigs.target(server.url());
        Object target = Proxy.newProxyInstance(targetType.getClassLoader(), new Class<?>[] {targetType},
                (proxy, method, args) -> parsed.getClass().getMethod(method.getName(), method.getParameterTypes())
                        .invoke(parsed, args));
        Object writer = factory.getClass().getMethod("create", targetType).invoke(factory, target);
        byte[] lines = "osgi_it,vm=felix v=1i,f=2.5,b=true,s=\"x\" 1700000000000000000\n".getBytes(StandardCharsets.UTF_8);
        Class<?> api = writer.getClass().getClassLoader().loadClass("dev.osgimon.api.transport.LineWriter");
        Object result = api.getMethod("write", byte[].class, int.class, int.class, int.class)
                .invoke(writer, lines, 0, lines.length, 1);
        assertThat(result.toString()).contains("DELIVERED");
        assertThat(server.lines()).hasSize(1);
        FakeInflux.Received r = server.requests().get(0);
        assertThat(r.path()).isEqualTo("/api/v2/write");
        assertThat(r.query()).contains("org=osgimon", "bucket=osgimon", "precision=ns");
        assertThat(r.encoding()).isEqualTo("gzip");
        assertThat(r.lines()).containsExactly("osgi_it,vm=felix v=1i,f=2.5,b=true,s=\"x\" 1700000000000000000");
        // the caller owns the writer and closes it; the factory keeps none
        api.getMethod("close").invoke(writer);
        bundle.stop();
        assertThat(bundle.getState()).isEqualTo(Bundle.RESOLVED);
        assertThat(Arrays.stream(ctx.getBundles()).filter(b -> b.getState() != Bundle.ACTIVE
                && b.getBundleId() != 0 && b != bundle)).isEmpty();
    }
}
