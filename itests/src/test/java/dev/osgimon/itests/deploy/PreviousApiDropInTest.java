package dev.osgimon.itests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleActivator;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;

/**
 * A drop-in source written for the previous API keeps working: a bundle compiled here, with the
 * JDK's compiler, against the previous API jar alone (the 0.1.0 API bundle kept in
 * {@code baseline/repo}: {@code dev.osgimon.api} 1.1.0, before {@code declare}, {@code Histogram}
 * and the metric model) and the OSGi framework API, importing {@code dev.osgimon.api} in the range
 * a consumer of 1.1.0 gets ({@code [1.1,2)}), is dropped into {@code deploy/} of the real
 * distribution: its source appears in {@code m*} and its points arrive in QuestDB with the values
 * it wrote.
 */
class PreviousApiDropInTest {

    private static final String SOURCE = """
            package dev.osgimon.itest.previousapi;

            import java.util.Hashtable;

            import org.osgi.framework.BundleActivator;
            import org.osgi.framework.BundleContext;
            import org.osgi.framework.ServiceRegistration;

            import dev.osgimon.api.MetricSource;
            import dev.osgimon.api.PointWriter;

            public final class Activator implements BundleActivator, MetricSource {
                private ServiceRegistration<MetricSource> registration;

                @Override
                public void start(BundleContext context) {
                    Hashtable<String, Object> props = new Hashtable<>();
                    props.put(MetricSource.NAME, "previousapi");
                    props.put(MetricSource.TAGS, new String[] {"itest"});
                    registration = context.registerService(MetricSource.class, this, props);
                }

                @Override
                public void stop(BundleContext context) {
                    registration.unregister();
                }

                @Override
                public void collect(PointWriter out) {
                    out.point("previous_api").tag("kind", "dropin").field("answer", 42L).field("ratio", 0.5)
                            .field("ok", true).field("note", "compiled against 1.1.0");
                }
            }
            """;

    private static QuestDb questdb;
    private static Distribution osgimon;
    private static Path work;

    @BeforeAll
    static void start() throws IOException {
        questdb = QuestDb.startNew();
        osgimon = Distribution.start(Map.of(
                "OSGIMON_TARGET", "tcp://127.0.0.1:" + questdb.ilpPort(),
                "OSGIMON_HOSTNAME", "previous-api-itest"));
        work = Files.createTempDirectory("osgimon-previous-api");
    }

    @AfterAll
    static void stop() throws IOException {
        if (osgimon != null) {
            osgimon.close();
        }
        if (questdb != null) {
            questdb.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aSourceCompiledAgainstThePreviousApiLoadsAndItsPointsArrive() throws Exception {
        Path previousApi = Path.of(System.getProperty("osgimon.previous.api"));
        try (JarFile api = new JarFile(previousApi.toFile())) {
            assertThat(api.getManifest().getMainAttributes().getValue("Export-Package"))
                    .as("the previous API jar").contains("dev.osgimon.api;version=\"1.1.0\"");
        }
        Path jar = dropInCompiledAgainst(previousApi);

        int port = osgimon.port("OSGIMON_COMMAND_PORT");
        Path deployed = osgimon.home().resolve("deploy").resolve("previous-api-source.jar");
        Path part = deployed.resolveSibling("previous-api-source.jar.part");
        Files.copy(jar, part);
        Files.move(part, deployed, StandardCopyOption.ATOMIC_MOVE);

        Waits.until("previousapi in m*", Duration.ofSeconds(60),
                () -> Tcp.command(port, "mpreviousapi").equals("ok: previousapi:enabled\n"));
        Waits.until("previous_api rows in QuestDB", Duration.ofSeconds(60),
                () -> questdb.number("select count() from previous_api where vm = 'previous-api-itest'") >= 2);
        List<List<String>> rows = questdb.rows("select kind, answer, ratio, ok, note from previous_api"
                + " where vm = 'previous-api-itest' limit 1");
        assertThat(rows).containsExactly(List.of("dropin", "42", "0.5", "true", "compiled against 1.1.0"));
        assertThat(osgimon.logText()).as("log/osgimon.log").doesNotContain("| ERROR |");
    }

    /** Compiles {@link #SOURCE} against the previous API jar and the OSGi framework API only, into a bundle. */
    private static Path dropInCompiledAgainst(Path previousApi) throws IOException {
        Path src = work.resolve("src/dev/osgimon/itest/previousapi/Activator.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = Files.createDirectories(work.resolve("classes"));
        Path framework;
        try {
            framework = Path.of(BundleActivator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.StringWriter errors = new java.io.StringWriter();
        boolean ok = javac.getTask(errors, null, null, List.of("--release", "17", "-classpath",
                previousApi + java.io.File.pathSeparator + framework, "-d", classes.toString()), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(src.toFile()))
                .call();
        assertThat(ok).as("compiled against %s: %s", previousApi, errors).isTrue();

        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "dev.osgimon.itest.previousapi");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", "dev.osgimon.itest.previousapi.Activator");
        // what bnd writes for a consumer of dev.osgimon.api 1.1.0 and of the framework API
        main.putValue("Import-Package", "dev.osgimon.api;version=\"[1.1,2)\",org.osgi.framework;version=\"[1.8,2)\"");
        Path jar = work.resolve("previous-api-source.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
                Stream<Path> all = Files.walk(classes)) {
            for (Path c : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(c));
                out.closeEntry();
            }
        }
        return jar;
    }
}
