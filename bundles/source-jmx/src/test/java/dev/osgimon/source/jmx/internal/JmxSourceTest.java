package dev.osgimon.source.jmx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.osgimon.api.model.Kind;
import dev.osgimon.testing.DeclarationCheck;
import dev.osgimon.testing.DescribedMBean;
import dev.osgimon.testing.RecordingDeclarations;
import dev.osgimon.testing.RecordingWriter;

/** The source against a real (private) MBean server with real standard, MX and dynamic MBeans. */
class JmxSourceTest {

    /** An MXBean: its MemoryUsage becomes CompositeData. */
    public interface SampleMXBean {
        long getCount();

        boolean isUp();

        MemoryUsage getUsage();

        String getLabel();
    }

    public static final class Sample implements SampleMXBean {
        volatile long count = 7;

        @Override
        public long getCount() {
            return count;
        }

        @Override
        public boolean isUp() {
            return true;
        }

        @Override
        public MemoryUsage getUsage() {
            return new MemoryUsage(1, 2, 3, 4);
        }

        @Override
        public String getLabel() {
            return "text";
        }
    }

    /** A standard MBean whose second getter throws. */
    public interface BrokenMBean {
        int getGood();

        int getBad();
    }

    public static final class Broken implements BrokenMBean {
        @Override
        public int getGood() {
            return 5;
        }

        @Override
        public int getBad() {
            throw new IllegalStateException("broken getter");
        }
    }

    /** A standard MBean whose values the test moves; it counts the reads of each attribute. */
    public interface TickingMBean {
        long getFast();

        long getSlow();
    }

    public static final class Ticking implements TickingMBean {
        volatile long fast;
        volatile long slow;
        final java.util.concurrent.atomic.AtomicInteger slowReads = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public long getFast() {
            return fast;
        }

        @Override
        public long getSlow() {
            slowReads.incrementAndGet();
            return slow;
        }
    }

    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    /** The source's requests for another declare call (what the component hands to its registrar). */
    private final AtomicInteger redeclares = new AtomicInteger();
    private JmxSource source;

    private JmxSource open(MBeanServer on, JmxConfig config) {
        return open(on, config, System::nanoTime);
    }

    private JmxSource open(MBeanServer on, JmxConfig config, LongSupplier clock) {
        return new JmxSource(on, config, clock, redeclares::incrementAndGet);
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
    }

    static JmxConfig config(int maxSeries, String... beans) {
        return config(maxSeries, new String[0], 60, beans);
    }

    static JmxConfig config(int maxSeries, String[] sampled, int samplePeriod, String... beans) {
        return new JmxConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return JmxConfig.class;
            }

            @Override
            public String[] beans() {
                return beans;
            }

            @Override
            public int maxSeries() {
                return maxSeries;
            }

            @Override
            public String[] sampled() {
                return sampled;
            }

            @Override
            public int samplePeriod() {
                return samplePeriod;
            }
        };
    }

    private static RecordingWriter.Point only(RecordingWriter w, String measurement) {
        assertThat(w.named(measurement)).as(measurement).hasSize(1);
        return w.named(measurement).get(0);
    }

    private RecordingWriter cycle() {
        RecordingWriter w = new RecordingWriter();
        source.collect(w);
        return w;
    }

    @Test
    void numbersBooleansAndCompositeMembersAreWrittenWithTheNamingRule() throws Exception {
        server.registerMBean(new Sample(), new ObjectName("com.example.app:type=Job Queue,name=\"orders\",shard=2"));
        source = open(server, config(10, "com.example.app:*"));

        RecordingWriter w = cycle();
        RecordingWriter.Point p = w.one("jmx_com_example_app_job_queue", "name", "orders");
        assertThat(p.tags()).isEqualTo(Map.of("name", "orders", "shard", "2"));
        assertThat(p.fields()).isEqualTo(Map.of("Count", 7L, "Up", true,
                "Usage_init", 1L, "Usage_used", 2L, "Usage_committed", 3L, "Usage_max", 4L));
        assertThat(only(w, "jmx_source").fields()).containsEntry("mbeans", 1L).containsEntry("series", 1L)
                .containsEntry("errors", 0L).containsEntry("series_dropped", 0L);
        DeclarationCheck.assertAgree(source, w);
    }

    @Test
    void aFieldWhoseKeyEqualsATagOrAnEarlierFieldIgnoringCaseIsLeftOut() throws Exception {
        server.registerMBean(new Sample(), new ObjectName("app:type=Sample,name=a,count=3"));
        server.registerMBean(new Sample(), new ObjectName("app:type=Sample,name=b,usage_USED=9"));
        source = open(server, config(10, "app:*|Count,Up,Usage,Label"));
        RecordingWriter w = cycle();
        assertThat(w.one("jmx_app_sample", "name", "a").fields()).as("Count clashes with the tag count")
                .isEqualTo(Map.of("Up", true, "Usage_init", 1L, "Usage_used", 2L, "Usage_committed", 3L, "Usage_max", 4L));
        assertThat(w.one("jmx_app_sample", "name", "b").fields()).as("the composite's Usage_used clashes with the tag usage_USED")
                .isEqualTo(Map.of("Count", 7L, "Up", true, "Usage_init", 1L, "Usage_committed", 3L, "Usage_max", 4L));
    }

    @Test
    void anAttributeListReadsOnlyThoseAttributes() throws Exception {
        server.registerMBean(new Sample(), new ObjectName("app:type=Sample"));
        source = open(server, config(10, "app:type=Sample|Usage, Count"));

        assertThat(only(cycle(), "jmx_app_sample").fields()).containsOnlyKeys("Count",
                "Usage_init", "Usage_used", "Usage_committed", "Usage_max");
    }

    @Test
    void aThrowingGetterIsCountedAndTheOtherAttributesAndMBeansStillArrive() throws Exception {
        server.registerMBean(new Broken(), new ObjectName("app:type=Broken"));
        server.registerMBean(new Sample(), new ObjectName("app:type=Sample"));
        source = open(server, config(10, "app:*"));

        RecordingWriter w = cycle();
        assertThat(only(w, "jmx_app_broken").fields()).isEqualTo(Map.of("Good", 5L));
        assertThat(only(w, "jmx_app_sample").fields()).containsEntry("Count", 7L);
        assertThat(only(w, "jmx_source").fields()).containsEntry("errors", 1L);
        assertThat(only(cycle(), "jmx_source").fields()).containsEntry("errors", 2L);
    }

    @Test
    void mbeansRegisteredLaterAreFoundAndVanishedOnesLeaveWithoutFailingTheCycle() throws Exception {
        source = open(server, config(10, "app:type=Sample,*"));
        assertThat(cycle().named("jmx_app_sample")).isEmpty();

        ObjectName a = new ObjectName("app:type=Sample,name=a");
        server.registerMBean(new Sample(), a);
        server.registerMBean(new Sample(), new ObjectName("other:type=Sample"));
        RecordingWriter w = cycle();
        assertThat(w.one("jmx_app_sample", "name", "a").fields()).containsEntry("Count", 7L);
        assertThat(w.named("jmx_other_sample")).isEmpty();
        long resolves = (Long) only(w, "jmx_source").fields().get("resolves");
        assertThat(resolves).isEqualTo(2);

        server.registerMBean(new Sample(), new ObjectName("unrelated:type=Sample"));
        assertThat(only(cycle(), "jmx_source").fields()).as("no resolve for an MBean no pattern matches")
                .containsEntry("resolves", 2L);

        server.unregisterMBean(a);
        w = cycle();
        assertThat(w.named("jmx_app_sample")).isEmpty();
        assertThat(only(w, "jmx_source").fields()).containsEntry("mbeans", 0L).containsEntry("resolves", 3L);
    }

    @Test
    void atMostMaxSeriesPointsAndTheExcessIsCounted() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.registerMBean(new Sample(), new ObjectName("app:type=Sample,name=s" + i));
        }
        source = open(server, config(3, "app:*|Count"));
        RecordingWriter w = cycle();
        assertThat(w.named("jmx_app_sample")).extracting(p -> p.tags().get("name")).containsExactly("s0", "s1", "s2");
        assertThat(only(w, "jmx_source").fields()).containsEntry("mbeans", 5L).containsEntry("series", 3L)
                .containsEntry("series_dropped", 2L);
        assertThat(only(cycle(), "jmx_source").fields()).containsEntry("series_dropped", 4L);
    }

    @Test
    void kindAndUnitComeFromTheDescriptorElseGauge() throws Exception {
        server.registerMBean(new DescribedMBean(), new ObjectName("app:type=Net"));
        source = open(server, config(10, "app:type=Net"));

        assertThat(RecordingDeclarations.of(source)).filteredOn(d -> d.measurement().equals("jmx_app_net"))
                .extracting(d -> d.field() + " " + d.kind() + " " + d.unit())
                .containsExactlyInAnyOrder("Sent " + Kind.COUNTER + " By", "* " + Kind.GAUGE + " ");
        RecordingWriter w = cycle();
        assertThat(only(w, "jmx_app_net").fields()).isEqualTo(Map.of("Sent", 1024L, "Ratio", 0.5d));
        DeclarationCheck.assertAgree(source, w);
    }

    /** @return what the source declares of a measurement, as "field kind unit" */
    private List<String> declaredOf(List<RecordingDeclarations.Declared> declared, String measurement) {
        return declared.stream().filter(d -> d.measurement().equals(measurement))
                .map(d -> d.field() + " " + d.kind() + " " + d.unit()).toList();
    }

    @Test
    void anMBeanRegisteredAfterTheDeclarationIsDeclaredAgainAndWrittenFromTheCycleAfter() throws Exception {
        server.registerMBean(new Sample(), new ObjectName("app:type=Sample"));
        source = open(server, config(10, "app:*"));
        assertThat(declaredOf(RecordingDeclarations.of(source), "jmx_app_net")).as("the core binds the source").isEmpty();
        assertThat(only(cycle(), "jmx_app_sample").fields()).containsEntry("Count", 7L);
        assertThat(redeclares).as("nothing new: nothing asked").hasValue(0);

        server.registerMBean(new DescribedMBean(), new ObjectName("app:type=Net,name=a"));
        RecordingWriter w = cycle();
        assertThat(redeclares).as("a counter in bytes not declared yet: the cycle asks for a declare call").hasValue(1);
        assertThat(w.named("jmx_app_net")).as("not written under a meaning it does not have").isEmpty();
        assertThat(only(w, "jmx_app_sample").fields()).as("the other measurements as before").containsEntry("Count", 7L);
        assertThat(only(w, "jmx_source").fields()).containsEntry("mbeans", 2L).containsEntry("series", 1L)
                .containsEntry("series_dropped", 0L).containsEntry("resolves", 2L);
        assertThat(cycle().named("jmx_app_net")).as("still not taken").isEmpty();
        assertThat(redeclares).as("asked again while the core has not taken them").hasValue(2);

        List<RecordingDeclarations.Declared> declared = RecordingDeclarations.of(source);
        assertThat(declaredOf(declared, "jmx_app_net")).containsExactly("Sent " + Kind.COUNTER + " By", "* " + Kind.GAUGE + " ");
        assertThat(declared).filteredOn(d -> d.measurement().equals("jmx_app_net") && d.field().equals("Sent"))
                .extracting(RecordingDeclarations.Declared::description).containsExactly("Bytes sent");
        w = cycle();
        assertThat(w.one("jmx_app_net", "name", "a").fields()).isEqualTo(Map.of("Sent", 1024L, "Ratio", 0.5d));
        assertThat(redeclares).as("taken: nothing more asked").hasValue(2);
        DeclarationCheck.assertAgree(source, w);

        server.registerMBean(new DescribedMBean(), new ObjectName("app:type=Net,name=b"));
        w = cycle();
        assertThat(w.named("jmx_app_net")).as("another MBean with the same declarations: written at once")
                .extracting(p -> p.tags().get("name")).containsExactly("a", "b");
        assertThat(redeclares).hasValue(2);
    }

    @Test
    void aBurstOfRegistrationsAsksOnceACycleAndUnregistrationsAreDeclaredAwayWithoutErrors() throws Exception {
        source = open(server, config(1000, "app:*", "gone:*"));
        RecordingDeclarations.of(source);
        int burst = 500;
        for (int i = 0; i < burst; i++) {
            server.registerMBean(new DescribedMBean(), new ObjectName("app:type=T" + i));
        }
        RecordingWriter w = cycle();
        assertThat(redeclares).as("%d new measurements, one cycle: one request", burst).hasValue(1);
        assertThat(only(w, "jmx_source").fields()).containsEntry("mbeans", (long) burst).containsEntry("series", 0L)
                .containsEntry("resolves", 2L);
        List<RecordingDeclarations.Declared> declared = RecordingDeclarations.of(source);
        for (int i = 0; i < burst; i++) {
            assertThat(declaredOf(declared, "jmx_app_t" + i)).containsExactly("Sent " + Kind.COUNTER + " By", "* " + Kind.GAUGE + " ");
        }
        w = cycle();
        assertThat(only(w, "jmx_source").fields()).containsEntry("series", (long) burst);
        assertThat(w.named("jmx_app_t499")).singleElement().satisfies(p -> assertThat(p.fields()).containsEntry("Sent", 1024L));
        assertThat(redeclares).hasValue(1);

        for (int i = 0; i < burst; i++) {
            server.unregisterMBean(new ObjectName("app:type=T" + i));
        }
        w = cycle();
        assertThat(w.points()).extracting(RecordingWriter.Point::measurement).containsExactly("jmx_source");
        assertThat(only(w, "jmx_source").fields()).containsEntry("mbeans", 0L).containsEntry("errors", 0L);
        assertThat(redeclares).as("their declarations went with them: one request").hasValue(2);
        assertThat(RecordingDeclarations.of(source)).extracting(RecordingDeclarations.Declared::measurement).containsOnly("jmx_source");

        // an MBean the patterns no longer match leaves: nothing resolved, nothing asked, nothing fails
        server.registerMBean(new DescribedMBean(), new ObjectName("gone:type=Net"));
        cycle();
        RecordingDeclarations.of(source);
        assertThat(only(cycle(), "jmx_gone_net").fields()).containsEntry("Sent", 1024L);
        source.modified(config(1000, "app:*"));
        w = cycle();
        assertThat(w.named("jmx_gone_net")).isEmpty();
        assertThat(redeclares).hasValue(4);
        RecordingDeclarations.of(source);
        long resolves = (Long) only(w, "jmx_source").fields().get("resolves");
        server.unregisterMBean(new ObjectName("gone:type=Net"));
        w = cycle();
        assertThat(only(w, "jmx_source").fields()).containsEntry("resolves", resolves).containsEntry("errors", 0L)
                .containsEntry("mbeans", 0L);
        assertThat(redeclares).hasValue(4);
    }

    /** @return the shipped defaults */
    static JmxConfig defaults() throws ReflectiveOperationException {
        return config((Integer) JmxConfig.class.getMethod("maxSeries").getDefaultValue(),
                (String[]) JmxConfig.class.getMethod("sampled").getDefaultValue(),
                (Integer) JmxConfig.class.getMethod("samplePeriod").getDefaultValue(),
                (String[]) JmxConfig.class.getMethod("beans").getDefaultValue());
    }

    @Test
    void sampledAttributesAreReadOnlyEverySamplePeriodAndRepeatedBetween() throws Exception {
        Ticking t = new Ticking();
        t.fast = 1;
        t.slow = 100;
        server.registerMBean(t, new ObjectName("app:type=Ticking"));
        long[] now = {5_000_000_000L};
        source = open(server, config(10, new String[] {"app:type=Ticking|Slow", "other:*|Fast"}, 60, "app:type=Ticking"),
                () -> now[0]);

        assertThat(only(cycle(), "jmx_app_ticking").fields()).isEqualTo(Map.of("Fast", 1L, "Slow", 100L));
        assertThat(t.slowReads).hasValue(1);
        for (int s = 10; s <= 50; s += 10) {
            now[0] += 10_000_000_000L;
            t.fast++;
            t.slow++;
            assertThat(only(cycle(), "jmx_app_ticking").fields()).as("%d s after the read", s)
                    .isEqualTo(Map.of("Fast", t.fast, "Slow", 100L));
        }
        assertThat(t.slowReads).as("not read between").hasValue(1);

        now[0] += 9_600_000_000L; // 59.6 s: due, a cycle's jitter early
        assertThat(only(cycle(), "jmx_app_ticking").fields()).isEqualTo(Map.of("Fast", t.fast, "Slow", t.slow));
        assertThat(t.slowReads).hasValue(2);
        assertThat(only(cycle(), "jmx_source").fields()).containsEntry("errors", 0L);

        source.modified(config(10, new String[] {"app:type=Ticking|Slow"}, 0, "app:type=Ticking"));
        t.slow = 7;
        assertThat(only(cycle(), "jmx_app_ticking").fields()).containsEntry("Slow", 7L);
        t.slow = 8;
        assertThat(only(cycle(), "jmx_app_ticking").fields()).as("samplePeriod 0: every cycle").containsEntry("Slow", 8L);
    }

    @Test
    void aFailedSampledReadIsRetriedAtTheNextCycleAndNothingStaleIsWritten() throws Exception {
        server.registerMBean(new Broken(), new ObjectName("app:type=Broken"));
        long[] now = {0};
        source = open(server, config(10, new String[] {"app:type=Broken|Bad"}, 60, "app:type=Broken"), () -> now[0]);
        for (int i = 1; i <= 3; i++) {
            now[0] += 1_000_000_000L;
            RecordingWriter w = cycle();
            assertThat(only(w, "jmx_app_broken").fields()).isEqualTo(Map.of("Good", 5L));
            assertThat(only(w, "jmx_source").fields()).as("the throwing sampled getter is read again each cycle")
                    .containsEntry("errors", (long) i);
        }
    }

    @Test
    void platformMXBeansAreReadDirectlyWithTheMBeanServersValues() throws Exception {
        MBeanServer platform = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        source = open(platform, config(10, new String[0], 60,
                "java.lang:type=OperatingSystem|AvailableProcessors,TotalMemorySize,Arch",
                "java.lang:type=Runtime|StartTime,Uptime",
                "java.lang:type=Memory|HeapMemoryUsage"));
        RecordingWriter w = cycle();
        ObjectName os = new ObjectName("java.lang:type=OperatingSystem");
        assertThat(only(w, "jmx_java_lang_operatingsystem").fields()).isEqualTo(Map.of(
                "AvailableProcessors", ((Integer) platform.getAttribute(os, "AvailableProcessors")).longValue(),
                "TotalMemorySize", platform.getAttribute(os, "TotalMemorySize")));
        assertThat(only(w, "jmx_java_lang_runtime").fields()).containsEntry("StartTime",
                platform.getAttribute(new ObjectName("java.lang:type=Runtime"), "StartTime")).containsKey("Uptime");
        assertThat(only(w, "jmx_java_lang_memory").fields()).as("a composite: through the MBean server")
                .containsKeys("HeapMemoryUsage_used", "HeapMemoryUsage_max");
        assertThat(source.directlyRead()).containsExactlyInAnyOrder(os, new ObjectName("java.lang:type=Runtime"));
        assertThat(only(w, "jmx_source").fields()).containsEntry("errors", 0L);
        DeclarationCheck.assertAgree(source, w);
    }

    @Test
    void anMBeanUnderAPlatformNameInAnotherServerIsReadThroughThatServer() throws Exception {
        server.registerMBean(new Sample(), new ObjectName("java.lang:type=ClassLoading"));
        source = open(server, config(10, "java.lang:type=ClassLoading|Count"));
        assertThat(only(cycle(), "jmx_java_lang_classloading").fields()).isEqualTo(Map.of("Count", 7L));
        assertThat(source.directlyRead()).isEmpty();
    }

    @Test
    void theDefaultSetReadsThePlatformBeansWithoutErrors() throws Exception {
        JmxConfig defaults = defaults();
        source = open(java.lang.management.ManagementFactory.getPlatformMBeanServer(), defaults);
        RecordingWriter w = cycle();
        assertThat(only(w, "jmx_java_lang_classloading").fields())
                .containsKeys("LoadedClassCount", "TotalLoadedClassCount", "UnloadedClassCount");
        assertThat(only(w, "jmx_java_lang_compilation").fields()).containsKey("TotalCompilationTime");
        assertThat(only(w, "jmx_java_lang_operatingsystem").fields()).containsKeys("AvailableProcessors",
                "TotalMemorySize", "FreeMemorySize");
        assertThat(only(w, "jmx_source").fields()).containsEntry("errors", 0L);
        assertThat(defaults.maxSeries()).isEqualTo(1000);
        DeclarationCheck.assertAgree(source, w);
        assertThat(source.directlyRead()).as("the platform MXBeans of the default set are read through their getters")
                .containsExactlyInAnyOrder(new ObjectName("java.lang:type=ClassLoading"), new ObjectName("java.lang:type=Compilation"),
                        new ObjectName("java.lang:type=OperatingSystem"));
        assertThat(only(cycle(), "jmx_java_lang_operatingsystem").fields()).as("the sampled memory sizes repeated")
                .containsKeys("AvailableProcessors", "TotalMemorySize", "FreeMemorySize");
    }

    @Test
    void badConfigurationIsRefusedWithAClearMessageAndRegistersNothing() {
        assertThatThrownBy(() -> open(server, config(10, "no colon|Count")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'no colon|Count' is not an ObjectName pattern");
        assertThatThrownBy(() -> open(server, config(10, "app:*|Count,,Up")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty attribute name");
        assertThatThrownBy(() -> open(server, config(-1, "app:*")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSeries must not be negative");
        assertThatThrownBy(() -> open(server, config(10, new String[0], -1, "app:*")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samplePeriod must not be negative");
        assertThatThrownBy(() -> open(server, config(10, new String[] {"app:*|A,"}, 60, "app:*")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampled: 'app:*|A,' has an empty attribute name");
    }

    @Test
    void aNewConfigurationTakesEffectAtTheNextCycleAndABadOneChangesNothing() throws Exception {
        server.registerMBean(new Sample(), new ObjectName("app:type=Sample"));
        server.registerMBean(new Broken(), new ObjectName("app:type=Broken"));
        source = open(server, config(10, "app:type=Sample|Count"));
        assertThat(cycle().named("jmx_app_broken")).isEmpty();

        assertThatThrownBy(() -> source.modified(config(10, "app:type=Broken|Good", "bad")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad' is not an ObjectName pattern");
        assertThatThrownBy(() -> source.modified(config(-5, "app:type=Broken|Good")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSeries");
        RecordingWriter w = cycle();
        assertThat(only(w, "jmx_app_sample").fields()).isEqualTo(Map.of("Count", 7L));
        assertThat(w.named("jmx_app_broken")).isEmpty();
        assertThat(only(w, "jmx_source").fields()).containsEntry("resolves", 1L);

        source.modified(config(10, "app:type=Broken|Good"));
        w = cycle();
        assertThat(w.named("jmx_app_sample")).isEmpty();
        assertThat(only(w, "jmx_app_broken").fields()).isEqualTo(Map.of("Good", 5L));
    }

    @Test
    void afterCloseRegistrationsAreNoLongerHeard() throws Exception {
        source = open(server, config(10, "app:*"));
        assertThat(only(cycle(), "jmx_source").fields()).containsEntry("resolves", 1L);
        source.close();
        server.registerMBean(new Sample(), new ObjectName("app:type=Sample"));
        RecordingWriter w = cycle();
        source = null;
        assertThat(only(w, "jmx_source").fields()).as("the listener is gone: no resolve")
                .containsEntry("resolves", 1L).containsEntry("mbeans", 0L);
    }

    @Test
    void oneValueMayHoldSeveralEntriesSeparatedBySemicolons() throws Exception {
        assertThat(BeanPattern.parseAll(new String[] {" a:type=A|X, Y ; b:name=\"p;q\",type=B ;", "c:*"}, "beans"))
                .containsExactly(new BeanPattern(new ObjectName("a:type=A"), java.util.List.of("X", "Y")),
                        new BeanPattern(new ObjectName("b:name=\"p;q\",type=B"), java.util.List.of()),
                        new BeanPattern(new ObjectName("c:*"), java.util.List.of()));
        server.registerMBean(new Sample(), new ObjectName("app:type=Sample"));
        server.registerMBean(new Broken(), new ObjectName("app:type=Broken"));
        source = open(server, config(10, "app:type=Sample|Count;app:type=Broken|Good"));
        RecordingWriter w = cycle();
        assertThat(only(w, "jmx_app_sample").fields()).isEqualTo(Map.of("Count", 7L));
        assertThat(only(w, "jmx_app_broken").fields()).isEqualTo(Map.of("Good", 5L));
        assertThat(only(w, "jmx_source").fields()).containsEntry("errors", 0L);
    }

    @Test
    void namesAreCleaned() throws Exception {
        assertThat(Names.measurement(new ObjectName("org.apache.karaf:type=bundle,name=root"))).isEqualTo("jmx_org_apache_karaf_bundle");
        assertThat(Names.measurement(new ObjectName("Catalina:name=x"))).isEqualTo("jmx_catalina");
        assertThat(Names.measurement(new ObjectName("org.apache.camel:type=\"routes\",name=r1"))).isEqualTo("jmx_org_apache_camel_routes");
        assertThat(Names.key("Heap-Memory.used")).isEqualTo("Heap_Memory_used");
        assertThat(Names.key("Time")).isEqualTo("Time_");
        assertThat(Names.unit("bytes")).isEqualTo("By");
        assertThat(Names.unit("requests")).isEqualTo("{requests}");
    }
}
