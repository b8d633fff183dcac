package dev.osgimon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import org.osgi.service.component.ComponentServiceObjects;

import dev.osgimon.api.CycleListener;
import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.PointWriter;
import dev.osgimon.api.admin.MetricCatalog;
import dev.osgimon.api.admin.SourceRule;
import dev.osgimon.api.admin.SourceStatus;
import dev.osgimon.api.model.CycleObserver;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.transport.CycleEncoder;
import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.Target;
import dev.osgimon.api.transport.TransportFactory;
import dev.osgimon.api.transport.WriteResult;

/** The collector with real threads and a real TCP receiver; the OSGi context is a mock. */
class CollectorTest {

    private ServerSocket server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private Thread receiver;
    private Collector collector;
    private final AtomicLong ids = new AtomicLong(100);
    private MetricCatalog catalog;

    @BeforeEach
    void receive() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        receiver = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = in.readLine()) != null) {
                        received.add(l);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        receiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (collector != null) {
            collector.deactivate();
        }
        server.close();
        receiver.join(5000);
    }

    private Collector start(Map<String, Object> overrides) {
        BundleContext ctx = mock(BundleContext.class);
        @SuppressWarnings("unchecked")
        ServiceRegistration<MetricSource> reg = mock(ServiceRegistration.class);
        when(ctx.registerService(eq(MetricSource.class), any(MetricSource.class), any())).thenReturn(reg);
        @SuppressWarnings("unchecked")
        ServiceRegistration<MetricCatalog> catalogReg = mock(ServiceRegistration.class);
        when(ctx.registerService(eq(MetricCatalog.class), any(MetricCatalog.class), any())).thenReturn(catalogReg);
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("target", "tcp://127.0.0.1:" + server.getLocalPort());
        cfg.put("interval", 1);
        cfg.put("hostname", "box");
        cfg.putAll(overrides);
        collector = new Collector(ctx, config(cfg));
        // what the framework would do with the self source the collector registers
        org.mockito.ArgumentCaptor<MetricSource> self = org.mockito.ArgumentCaptor.forClass(MetricSource.class);
        org.mockito.Mockito.verify(ctx).registerService(eq(MetricSource.class), self.capture(), any());
        add("monitoring", self.getValue(), "internal");
        org.mockito.ArgumentCaptor<MetricCatalog> served = org.mockito.ArgumentCaptor.forClass(MetricCatalog.class);
        org.mockito.Mockito.verify(ctx).registerService(eq(MetricCatalog.class), served.capture(), any());
        catalog = served.getValue();
        return collector;
    }

    private Map<String, Object> add(String name, MetricSource source, String... tags) {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.SERVICE_ID, ids.incrementAndGet());
        props.put(MetricSource.NAME, name);
        props.put(MetricSource.TAGS, tags);
        collector.addSource(source, props);
        return props;
    }

    @Test
    void collectsEnabledSourcesWithTheHostnameTag() {
        start(Map.of());
        add("alpha", out -> out.point("alpha").field("v", 1L), "test");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(l -> l.startsWith("alpha,vm=box v=1i ")));
        collector.apply(List.of(SourceRule.source("alpha", false)));
        int seen = count("alpha,");
        int cycles = count("osgimon,");
        // two whole cycles after the change (the one running during it may still hold alpha)
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count("osgimon,") >= cycles + 2);
        assertThat(count("alpha,")).as("a disabled source is not collected").isLessThanOrEqualTo(seen + 1);
        String self = received.stream().filter(l -> l.startsWith("osgimon,") && !l.contains("cycles=0i")).reduce((a, b) -> b)
                .orElseThrow();
        long append = Long.parseLong(self.replaceAll(".*[ ,]append_time_ns=(\\d+)i.*", "$1"));
        long cycle = Long.parseLong(self.replaceAll(".*[ ,]cycle_time_ns=(\\d+)i.*", "$1"));
        assertThat(append).as("the last cycle's append to the buffer, a part of that cycle: " + self).isPositive()
                .isLessThan(cycle);
        assertThat(collector.preview()).doesNotContain("alpha,");
        assertThat(collector.status().sources()).extracting(SourceStatus.SourceState::name, SourceStatus.SourceState::enabled)
                .contains(org.assertj.core.groups.Tuple.tuple("alpha", false));
    }

    @Test
    void cycleListenersGetEachCycleAsSentAndAFailingOneHarmsNothing() {
        start(Map.of());
        add("alpha", out -> out.point("alpha").field("v", 1L), "test");
        List<String> cycles = new CopyOnWriteArrayList<>();
        CycleListener failing = (t, lines) -> {
            throw new IllegalStateException("listener bug");
        };
        CycleListener recording = (t, lines) -> cycles.add(t + "|" + lines);
        ComponentServiceObjects<CycleListener> failingService = serviceObjects(failing);
        ComponentServiceObjects<CycleListener> recordingService = serviceObjects(recording);
        collector.addCycleListener(failingService);
        collector.addCycleListener(recordingService);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cycles.size() >= 2);
        String first = cycles.get(0);
        long t = Long.parseLong(first.substring(0, first.indexOf('|')));
        assertThat(first).contains("alpha,vm=box v=1i " + t + "\n");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> received.contains("alpha,vm=box v=1i " + t));
        collector.removeCycleListener(recordingService);
        int seen = cycles.size();
        long sentBefore = received.stream().filter(l -> l.startsWith("alpha,")).count();
        // two more cycles reach the receiver: the removed listener hears at most the one in flight
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> received.stream().filter(l -> l.startsWith("alpha,")).count() >= sentBefore + 2);
        assertThat(cycles.size()).as("a removed listener hears nothing").isLessThanOrEqualTo(seen + 1);
    }

    /** Encodes each point as {@code rec <measurement>\n}, counting the encoders made. */
    private static final class RecordsFactory implements TransportFactory {
        final AtomicLong encoders = new AtomicLong();
        final List<String> written = new CopyOnWriteArrayList<>();

        @Override
        public LineWriter create(Target target) {
            return new LineWriter() {
                @Override
                public WriteResult write(byte[] buf, int off, int len, int lines) {
                    written.add(new String(buf, off, len, StandardCharsets.UTF_8));
                    return WriteResult.delivered();
                }

                @Override
                public void close() {
                    // nothing held
                }
            };
        }

        @Override
        public CycleEncoder encoder(Target target) {
            encoders.incrementAndGet();
            return new CycleEncoder() {
                private byte[] buf = new byte[0];

                @Override
                public String format() {
                    return "test-records-1";
                }

                @Override
                public int encode(Cycle cycle) {
                    StringBuilder sb = new StringBuilder();
                    for (int p = 0; p < cycle.points(); p++) {
                        sb.append("rec ").append(cycle.measurement(p)).append('\n');
                    }
                    buf = sb.toString().getBytes(StandardCharsets.UTF_8);
                    return cycle.points();
                }

                @Override
                public byte[] buffer() {
                    return buf;
                }

                @Override
                public int size() {
                    return buf.length;
                }
            };
        }
    }

    @Test
    void aTargetOfAnotherFormatGetsItsEncodersRecordsAndListenersStillGetLines() {
        start(Map.of("target", "rec://h:1"));
        add("alpha", out -> out.point("alpha").field("v", 1L), "test");
        RecordsFactory factory = new RecordsFactory();
        collector.addTransportFactory(factory, Map.of(TransportFactory.SCHEMES, new String[] {"rec"}));
        List<String> heard = new CopyOnWriteArrayList<>();
        collector.addCycleListener(serviceObjects((CycleListener) (t, lines) -> heard.add(lines)));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> factory.written.stream().filter(w -> w.contains("rec alpha\n")).count() >= 2);
        assertThat(String.join("", factory.written)).as("records only, never line protocol")
                .doesNotContain("alpha,").contains("rec osgimon\n");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() >= 1);
        assertThat(heard.get(heard.size() - 1)).contains("alpha,vm=box v=1i ");
        long encoders = factory.encoders.get();
        long sent = factory.written.size();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> factory.written.size() >= sent + 2);
        assertThat(factory.encoders.get()).as("encoders are made per target and thread, not per cycle")
                .isEqualTo(encoders);
        assertThat(received).as("nothing went to the line-protocol receiver").noneMatch(l -> l.startsWith("alpha,"));
    }

    /** One point of an observed cycle, copied during the call. */
    record Seen(long timestamp, String source, String measurement, List<String> tags, String field, double value,
            Kind kind, String unit, boolean declared) {
    }

    @Test
    void cycleObserversGetEachCycleStructuredWithDeclaredMeaningAndAFailingOneHarmsNothing() {
        start(Map.of());
        add("alpha", new MetricSource() {
            @Override
            public void declare(Declarations d) {
                d.counter("alpha", "v", "{thing}", "Things");
            }

            @Override
            public void collect(PointWriter out) {
                out.point("alpha").tag("k", "x").field("v", 7L);
            }
        }, "test");
        List<List<Seen>> cycles = new CopyOnWriteArrayList<>();
        List<String> texts = new CopyOnWriteArrayList<>();
        CycleObserver failing = cycle -> {
            throw new IllegalStateException("observer bug");
        };
        CycleObserver recording = cycle -> {
            List<Seen> seen = new java.util.ArrayList<>();
            for (int p = 0; p < cycle.points(); p++) {
                List<String> tags = new java.util.ArrayList<>();
                for (int t = 0; t < cycle.tags(p); t++) {
                    tags.add(cycle.tagKey(p, t) + "=" + cycle.tagValue(p, t));
                }
                for (int f = 0; f < cycle.fields(p); f++) {
                    MetricInfo m = cycle.info(p, f);
                    seen.add(new Seen(cycle.timestampNanos(), cycle.source(p), cycle.measurement(p), tags,
                            cycle.fieldKey(p, f), cycle.numeric(p, f), m.kind(), m.unit(), m.declared()));
                }
            }
            cycles.add(seen);
        };
        ComponentServiceObjects<CycleObserver> recordingService = serviceObjects(recording);
        collector.addCycleObserver(serviceObjects(failing));
        collector.addCycleObserver(recordingService);
        collector.addCycleListener(serviceObjects((CycleListener) (t, lines) -> texts.add(lines)));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> cycles.stream().anyMatch(c -> c.stream().anyMatch(s -> s.measurement().equals("alpha"))));
        Seen alpha = cycles.stream().flatMap(List::stream).filter(s -> s.measurement().equals("alpha")).findFirst()
                .orElseThrow();
        assertThat(alpha).isEqualTo(new Seen(alpha.timestamp(), "alpha", "alpha", List.of("k=x", "vm=box"), "v", 7.0,
                Kind.COUNTER, "{thing}", true));
        Awaitility.await("the same cycle reaches the target").atMost(Duration.ofSeconds(10))
                .until(() -> received.contains("alpha,k=x,vm=box v=7i " + alpha.timestamp()));
        Awaitility.await("deprecated listeners still get the text").atMost(Duration.ofSeconds(10))
                .until(() -> texts.stream().anyMatch(t -> t.contains("alpha,k=x,vm=box v=7i ")));
        assertThat(cycles.stream().flatMap(List::stream).filter(s -> s.measurement().equals("osgimon")
                && s.field().equals("lines_sent")).findFirst().orElseThrow())
                .extracting(Seen::source, Seen::kind, Seen::unit).containsExactly("monitoring", Kind.COUNTER, "{line}");
        collector.removeCycleObserver(recordingService);
        int seen = cycles.size();
        long sentBefore = count("alpha,");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count("alpha,") >= sentBefore + 2);
        assertThat(cycles.size()).as("a removed observer hears nothing").isLessThanOrEqualTo(seen + 1);
    }

    @Test
    void theCatalogListsDeclaredAndWrittenFieldsAndForgetsASourceThatLeaves() {
        start(Map.of());
        Map<String, Object> props = add("alpha", new MetricSource() {
            @Override
            public void declare(Declarations d) {
                d.gauge("alpha", "used", "By", "Bytes used");
                throw new IllegalStateException("declare bug after one declaration");
            }

            @Override
            public void collect(PointWriter out) {
                out.point("alpha").field("used", 1L).field("extra", 2.5);
            }
        });
        assertThat(catalog.metrics("alpha")).as("declared as it registered, before any cycle")
                .extracting(MetricInfo::field, MetricInfo::declared).containsExactly(tuple("used", true));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count("alpha,") >= 1);
        assertThat(catalog.metrics("alpha")).extracting(MetricInfo::field, MetricInfo::kind, MetricInfo::unit,
                MetricInfo::declared).containsExactly(tuple("extra", Kind.GAUGE, "", false),
                        tuple("used", Kind.GAUGE, "By", true));
        assertThat(catalog.metrics("monitoring")).as("the self source declares every field it writes")
                .isNotEmpty().allMatch(MetricInfo::declared);
        assertThat(catalog.metrics("monitoring")).extracting(MetricInfo::measurement, MetricInfo::field,
                MetricInfo::kind, MetricInfo::unit).contains(tuple("osgimon", "cycle_time_ns", Kind.GAUGE, "ns"),
                        tuple("osgimon_source", "errors", Kind.COUNTER, "{error}"),
                        tuple("osgimon", "buffer_bytes", Kind.GAUGE, "By"));
        collector.removeSource(null, props);
        assertThat(catalog.metrics()).extracting(MetricInfo::source).doesNotContain("alpha");
        assertThatThrownBy(() -> catalog.metrics("alpha")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A cycle as an observer saw it: its timestamp and alpha's fields with their meaning. */
    record AlphaCycle(long timestamp, Map<String, MetricInfo> fields, long errors) {
    }

    @Test
    void modifiedPropertiesRedeclareTheSourceInPlaceWithoutACycleMissingIt() {
        start(Map.of());
        java.util.concurrent.atomic.AtomicInteger generation = new java.util.concurrent.atomic.AtomicInteger(1);
        java.util.concurrent.atomic.AtomicInteger collections = new java.util.concurrent.atomic.AtomicInteger();
        MetricSource alpha = new MetricSource() {
            /** What it writes: what it declared last (as a bridge does). */
            private volatile int declared;

            @Override
            public void declare(Declarations d) {
                int g = generation.get();
                d.gauge("alpha", "a", "By", "Bytes");
                if (g >= 2) {
                    d.counter("alpha", "b", "{thing}", "Things");
                }
                declared = g;
            }

            @Override
            public void collect(PointWriter out) {
                if (collections.incrementAndGet() == 1) {
                    throw new IllegalStateException("the first collection fails, to be counted");
                }
                out.point("alpha").field("a", 1L);
                if (declared >= 2) {
                    out.point("alpha").field("b", 2L);
                }
            }
        };
        List<AlphaCycle> cycles = new CopyOnWriteArrayList<>();
        collector.addCycleObserver(serviceObjects(cycle -> {
            Map<String, MetricInfo> fields = new HashMap<>();
            long errors = -1;
            for (int p = 0; p < cycle.points(); p++) {
                for (int f = 0; f < cycle.fields(p); f++) {
                    if (cycle.source(p).equals("alpha")) {
                        fields.put(cycle.fieldKey(p, f), cycle.info(p, f));
                    } else if (cycle.measurement(p).equals("osgimon_source") && cycle.fieldKey(p, f).equals("errors")) {
                        for (int t = 0; t < cycle.tags(p); t++) {
                            if (cycle.tagKey(p, t).equals("source") && cycle.tagValue(p, t).equals("alpha")) {
                                errors = (long) cycle.numeric(p, f);
                            }
                        }
                    }
                }
            }
            cycles.add(new AlphaCycle(cycle.timestampNanos(), fields, errors));
        }));
        Map<String, Object> props = add("alpha", alpha, "test");
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> cycles.stream().filter(c -> c.fields().containsKey("a")).count() >= 2);
        assertThat(catalog.metrics("alpha")).extracting(MetricInfo::field).containsExactly("a");

        generation.set(2);
        Map<String, Object> modified = new HashMap<>(props);
        modified.put("generation", 2L);
        collector.updatedSource(alpha, modified);
        long updated = System.currentTimeMillis() * 1_000_000L;
        assertThat(catalog.metrics("alpha")).as("the new declarations, as soon as the update returns")
                .extracting(MetricInfo::field, MetricInfo::kind, MetricInfo::unit, MetricInfo::declared)
                .containsExactly(tuple("a", Kind.GAUGE, "By", true), tuple("b", Kind.COUNTER, "{thing}", true));

        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> cycles.stream().filter(c -> c.timestamp() > updated).count() >= 3);
        List<AlphaCycle> since = cycles.stream().dropWhile(c -> !c.fields().containsKey("a")).toList();
        assertThat(since).as("no cycle misses the source while it is declared again")
                .allMatch(c -> c.fields().containsKey("a"));
        assertThat(collections.get()).as("one collection a cycle, the failed first one included")
                .isGreaterThanOrEqualTo(since.size() + 1);
        List<AlphaCycle> after = cycles.stream().filter(c -> c.timestamp() > updated).toList();
        assertThat(after).as("cycles after the update carry the new meaning").allSatisfy(c -> {
            assertThat(c.fields().get("b")).extracting(MetricInfo::kind, MetricInfo::unit, MetricInfo::declared)
                    .containsExactly(Kind.COUNTER, "{thing}", true);
            assertThat(c.errors()).as("the same entry: its error counter was not restarted").isEqualTo(1L);
        });
        assertThat(collector.status().sources()).extracting(SourceStatus.SourceState::name).containsOnlyOnce("alpha");

        Map<String, Object> renamed = new HashMap<>(modified);
        renamed.put(MetricSource.NAME, "beta");
        collector.updatedSource(alpha, renamed);
        assertThat(collector.status().sources()).extracting(SourceStatus.SourceState::name)
                .contains("beta").doesNotContain("alpha");
        assertThat(catalog.metrics("beta")).extracting(MetricInfo::field).containsExactly("a", "b");
        assertThatThrownBy(() -> catalog.metrics("alpha")).isInstanceOf(IllegalArgumentException.class);
        Map<String, Object> invalid = new HashMap<>(renamed);
        invalid.put(MetricSource.NAME, "Bad Name");
        collector.updatedSource(alpha, invalid);
        assertThat(collector.status().sources()).extracting(SourceStatus.SourceState::name).doesNotContain("beta");
        assertThat(catalog.metrics()).extracting(MetricInfo::source).doesNotContain("alpha", "beta");
    }

    /** What SCR hands a dynamic reference bound as service objects. */
    private static <S> ComponentServiceObjects<S> serviceObjects(S service) {
        return new ComponentServiceObjects<>() {
            @Override
            public S getService() {
                return service;
            }

            @Override
            public void ungetService(S s) {
                // nothing held
            }

            @Override
            public org.osgi.framework.ServiceReference<S> getServiceReference() {
                return null;
            }
        };
    }

    @Test
    void aThrowingSourceIsSkippedAndCountedWhileOthersGoOn() {
        start(Map.of());
        add("bad", out -> {
            out.point("bad").field("v", 1L);
            throw new IllegalStateException("boom");
        });
        add("good", out -> out.point("good").field("v", 2L));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count("good,") >= 2);
        assertThat(count("bad,")).as("nothing of a failing source is sent").isZero();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> received.stream().anyMatch(l -> l.startsWith("osgimon_source,source=bad,") && !l.contains("errors=0i")));
    }

    @Test
    void aHangingSourceIsMarkedStuckAndTheScheduleGoesOn() throws Exception {
        start(Map.of());
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        add("hang", out -> {
            if (first.getAndSet(false)) {
                release.await();
            }
            out.point("hang").field("v", 1L);
        });
        add("good", out -> out.point("good").field("v", 2L));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> count("good,") >= 3);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().anyMatch(l -> l.contains("sources_stuck=1i")));
        assertThat(count("hang,")).isZero();
        release.countDown();
        Awaitility.await("the source is collected again once it returned").atMost(Duration.ofSeconds(10))
                .until(() -> count("hang,") >= 1);
        collector.deactivate();
        assertThat(collector.isStopped()).as("every thread, the abandoned collector thread too").isTrue();
        collector = null;
    }

    @Test
    void unknownSourceRuleIsRejectedAndChangesNothing() {
        start(Map.of());
        add("alpha", out -> out.point("alpha").field("v", 1L), "test");
        assertThatThrownBy(() -> collector.apply(List.of(SourceRule.all(false), SourceRule.source("nope", true))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown source: nope");
        assertThat(collector.status().defaultEnabled()).isTrue();
        assertThat(collector.isEnabled("alpha")).isTrue();
    }

    @Test
    void previewShowsTheLinesOfOneCycleWithoutSendingThem() {
        start(Map.of("interval", 3600));
        add("alpha", out -> out.point("alpha").tag("k", "v").field("v", 1L));
        String preview = collector.preview();
        assertThat(preview).contains("alpha,k=v,vm=box v=1i ").endsWith("\n");
        assertThat(collector.deliveryStatus().linesBuffered() + collector.deliveryStatus().linesSent())
                .as("nothing went to the outbox").isZero();
    }

    @Test
    void duplicateNamesCollectOnlyTheFirst() {
        start(Map.of("interval", 3600));
        add("dup", out -> out.point("first").field("v", 1L));
        add("dup", out -> out.point("second").field("v", 1L));
        assertThat(collector.preview()).contains("first").doesNotContain("second");
    }

    @Test
    void deactivateStopsEveryThread() {
        start(Map.of());
        add("alpha", out -> out.point("alpha").field("v", 1L));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count("alpha") >= 1);
        collector.deactivate();
        assertThat(collector.isStopped()).isTrue();
        collector = null;
    }

    @Test
    void aBadTargetOnModifiedKeepsTheOldOneAndLosesNothing() {
        start(Map.of());
        add("alpha", out -> out.point("alpha").field("v", 1L));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count("alpha") >= 1);
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("target", "not a uri");
        cfg.put("interval", 1);
        collector.modified(config(cfg));
        int before = count("alpha");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count("alpha") >= before + 2);
    }

    @Test
    void aNewTargetGetsTheLinesBufferedForTheOldOne() throws Exception {
        // a bound socket that does not listen: connections to its port are refused, and no one
        // else can take the port meanwhile
        Socket holder = new Socket();
        holder.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int down = holder.getLocalPort();
        start(Map.of("target", "tcp://127.0.0.1:" + down));
        AtomicLong n = new AtomicLong();
        add("seq", out -> out.point("seq").field("n", n.incrementAndGet()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> n.get() >= 3);
        assertThat(received).isEmpty();
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("target", "tcp://127.0.0.1:" + server.getLocalPort());
        cfg.put("interval", 1);
        cfg.put("hostname", "box");
        collector.modified(config(cfg));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count("seq,") >= 4);
        List<Long> seen = received.stream().filter(l -> l.startsWith("seq,")).map(l -> Long.parseLong(
                l.substring(l.indexOf("n=") + 2, l.indexOf('i', l.indexOf("n=")))))
                .collect(java.util.stream.Collectors.toList());
        assertThat(seen).as("every cycle since the start, in order").startsWith(1L, 2L, 3L, 4L);
        holder.close();
    }

    private int count(String prefix) {
        return (int) received.stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** A {@link CoreConfig} with the annotation's defaults, overridden by {@code values}. */
    static CoreConfig config(Map<String, Object> values) {
        return (CoreConfig) java.lang.reflect.Proxy.newProxyInstance(CoreConfig.class.getClassLoader(),
                new Class<?>[] {CoreConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return CoreConfig.class;
                    }
                    Object v = values.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    @SuppressWarnings("unused")
    private static Class<? extends Annotation> type() {
        return CoreConfig.class;
    }
}
