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

/** {@code monitoring:c} (the protocol line) and {@code monitoring:catalog} (a table of the same answer). */
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
    void catalogPrintsATable() {
        assertThat(printed(() -> commands.catalog(null, "*"))).isEqualTo(String.join("\n",
                "MEASUREMENT   FIELD  KIND       UNIT          SOURCE  DESCRIPTION",
                "http_latency         histogram  s             http    Time to respond, per route",
                "jvm_gc        count  counter    {collection}  memory  Collections: young and old",
                ""));
        assertThat(lines).containsExactly("c*");
    }

    @Test
    void catalogOfNothingIsTheHeaderAndAnErrorIsPrintedAsIs() {
        answer.set("ok");
        assertThat(printed(() -> commands.catalog(null, "quiet")))
                .isEqualTo("MEASUREMENT  FIELD  KIND  UNIT  SOURCE  DESCRIPTION\n");
        answer.set("error: unknown source: nope");
        assertThat(printed(() -> commands.catalog(null, "nope"))).isEqualTo("error: unknown source: nope\n");
    }
}
