package dev.osgimon.itests.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import dev.osgimon.api.MetricSource;
import dev.osgimon.api.admin.CollectionPreview;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.api.admin.SourceRule;
import dev.osgimon.api.admin.SourceStatus.SourceState;
import dev.osgimon.itests.sources.hello.HelloActivator;
import dev.osgimon.itests.support.InFramework;

/**
 * The three source bundles inside a real Felix with SCR, ConfigAdmin, the osgimon core and Felix HTTP
 * Jetty 12 (see {@code itests/in-framework.bndrun}): they show in the core's state with their tags,
 * leave it when their bundle stops, and their points come out of the core's encoder; the http source
 * counts real requests exactly.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class SourcesInFrameworkTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

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

    private static SourceControl control;
    private static CollectionPreview preview;
    private static int httpPort;

    @BeforeAll
    static void startSources() throws Exception {
        httpPort = HelloBundle.serve(context, cm, tmp.resolve("hello.jar"));
        control = controls.waitForService(WAIT.toMillis());
        preview = previews.waitForService(WAIT.toMillis());
    }

    private static SourceState state(String name) {
        return control.status().sources().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    @Test
    void everySourceIsInTheStateWithItsTags() {
        await().atMost(WAIT).untilAsserted(() -> assertThat(control.status().sources())
                .extracting(SourceState::name, SourceState::tags, SourceState::enabled)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("memory", List.of("memory", "jvm"), true),
                        org.assertj.core.groups.Tuple.tuple("net", List.of("net"), true),
                        org.assertj.core.groups.Tuple.tuple("http", List.of("http"), true)));
    }

    @ParameterizedTest
    @CsvSource({
        "dev.osgimon.source.memory, memory, jvm_memory,area=heap",
        "dev.osgimon.source.net, net, net,interface=all",
        "dev.osgimon.source.http, http, http_response",
    })
    void aSourceLeavesWithItsBundleAndComesBackWithIt(String bsn, String source, String line) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(!"net".equals(source) || Files.isReadable(Path.of("/proc/net/snmp")),
                "the net source has nothing to write without /proc");
        await().atMost(WAIT).until(() -> state(source) != null);
        assertThat(LineProtocol.fields(preview.preview(), line)).isNotEmpty();
        Bundle bundle = InFramework.bundle(context, bsn);
        bundle.stop();
        try {
            await().atMost(WAIT).until(() -> state(source) == null);
            assertThat(context.getServiceReferences(MetricSource.class, "(" + MetricSource.NAME + "=" + source + ")")).isEmpty();
            assertThat(LineProtocol.fields(preview.preview(), line)).isEmpty();
        } finally {
            bundle.start();
        }
        await().atMost(WAIT).until(() -> state(source) != null);
        assertThat(LineProtocol.fields(preview.preview(), line)).isNotEmpty();
    }

    @Test
    void memoryAndNetPointsComeOutOfTheEncoder() {
        await().atMost(WAIT).until(() -> state("memory") != null && state("net") != null);
        String lines = preview.preview();
        assertThat(LineProtocol.integer(lines, "jvm_memory,area=heap", "used")).isPositive();
        assertThat(lines).contains("jvm_gc,gc=").contains("jvm_buffer_pool,pool=direct ");
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertThat(LineProtocol.fields(lines, "net,interface=all")).containsKey("tcp_currestab");
        }
    }

    private static int send(String method, String path) throws Exception {
        return HelloBundle.send(httpPort, method, path);
    }

    @Test
    void theHttpSourceCountsEveryRequestIncluding404s() throws Exception {
        await().atMost(WAIT).until(() -> state("http") != null && send("GET", HelloActivator.PATH) == 200);
        String before = preview.preview();

        for (int i = 0; i < 3; i++) {
            assertThat(send("GET", HelloActivator.PATH)).isEqualTo(200);
        }
        assertThat(send("DELETE", HelloActivator.PATH)).isEqualTo(200);
        assertThat(send("GET", "/no/such/path")).isEqualTo(404);
        assertThat(send("GET", "/nothing?q=1")).isEqualTo(404);
        assertThat(send("POST", "/no/such/path")).isEqualTo(404);

        String after = preview.preview();
        assertThat(delta(before, after, "http_response", "2xx")).isEqualTo(4);
        assertThat(delta(before, after, "http_response", "4xx")).isEqualTo(3);
        assertThat(delta(before, after, "http_response", "5xx")).isZero();
        assertThat(delta(before, after, "http_response", "total")).isEqualTo(7);
        assertThat(delta(before, after, "http_requests,method=GET", "total")).isEqualTo(5);
        assertThat(delta(before, after, "http_requests,method=POST", "total")).isEqualTo(1);
        assertThat(delta(before, after, "http_requests,method=DELETE", "total")).isEqualTo(1);
        // latency per route: the hello servlet by its name, the 404s of no servlet under none
        assertThat(delta(before, after, "http_latency,route=osgimon-itest-hello", "count")).isEqualTo(4);
        assertThat(delta(before, after, "http_latency_bucket,route=osgimon-itest-hello,le=+Inf", "count")).isEqualTo(4);
        assertThat(delta(before, after, "http_latency,route=none", "count")).isEqualTo(3);
        assertThat(delta(before, after, "http_latency_bucket,route=none,le=+Inf", "count")).isEqualTo(3);
        assertThat(LineProtocol.integer(after, "http_server", "in_flight")).isZero();
        assertThat(after).doesNotContain("/no/such/path").doesNotContain("/hello");
    }

    @Test
    void aDisabledSourceIsNotCollectedButStillCounts() throws Exception {
        await().atMost(WAIT).until(() -> state("http") != null && send("GET", HelloActivator.PATH) == 200);
        long before = LineProtocol.integer(preview.preview(), "http_response", "total");
        control.apply(List.of(SourceRule.tag("http", false)));
        try {
            assertThat(state("http").enabled()).isFalse();
            assertThat(send("GET", "/off")).isEqualTo(404);
            assertThat(LineProtocol.fields(preview.preview(), "http_response")).isEmpty();
        } finally {
            control.apply(List.of(SourceRule.tag("http", true)));
        }
        assertThat(LineProtocol.integer(preview.preview(), "http_response", "total")).isEqualTo(before + 1);
    }

    private static long delta(String before, String after, String prefix, String field) {
        return LineProtocol.integer(after, prefix, field) - LineProtocol.integer(before, prefix, field);
    }
}
