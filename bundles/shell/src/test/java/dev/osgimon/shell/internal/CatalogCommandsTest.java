package dev.osgimon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.admin.CommandService;
import dev.osgimon.api.admin.MetricCatalog;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;

/** {@code monitoring:c} (the protocol line) and {@code monitoring:catalog} (a table of the catalog). */
class CatalogCommandsTest {

    private static final String ANSWER = "ok: http_latency::histogram:s:http:Time to respond\\, per route,"
            + "jvm_gc:count:counter:{collection}:memory:Collections\\: young and old";

    private final List<String> lines = new ArrayList<>();
    private final AtomicReference<String> answer = new AtomicReference<>(ANSWER);
    private final CommandService service = (line, who) -> {
        lines.add(line);
        return answer.get();
    };
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final MonitoringCommands commands = new MonitoringCommands(service,
            () -> new PrintStream(console, true, StandardCharsets.UTF_8));
    private final List<MetricInfo> metrics = List.of(
            info("http_latency", "", Kind.HISTOGRAM, "s", "http", "Time to respond, per route"),
            info("jvm_gc", "count", Kind.COUNTER, "{collection}", "memory", "Collections: young and old"),
            info("jvm_memory", "used", Kind.GAUGE, "By", "memory", "Memory in use"));

    private static MetricInfo info(String measurement, String field, Kind kind, String unit, String source,
            String description) {
        return new MetricInfo() {
            public String source() {
                return source;
            }

            public String measurement() {
                return measurement;
            }

            public String field() {
                return field;
            }

            public Kind kind() {
                return kind;
            }

            public String unit() {
                return unit;
            }

            public String description() {
                return description;
            }

            public boolean declared() {
                return true;
            }
        };
    }

    private final MetricCatalog catalog = new MetricCatalog() {
        public List<MetricInfo> metrics() {
            return metrics;
        }

        public List<MetricInfo> metrics(String source) {
            return metrics.stream().filter(m -> m.source().equals(source)).toList();
        }
    };

    private String printed(Runnable command) {
        console.reset();
        command.run();
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cPrintsTheProtocolAnswerAsItIs() {
        assertThat(printed(() -> commands.c(null))).isEqualTo(ANSWER + "\n");
        assertThat(printed(() -> commands.c(null, "memory", "http"))).isEqualTo(ANSWER + "\n");
        assertThat(lines).containsExactly("c", "cmemory,http");
    }

    @Test
    void catalogPrintsATableOfTheCatalogAfterTheCommandAcceptedIt() {
        commands.metricCatalog = catalog;
        assertThat(printed(() -> commands.catalog(null, "*"))).isEqualTo(String.join("\n",
                "MEASUREMENT   FIELD  KIND       UNIT          SOURCE  DESCRIPTION",
                "http_latency         histogram  s             http    Time to respond, per route",
                "jvm_gc        count  counter    {collection}  memory  Collections: young and old",
                "jvm_memory    used   gauge      By            memory  Memory in use",
                ""));
        assertThat(printed(() -> commands.catalog(null, "http"))).isEqualTo(String.join("\n",
                "MEASUREMENT   FIELD  KIND       UNIT  SOURCE  DESCRIPTION",
                "http_latency         histogram  s     http    Time to respond, per route",
                ""));
        assertThat(lines).containsExactly("c*", "chttp");
    }

    @Test
    void catalogOfNothingIsTheHeaderAndAnErrorIsPrintedAsIs() {
        commands.metricCatalog = catalog;
        answer.set("ok");
        assertThat(printed(() -> commands.catalog(null, "quiet")))
                .isEqualTo("MEASUREMENT  FIELD  KIND  UNIT  SOURCE  DESCRIPTION\n");
        answer.set("error: unknown source: nope");
        assertThat(printed(() -> commands.catalog(null, "nope"))).isEqualTo("error: unknown source: nope\n");
        commands.metricCatalog = null;
        answer.set("ok");
        assertThat(printed(() -> commands.catalog(null))).isEqualTo("error: metric catalog unavailable\n");
    }
}
