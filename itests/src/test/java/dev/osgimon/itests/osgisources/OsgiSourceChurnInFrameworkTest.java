package dev.osgimon.itests.osgisources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import dev.osgimon.api.MetricSource;
import dev.osgimon.api.PointWriter;
import dev.osgimon.itests.osgisources.probes.ChurnComponent;
import dev.osgimon.itests.support.InFramework;

/**
 * The {@code osgi} source keeps bundle counts and component states between cycles and reads them
 * again only after an event that can change them. This test proves that exact against a full
 * rebuild, in a real Felix with SCR and ConfigAdmin: 200 random changes (seeded) — bundles with
 * Declarative Services components installed and uninstalled, components enabled and disabled
 * through the {@link ServiceComponentRuntime}, configurations created, updated and deleted — and
 * after each one the source's {@code osgi_bundles}, {@code osgi_components} and
 * {@code osgi_component_problem} points are compared with the same points built from scratch from
 * {@link BundleContext#getBundles()} and the SCR DTOs. A change reaches the source when SCR has
 * published it (its own events, or its {@code service.changecount}, which the in-framework runtime
 * publishes after 100 ms: {@code ds.service.changecount.timeout} in {@code in-framework.bndrun});
 * the source must agree then, and in the next cycle, with nothing in between.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class OsgiSourceChurnInFrameworkTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CHANGES = 200;
    private static final int PROBLEM_TEXT_MAX = 200;
    private static final String COMPONENT = ChurnComponent.class.getName();

    @TempDir
    static Path tmp;

    @InjectBundleContext
    static BundleContext context;
    @InjectService
    static ConfigurationAdmin cm;
    @InjectService
    static ServiceComponentRuntime scr;

    private static MetricSource osgi;
    private static int initialLevel;
    private static final List<Bundle> installed = new ArrayList<>();
    private static final Map<Integer, Configuration> configurations = new TreeMap<>();

    @BeforeAll
    static void startOsgimon() throws Exception {
        if (context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel() < InFramework.OSGIMON_LEVEL) {
            // as the other in-framework tests: no command server, a target that takes anything, no own cycles
            Hashtable<String, Object> core = new Hashtable<>();
            core.put("target", "udp://127.0.0.1:9");
            core.put("interval", 3600);
            InFramework.configure(cm, "dev.osgimon.core", core);
            Hashtable<String, Object> command = new Hashtable<>();
            command.put("commandPort", 0);
            InFramework.configure(cm, "dev.osgimon.command", command);
            InFramework.startOsgimon(context);
        }
        // the launcher's initial bundle start level lies above the framework's: the churn bundles start at 1
        FrameworkStartLevel levels = context.getBundle(0).adapt(FrameworkStartLevel.class);
        initialLevel = levels.getInitialBundleStartLevel();
        levels.setInitialBundleStartLevel(1);
        osgi = await("the osgi source").atMost(WAIT).until(() -> {
            var refs = context.getServiceReferences(MetricSource.class, "(" + MetricSource.NAME + "=osgi)");
            return refs.isEmpty() ? null : context.getService(refs.iterator().next());
        }, s -> s != null);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (Bundle b : installed) {
            b.uninstall();
        }
        for (Configuration c : configurations.values()) {
            c.delete();
        }
        context.getBundle(0).adapt(FrameworkStartLevel.class).setInitialBundleStartLevel(initialLevel);
    }

    @Test
    void twoHundredChangesAndTheSourceAgreesWithAFullRebuildAfterEach() throws Exception {
        Random random = new Random(23);
        int next = 0;
        Map<String, Integer> kinds = new TreeMap<>();
        assertAgree("before any change");
        for (int change = 1; change <= CHANGES; change++) {
            double r = random.nextDouble();
            String what;
            if (installed.size() < 3 || r < 0.30) {
                what = "install";
                install(next++, random.nextInt(next + 3));
            } else if (r < 0.55) {
                what = "uninstall";
                Bundle b = installed.remove(random.nextInt(installed.size()));
                b.uninstall();
            } else if (r < 0.80) {
                what = toggle(random) ? "enable" : "disable";
            } else {
                what = configure(random.nextInt(next), random);
            }
            kinds.merge(what, 1, Integer::sum);
            assertAgree("change " + change + " (" + what + ")");
        }
        assertThat(kinds).as("every kind of change happened").containsKeys("install", "uninstall", "enable", "disable",
                "configuration created", "configuration updated", "configuration deleted");
    }

    /**
     * Waits until the source agrees with a full rebuild (SCR publishes some changes on its own thread), then
     * collects once more: the next cycle must agree too.
     */
    private static void assertAgree(String after) throws Exception {
        await(after).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(fromSource()).isEqualTo(rebuilt()));
        assertThat(fromSource()).as("the next cycle after " + after).isEqualTo(rebuilt());
    }

    /** Bundle {@code churn.<n>}: a service, a consumer of bundle {@code peer}'s service, a configured one, a disabled one, sometimes a broken one. */
    private static void install(int n, int peer) throws Exception {
        TestBundle bundle = TestBundle.named("churn." + n).classes(ChurnComponent.class)
                .resource("OSGI-INF/provider.xml", component(n, "provider", "",
                        "<service><provide interface=\"java.lang.Runnable\"/></service>"
                                + "<property name=\"churn.provides\" value=\"" + n + "\"/>"))
                .resource("OSGI-INF/consumer.xml", component(n, "consumer", " immediate=\"true\"",
                        "<reference name=\"peer\" interface=\"java.lang.Runnable\" cardinality=\"1..1\""
                                + " target=\"(churn.provides=" + peer + ")\"/>"))
                .resource("OSGI-INF/configured.xml", component(n, "configured",
                        " immediate=\"true\" configuration-policy=\"require\" configuration-pid=\"churn.cfg." + n + "\"", ""))
                .resource("OSGI-INF/disabled.xml", component(n, "disabled", " immediate=\"true\" enabled=\"false\"", ""));
        String files = "OSGI-INF/provider.xml,OSGI-INF/consumer.xml,OSGI-INF/configured.xml,OSGI-INF/disabled.xml";
        if (n % 5 == 0) {
            bundle.resource("OSGI-INF/broken.xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.4.0" name="churn.%d.broken" immediate="true">
                      <implementation class="dev.osgimon.itests.osgisources.probes.NoSuchComponent"/>
                    </scr:component>
                    """.formatted(n));
            files += ",OSGI-INF/broken.xml";
        }
        bundle.header("Service-Component", files);
        Path dir = Files.createDirectories(tmp.resolve("b" + n));
        Path jar = bundle.writeInto(dir);
        Bundle b;
        try (InputStream in = Files.newInputStream(jar)) {
            b = context.installBundle("churn:" + n, in);
        }
        installed.add(b);
        b.adapt(BundleStartLevel.class).setStartLevel(1);
        b.start();
        await("churn." + n + " active").atMost(WAIT).until(() -> b.getState() == Bundle.ACTIVE);
        // SCR reads a started bundle's descriptions on its own thread: the change is done once it has
        int expected = n % 5 == 0 ? 5 : 4;
        await("SCR has read churn." + n).atMost(WAIT).until(() -> scr.getComponentDescriptionDTOs(b).size() == expected);
    }

    private static String component(int n, String name, String attributes, String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" name=\"churn." + n + "." + name + "\""
                + attributes + ">\n  <implementation class=\"" + COMPONENT + "\"/>\n  " + body + "\n</scr:component>\n";
    }

    /** Enables or disables a random component of a churn bundle; @return whether it enabled */
    private static boolean toggle(Random random) throws Exception {
        List<ComponentDescriptionDTO> churn = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.name.startsWith("churn.")) {
                churn.add(d);
            }
        }
        ComponentDescriptionDTO d = churn.get(random.nextInt(churn.size()));
        boolean enable = !scr.isComponentEnabled(d);
        (enable ? scr.enableComponent(d) : scr.disableComponent(d)).getValue();
        return enable;
    }

    private static String configure(int n, Random random) throws IOException {
        Configuration c = configurations.get(n);
        if (c != null && random.nextBoolean()) {
            c.delete();
            configurations.remove(n);
            return "configuration deleted";
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("value", random.nextInt(1000));
        if (c == null) {
            c = cm.getConfiguration("churn.cfg." + n, "?");
            configurations.put(n, c);
            c.update(props);
            return "configuration created";
        }
        c.update(props);
        return "configuration updated";
    }

    /** @return the source's osgi_bundles, osgi_components and osgi_component_problem points of one collection */
    private static Map<String, Object> fromSource() throws Exception {
        Points out = new Points();
        osgi.collect(out);
        Map<String, Object> view = new TreeMap<>();
        TreeSet<String> problems = new TreeSet<>();
        for (Points.Point p : out.points) {
            switch (p.measurement) {
                case "osgi_bundles", "osgi_components" -> view.put(p.measurement, p.fields);
                case "osgi_component_problem" -> problems.add(p.tags.get("component") + " | " + p.tags.get("bundle")
                        + " | " + p.fields.get("state") + " | " + p.fields.get("unsatisfied_references") + " | "
                        + p.fields.get("failure"));
                default -> {
                }
            }
        }
        view.put("osgi_component_problem", problems);
        return view;
    }

    /** @return the same points built from scratch, as the source built them before it kept them */
    private static Map<String, Object> rebuilt() {
        long[] b = new long[7];
        Bundle[] bundles = context.getBundles();
        for (Bundle bundle : bundles) {
            switch (bundle.getState()) {
                case Bundle.INSTALLED -> b[0]++;
                case Bundle.RESOLVED -> b[1]++;
                case Bundle.STARTING -> b[2]++;
                case Bundle.ACTIVE -> b[3]++;
                case Bundle.STOPPING -> b[4]++;
                default -> {
                }
            }
            BundleRevision rev = bundle.adapt(BundleRevision.class);
            if (rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
                b[5]++;
            }
        }
        b[6] = bundles.length;
        Map<String, Object> bundleFields = new TreeMap<>(Map.of("installed", b[0], "resolved", b[1], "starting", b[2],
                "active", b[3], "stopping", b[4], "fragments", b[5], "total", b[6]));
        long[] c = new long[6];
        TreeSet<String> problems = new TreeSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO cc : scr.getComponentConfigurationDTOs(d)) {
                c[5]++;
                String state;
                switch (cc.state) {
                    case ComponentConfigurationDTO.SATISFIED -> {
                        c[0]++;
                        state = null;
                    }
                    case ComponentConfigurationDTO.ACTIVE -> {
                        c[1]++;
                        state = null;
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                        c[2]++;
                        state = "unsatisfied_reference";
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> {
                        c[3]++;
                        state = "unsatisfied_configuration";
                    }
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> {
                        c[4]++;
                        state = "failed_activation";
                    }
                    default -> state = null;
                }
                if (state != null) {
                    String refs = null;
                    if (cc.unsatisfiedReferences != null && cc.unsatisfiedReferences.length > 0) {
                        StringBuilder s = new StringBuilder();
                        for (UnsatisfiedReferenceDTO r : cc.unsatisfiedReferences) {
                            s.append(s.length() > 0 ? " " : "").append(r.name);
                        }
                        refs = clip(s.toString());
                    }
                    problems.add(d.name + " | " + (d.bundle == null ? null : d.bundle.symbolicName) + " | " + state + " | "
                            + refs + " | " + (cc.failure == null ? null : clip(cc.failure)));
                }
            }
        }
        assertThat(problems.size()).as("fewer problems than the source's maxProblems (100)").isLessThan(100);
        Map<String, Object> view = new TreeMap<>();
        view.put("osgi_bundles", bundleFields);
        view.put("osgi_components", new TreeMap<>(Map.of("satisfied", c[0], "active", c[1], "unsatisfied_reference", c[2],
                "unsatisfied_configuration", c[3], "failed_activation", c[4], "total", c[5])));
        view.put("osgi_component_problem", problems);
        return view;
    }

    private static String clip(String s) {
        return s.length() > PROBLEM_TEXT_MAX ? s.substring(0, PROBLEM_TEXT_MAX) : s;
    }

    /** Records points as maps (strings for text fields). */
    private static final class Points implements PointWriter {

        static final class Point {
            final String measurement;
            final Map<String, String> tags = new TreeMap<>();
            final Map<String, Object> fields = new TreeMap<>();

            Point(String measurement) {
                this.measurement = measurement;
            }
        }

        final List<Point> points = new ArrayList<>();

        private Point last() {
            return points.get(points.size() - 1);
        }

        @Override
        public PointWriter point(String measurement) {
            points.add(new Point(measurement));
            return this;
        }

        @Override
        public PointWriter tag(String key, CharSequence value) {
            if (value != null) {
                last().tags.put(key, value.toString());
            }
            return this;
        }

        @Override
        public PointWriter field(String key, long value) {
            last().fields.put(key, value);
            return this;
        }

        @Override
        public PointWriter fieldUnsigned(String key, long value) {
            last().fields.put(key, value);
            return this;
        }

        @Override
        public PointWriter field(String key, double value) {
            last().fields.put(key, value);
            return this;
        }

        @Override
        public PointWriter field(String key, boolean value) {
            last().fields.put(key, value);
            return this;
        }

        @Override
        public PointWriter field(String key, CharSequence value) {
            last().fields.put(key, value == null ? null : value.toString());
            return this;
        }

        @Override
        public PointWriter histogram(double[] bounds, long[] bucketCounts, double sum, double min, double max) {
            return this;
        }
    }
}
