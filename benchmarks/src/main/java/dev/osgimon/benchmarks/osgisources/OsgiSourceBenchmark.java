package dev.osgimon.benchmarks.osgisources;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

import dev.osgimon.api.MetricSource;

/**
 * One cycle of the {@code osgi} source in a real Felix 7 with the real Felix SCR: 500 installed
 * bundles (plus the framework's own few) holding 1,000 Declarative Services components, two per
 * bundle, satisfied and never activated. The source is the real bundle, activated by SCR; the
 * osgimon API comes from the class path through the system bundle so the benchmark can call it.
 * Run from the repository root (the bundles are read from {@code benchmarks/target/bench-bundles}):
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar OsgiSourceBenchmark -prof gc</pre>
 *
 * {@code components=false} is the same cycle without the SCR DTO walk. Nothing changes in the
 * framework while it runs, so the source reads no DTO after its first cycle: this measures a cycle
 * in which nothing changed. A cycle after a change costs what the whole walk cost before the source
 * kept its state (docs/cost.md: about 15 ms and 2.6 MB for this framework).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OsgiSourceBenchmark {

    private static final int BUNDLES = 500;
    private static final int COMPONENTS_PER_BUNDLE = 2;

    @Param({"true", "false"})
    public boolean components;

    private Path dir;
    private Framework framework;
    private MetricSource source;
    private NullWriter out;

    @Setup(Level.Trial)
    public void start(Blackhole bh) throws Exception {
        out = new NullWriter(bh);
        Path bundles = Path.of(System.getProperty("osgimon.bench.bundles", "benchmarks/target/bench-bundles"));
        if (!Files.isRegularFile(bundles.resolve("org.apache.felix.scr.jar"))) {
            throw new IllegalStateException("No bundles in " + bundles.toAbsolutePath()
                    + ": build with mvn package and run from the repository root");
        }
        dir = Files.createTempDirectory("osgimon-bench-osgi");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                "dev.osgimon.api;version=" + exportedVersion(bundles.resolve("dev.osgimon.api.jar"), "dev.osgimon.api"));
        config.put("felix.log.level", "1");
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.start();
        BundleContext context = framework.getBundleContext();
        for (String jar : new String[] {"org.osgi.util.function.jar", "org.osgi.util.promise.jar",
                "org.osgi.service.component.jar", "org.apache.felix.scr.jar"}) {
            context.installBundle(bundles.resolve(jar).toUri().toString()).start();
        }
        for (int i = 0; i < BUNDLES; i++) {
            context.installBundle(componentBundle(i).toUri().toString()).start();
        }
        context.installBundle(bundles.resolve("dev.osgimon.source.osgi.jar").toUri().toString()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (source == null) {
            Collection<ServiceReference<MetricSource>> refs =
                    context.getServiceReferences(MetricSource.class, "(" + MetricSource.NAME + "=osgi)");
            if (!refs.isEmpty()) {
                source = context.getService(refs.iterator().next());
            } else if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the osgi source did not come up");
            } else {
                Thread.sleep(50);
            }
        }
        if (!components) {
            switchComponentsOff();
        }
        if (context.getBundles().length < BUNDLES || framework.getState() != Bundle.ACTIVE) {
            throw new IllegalStateException("framework not ready");
        }
    }

    /** Without ConfigAdmin in this framework, the configuration is swapped the way SCR's modified would. */
    private void switchComponentsOff() throws ReflectiveOperationException {
        Class<?> configType = source.getClass().getClassLoader()
                .loadClass("dev.osgimon.source.osgi.internal.OsgiConfig");
        Object off = java.lang.reflect.Proxy.newProxyInstance(configType.getClassLoader(), new Class<?>[] {configType},
                (proxy, method, args) -> switch (method.getName()) {
                    case "components" -> false;
                    case "maxProblems" -> 100;
                    case "annotationType" -> configType;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        java.lang.reflect.Method modified = source.getClass().getDeclaredMethod("modified", configType);
        modified.setAccessible(true);
        modified.invoke(source, off);
    }

    private Path componentBundle(int i) throws IOException {
        Path jar = dir.resolve("c" + i + ".jar");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "bench.components" + i);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Service-Component", "OSGI-INF/components.xml");
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<components xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\">\n");
        for (int c = 0; c < COMPONENTS_PER_BUNDLE; c++) {
            xml.append("<scr:component name=\"bench.c").append(i).append('.').append(c).append("\">")
                    .append("<implementation class=\"bench.NeverLoaded\"/>")
                    .append("<service><provide interface=\"bench.Nothing").append(c).append("\"/></service>")
                    .append("</scr:component>\n");
        }
        xml.append("</components>\n");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("OSGI-INF/components.xml"));
            out.write(xml.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(30_000);
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    @Benchmark
    public void cycle() throws Exception {
        source.collect(out);
    }

    /**
     * The version at which a bundle exports a package: the system bundle exports the API from the
     * class path at the API bundle's own version, so the source bundle resolves against it.
     */
    private static String exportedVersion(Path jar, String pkg) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            String exports = j.getManifest().getMainAttributes().getValue("Export-Package");
            Matcher m = Pattern
                    .compile("(?:^|,)" + Pattern.quote(pkg) + ";(?:[^,\"]|\"[^\"]*\")*?version=\"?([0-9.]+)")
                    .matcher(exports == null ? "" : exports);
            if (!m.find()) {
                throw new IllegalStateException(jar + " does not export " + pkg);
            }
            return m.group(1);
        }
    }
}
