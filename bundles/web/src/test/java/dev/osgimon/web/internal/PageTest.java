package dev.osgimon.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.osgimon.testing.Statuses;
import dev.osgimon.api.admin.CommandService;
import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.api.admin.LogLevel;
import dev.osgimon.api.admin.LogLevelAdmin;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.api.admin.SourceStatus;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.ValueType;
import dev.osgimon.testing.TestCycle;

class PageTest {

    private final CommandService commands = mock(CommandService.class);
    private final SourceControl sources = mock(SourceControl.class);
    private final History history = new History(10, 100);
    private LogLevelAdmin levels;
    private Allocations allocations;
    private DeliveryStatus delivery;
    private EventStreams streams;

    private Page page() {
        streams = new EventStreams();
        return new Page("secret", new Views(sources, () -> delivery, () -> levels, history), streams,
                new Changes(commands), new MemtraceCard(() -> allocations));
    }

    /** A request and what came back. */
    static final class Fake implements Exchange {
        final String method;
        final String path;
        final Map<String, String> params = new HashMap<>();
        final Map<String, String> in = new HashMap<>();
        final Map<String, String> out = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayInputStream request = new ByteArrayInputStream(new byte[0]);
        int status;

        Fake(String method, String path) {
            this.method = method;
            this.path = path;
        }

        @Override public String method() { return method; }
        @Override public String path() { return path; }
        @Override public String parameter(String name) { return params.get(name); }
        @Override public String header(String name) { return in.get(name); }
        @Override public InputStream requestBody() { return request; }
        @Override public String remoteAddress() { return "127.0.0.1"; }
        @Override public void status(int code) { status = code; }
        @Override public void header(String name, String value) { out.put(name, value); }
        @Override public OutputStream body() { return body; }

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    private Fake serve(Page p, Fake x) throws Exception {
        p.serve(x, "/osgimon", true);
        return x;
    }

    @Test
    void aPostWithoutOrWithAWrongTokenIsRefusedAndRunsNothing() throws Exception {
        Page p = page();
        Fake none = new Fake("POST", "/api/sources.json");
        none.params.put("spec", "memory:disable");
        Fake wrong = new Fake("POST", "/api/sources.json");
        wrong.params.put("spec", "memory:disable");
        wrong.in.put(Page.TOKEN_HEADER, "secreT");
        assertThat(serve(p, none).status).isEqualTo(403);
        assertThat(serve(p, wrong).status).isEqualTo(403);
        verify(commands, never()).execute(anyString());
        verify(commands, never()).execute(anyString(), anyString());
    }

    @Test
    void aRefusedPostsBodyIsReadSoTheConnectionStaysUsableAndAHugeOneClosesIt() throws Exception {
        Page p = page();
        Fake small = new Fake("POST", "/api/sources.json");
        small.request = new ByteArrayInputStream(new byte[10_000]);
        assertThat(serve(p, small).status).isEqualTo(403);
        assertThat(small.request.available()).as("the body was read").isZero();
        assertThat(small.out).doesNotContainKey("Connection");
        Fake huge = new Fake("POST", "/api/nowhere.json");
        huge.in.put(Page.TOKEN_HEADER, "secret");
        huge.request = new ByteArrayInputStream(new byte[Exchange.DISCARD_LIMIT + 1]);
        assertThat(serve(p, huge).status).isEqualTo(404);
        assertThat(huge.out).containsEntry("Connection", "close");
        verify(commands, never()).execute(anyString(), anyString());
    }

    @Test
    void aToggleRunsTheSameMCommandAsTcpOnBehalfOfTheClientAndNothingElse() throws Exception {
        when(commands.execute("Mmemory:disable", "web 127.0.0.1")).thenReturn("ok");
        Fake x = new Fake("POST", "/api/sources.json");
        x.params.put("spec", "memory:disable");
        x.in.put(Page.TOKEN_HEADER, "secret");
        assertThat(serve(page(), x).status).isEqualTo(200);
        assertThat(x.text()).isEqualTo("{\"answer\":\"ok\"}");
        verify(commands).execute("Mmemory:disable", "web 127.0.0.1");
        verifyNoMoreInteractions(commands);
    }

    @Test
    void aRefusedLevelIs400WithTheProtocolsAnswer() throws Exception {
        when(commands.execute("Lroot:loud", "web 127.0.0.1")).thenReturn("error: unknown level: loud");
        Fake x = new Fake("POST", "/api/levels.json");
        x.params.put("spec", "root:loud");
        x.in.put(Page.TOKEN_HEADER, "secret");
        assertThat(serve(page(), x).status).isEqualTo(400);
        assertThat(x.text()).isEqualTo("{\"answer\":\"error: unknown level: loud\"}");
    }

    @Test
    void levelsAreReadFromTheLevelAdminWithTheirExpiry() throws Exception {
        levels = mock(LogLevelAdmin.class);
        when(levels.rootLevel()).thenReturn(LogLevel.INFO);
        when(levels.knownLoggers()).thenReturn(new java.util.TreeSet<>(List.of("a.b", "c")));
        when(levels.effectiveLevel("a.b")).thenReturn(LogLevel.DEBUG);
        when(levels.effectiveLevel("c")).thenReturn(LogLevel.INFO);
        when(levels.expiries()).thenReturn(Map.of("a.b", Instant.ofEpochMilli(1_700_000_000_000L)));
        Fake x = serve(page(), new Fake("GET", "/api/levels.json"));
        assertThat(x.text()).isEqualTo("{\"answer\":\"ok\",\"levels\":["
                + "{\"logger\":\"*\",\"level\":\"info\",\"expiresAt\":null},"
                + "{\"logger\":\"a.b\",\"level\":\"debug\",\"expiresAt\":1700000000000},"
                + "{\"logger\":\"c\",\"level\":\"info\",\"expiresAt\":null}]}");
        verifyNoInteractions(commands);
        levels = null;
        assertThat(serve(page(), new Fake("GET", "/api/levels.json")).text())
                .isEqualTo("{\"answer\":\"error: log levels unavailable\",\"levels\":[]}");
    }

    @Test
    void seriesAndPointsCarryTheFieldsKindAndUnit() throws Exception {
        history.add(new TestCycle(3_000_000_000L).point("jvm_memory", "area", "heap")
                .field("used", ValueType.LONG, 42L, Kind.GAUGE, "By", "heap in use"));
        Page p = page();
        assertThat(serve(p, new Fake("GET", "/api/series.json")).text()).isEqualTo("[{\"m\":\"jvm_memory\","
                + "\"f\":\"used\",\"tags\":\"area=heap\",\"kind\":\"gauge\",\"unit\":\"By\",\"description\":\"heap in use\"}]");
        Fake points = new Fake("GET", "/api/points.json");
        points.params.put("m", "jvm_memory");
        points.params.put("f", "used");
        points.params.put("tags", "area=heap");
        assertThat(serve(p, points).text()).isEqualTo("{\"t\":[3000],\"lines\":[{\"label\":\"used\",\"v\":[42]}],"
                + "\"view\":\"value\",\"drawnUnit\":\"By\",\"capacity\":10,"
                + "\"kind\":\"gauge\",\"unit\":\"By\",\"description\":\"heap in use\"}");
        Fake badQ = new Fake("GET", "/api/points.json");
        badQ.params.put("q", "2");
        assertThat(serve(p, badQ).status).isEqualTo(400);
        Fake badSince = new Fake("GET", "/api/overview.json");
        badSince.params.put("since", "yesterday");
        assertThat(serve(p, badSince).status).isEqualTo(400);
        assertThat(serve(p, new Fake("GET", "/api/overview.json")).text()).startsWith("{\"cycle\":1,\"capacity\":10,"
                + "\"t\":[3000],\"charts\":[{\"id\":\"heap\",\"title\":\"Heap used\",\"unit\":\"By\","
                + "\"lines\":[{\"label\":\"used\",\"v\":[42]}]}],\"health\":null}");
    }

    @Test
    void memtraceGoesToTheMemtraceBundlesRecorderOnBehalfOfTheClient() throws Exception {
        Page p = page();
        Fake none = new Fake("POST", "/api/memtrace.json");
        none.params.put("seconds", "5");
        none.in.put(Page.TOKEN_HEADER, "secret");
        assertThat(serve(p, none).status).as("no memtrace bundle").isEqualTo(503);
        assertThat(none.text()).contains("memtrace unavailable");
        assertThat(serve(p, new Fake("GET", "/api/memtrace.jfr")).status).isEqualTo(404);
        allocations = mock(Allocations.class);
        Fake x = new Fake("POST", "/api/memtrace.json");
        x.params.put("seconds", "5");
        x.in.put(Page.TOKEN_HEADER, "secret");
        assertThat(serve(p, x).status).isEqualTo(200);
        verify(allocations).start(5, "web 127.0.0.1");
        org.mockito.Mockito.doThrow(new IllegalStateException("a recording is running")).when(allocations)
                .start(5, "web 127.0.0.1");
        Fake again = new Fake("POST", "/api/memtrace.json");
        again.params.put("seconds", "5");
        again.in.put(Page.TOKEN_HEADER, "secret");
        assertThat(serve(p, again).status).isEqualTo(400);
        assertThat(again.text()).isEqualTo("{\"answer\":\"error: a recording is running\"}");
        Fake bad = new Fake("POST", "/api/memtrace.json");
        bad.params.put("seconds", "five");
        bad.in.put(Page.TOKEN_HEADER, "secret");
        assertThat(serve(p, bad).status).isEqualTo(400);
    }

    @Test
    void aMalformedSpecIs400AndRunsNothing() throws Exception {
        Fake x = new Fake("POST", "/api/levels.json");
        x.params.put("spec", "a b\nLroot:off");
        x.in.put(Page.TOKEN_HEADER, "secret");
        assertThat(serve(page(), x).status).isEqualTo(400);
        verify(commands, never()).execute(anyString());
        verify(commands, never()).execute(anyString(), anyString());
    }

    @Test
    void everyResponseCarriesTheContentSecurityPolicyAndThePageHasNoInlineScript() throws Exception {
        when(sources.status()).thenReturn(new Statuses.Sources(true, List.of(), List.of()));
        Page p = page();
        for (String path : List.of("", "/api/state.json", "/static/app.js", "/static/uPlot.iife.min.js", "/nothing")) {
            Fake x = serve(p, new Fake("GET", path));
            assertThat(x.out).as(path).containsEntry("Content-Security-Policy", "default-src 'self'");
        }
        Fake html = serve(p, new Fake("GET", ""));
        assertThat(html.text()).contains("data-token=\"secret\"").doesNotContain("<script>").doesNotContain("style=");
        assertThat(serve(p, new Fake("GET", "/static/uPlot.iife.min.js")).body.size()).isGreaterThan(40_000);
        assertThat(serve(p, new Fake("GET", "/static/../page.html")).status).isEqualTo(404);
    }

    @Test
    void anEventStreamGetsEveryCycleOfItsSeriesAndEndsWhenThePageCloses() throws Exception {
        Page p = page();
        Fake x = new Fake("GET", "/api/events.stream");
        x.params.put("m", "cpu");
        x.params.put("f", "v");
        x.params.put("tags", "host=a");
        Thread t = new Thread(() -> {
            try {
                p.serve(x, "/osgimon", true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> x.text().contains("retry:"));
        history.add(new TestCycle(7_000_000_000L).point("cpu", "host", "a").field("v", 42)
                .point("cpu", "host", "b").field("v", 1));
        streams.cycle(7_000_000_000L);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> x.text().contains("event: cycle\ndata: {\"t\":[7000],\"lines\":[{\"label\":\"v\",\"v\":[42]}],"));
        assertThat(x.out).containsEntry("Content-Type", "text/event-stream; charset=utf-8");
        p.close();
        t.join(5000);
        assertThat(t.isAlive()).as("the stream ended").isFalse();
    }

    @Test
    void stateJoinsSourceStatesWithTheirLastCycleFigures() throws Exception {
        when(sources.status()).thenReturn(new Statuses.Sources(true, List.of(new SourceStatus.TagRule("jvm", false)),
                List.of(new SourceStatus.SourceState("memory", List.of("memory", "jvm"), false))));
        history.add(new TestCycle(5_000_000_000L).point("osgimon_source", "source", "memory").field("lines", 17)
                .field("errors", 2).point("osgimon", "target", "tcp").field("buffer_lines", 3));
        Fake x = serve(page(), new Fake("GET", "/api/state.json"));
        assertThat(x.text()).contains("{\"name\":\"memory\",\"tags\":[\"memory\",\"jvm\"],\"enabled\":false,"
                + "\"lastCollect\":5000,\"lines\":17,\"errors\":2}")
                .contains("{\"tag\":\"jvm\",\"rule\":false}")
                .contains("\"target\":\"tcp\"").contains("\"buffer_lines\":3");
    }

    @Test
    void theDeliveryCardComesFromTheCoresSnapshotWhenThereIsOne() throws Exception {
        when(sources.status()).thenReturn(new Statuses.Sources(true, List.of(), List.of()));
        history.add(new TestCycle(5_000_000_000L).point("osgimon", "target", "tcp").field("buffer_lines", 3));
        delivery = new Statuses.Delivery("tcp://127.0.0.1:8094", "disk", false, 51, 4096, 10, 2, 1, 7, 4, 3, 0,
                "connection refused", 12.5);
        Fake x = serve(page(), new Fake("GET", "/api/state.json"));
        assertThat(x.text()).contains("\"target\":\"tcp://127.0.0.1:8094\"").contains("\"connected\":\"no\"")
                .contains("\"lines_buffered\":51").contains("\"bytes_buffered\":4096")
                .contains("\"oldest_buffered_age_s\":12.5").contains("\"lines_rejected\":1")
                .contains("\"last_error\":\"connection refused\"").doesNotContain("buffer_lines");
    }
}
