package dev.osgimon.command.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.osgimon.api.model.Kind;

/** The {@code c} command (the metric catalog) against a fake catalog. */
class CatalogCommandTest {

    private FakeSourceControl sources;
    private FakeMetricCatalog catalog;
    private CommandProcessor processor;

    @BeforeEach
    void setUp() {
        sources = new FakeSourceControl().register("memory", "memory").register("http", "http")
                .register("quiet", "other");
        catalog = new FakeMetricCatalog()
                .add("memory", "jvm_memory", "used", Kind.GAUGE, "By", "Bytes used, per pool")
                .add("http", "http_response", "4xx", Kind.COUNTER, "{response}", "Responses with status 4xx")
                .add("http", "http_latency", "", Kind.HISTOGRAM, "s", "Time from request to response, per route")
                .add("memory", "jvm_memory", "*", Kind.GAUGE, "", "")
                .add("memory", "jvm_gc", "count", Kind.COUNTER, "{collection}", "Collections: a, b: c\\d")
                .source("quiet");
        processor = new CommandProcessor(sources, () -> null, () -> catalog);
    }

    @Test
    void listsEveryMetricSortedByMeasurementFieldAndSource() {
        assertThat(processor.execute("c")).isEqualTo("ok: "
                + "http_latency::histogram:s:http:Time from request to response\\, per route,"
                + "http_response:4xx:counter:{response}:http:Responses with status 4xx,"
                + "jvm_gc:count:counter:{collection}:memory:Collections\\: a\\, b\\: c\\\\d,"
                + "jvm_memory:*:gauge::memory:,"
                + "jvm_memory:used:gauge:By:memory:Bytes used\\, per pool");
        assertThat(processor.execute("c*")).isEqualTo(processor.execute("c"));
    }

    @Test
    void theLineSplitsBackIntoItsParts() {
        String answer = processor.execute("cmemory");
        assertThat(answer).startsWith("ok: ");
        assertThat(CatalogLines.parse(answer.substring(4))).containsExactly(
                List.of("jvm_gc", "count", "counter", "{collection}", "memory", "Collections: a, b: c\\d"),
                List.of("jvm_memory", "*", "gauge", "", "memory", ""),
                List.of("jvm_memory", "used", "gauge", "By", "memory", "Bytes used, per pool"));
    }

    @Test
    void limitsToNamedSources() {
        assertThat(processor.execute("chttp")).isEqualTo("ok: "
                + "http_latency::histogram:s:http:Time from request to response\\, per route,"
                + "http_response:4xx:counter:{response}:http:Responses with status 4xx");
        assertThat(CatalogLines.parse(processor.execute("c memory , http").substring(4))).hasSize(5);
    }

    @Test
    void aSourceWithNothingDeclaredAnswersPlainOk() {
        assertThat(processor.execute("cquiet")).isEqualTo("ok");
    }

    @Test
    void anUnknownOrMalformedSourceIsAnError() {
        assertThat(processor.execute("cnope")).isEqualTo("error: unknown source: nope");
        assertThat(processor.execute("chttp,nope")).isEqualTo("error: unknown source: nope");
        assertThat(processor.execute("cNo Such")).startsWith("error: malformed source name 'No Such'");
        assertThat(processor.execute("chttp,")).startsWith("error: empty part");
        assertThat(processor.execute("chttp,*")).isEqualTo("error: '*' must stand alone");
    }

    @Test
    void withoutACatalogServiceItSaysSo() {
        CommandProcessor without = new CommandProcessor(sources, () -> null);
        assertThat(without.execute("c")).isEqualTo("error: metric catalog unavailable");
    }

    @Test
    void controlCharactersNeverBreakTheLine() {
        catalog.add("memory", "jvm_memory", "committed", Kind.GAUGE, "By", "two\nlines\r\tand a tab");
        assertThat(processor.execute("cmemory")).doesNotContain("\n", "\r", "\t")
                .contains("jvm_memory:committed:gauge:By:memory:two lines  and a tab");
    }
}
