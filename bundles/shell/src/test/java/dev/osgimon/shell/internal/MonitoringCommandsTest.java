package dev.osgimon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.osgimon.api.admin.CommandService;

class MonitoringCommandsTest {

    private final List<String> lines = new ArrayList<>();
    private final CommandService echo = line -> {
        lines.add(line);
        return "ok: " + line;
    };
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final MonitoringCommands commands = new MonitoringCommands(echo,
            () -> new PrintStream(console, true, StandardCharsets.UTF_8));

    /** Runs a command and returns what it printed. */
    private String printed(Runnable command) {
        console.reset();
        command.run();
        return console.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "l {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''|l",
        "*|l*",
        "monitoring-experiments,dns|lmonitoring-experiments,dns",
        "*:debug|L*:debug",
        "monitoring-experiments:error|Lmonitoring-experiments:error",
        "*:info,monitoring-experiments:debug|L*:info,monitoring-experiments:debug",
        "debug|Ldebug",
        "Warning|LWarning",
        "some.logger|lsome.logger",
    })
    void logCommandTellsSetFromShow(String spec, String line) {
        String[] args = spec.isEmpty() ? new String[0] : new String[] {spec};
        assertThat(printed(() -> commands.l(args))).isEqualTo("ok: " + line + "\n");
    }

    @ParameterizedTest(name = "m {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''|m",
        "*|m*",
        "memory,net|mmemory,net",
        "*:disable,memory:enable,net:enable|M*:disable,memory:enable,net:enable",
        "net:disable|Mnet:disable",
        "tag:http:enable|Mtag:http:enable",
        "enable|Menable",
        "off|Moff",
    })
    void metricsCommandTellsSwitchFromShow(String spec, String line) {
        String[] args = spec.isEmpty() ? new String[0] : new String[] {spec};
        assertThat(printed(() -> commands.m(args))).isEqualTo("ok: " + line + "\n");
    }

    @Test
    void wordsAreJoinedWithCommas() {
        assertThat(printed(() -> commands.l("*:info", "some.logger:debug"))).isEqualTo("ok: L*:info,some.logger:debug\n");
        assertThat(printed(() -> commands.m("memory", "net"))).isEqualTo("ok: mmemory,net\n");
        assertThat(printed(() -> commands.loglevel("info"))).isEqualTo("ok: Linfo\n");
        assertThat(printed(() -> commands.loglevels())).isEqualTo("ok: l\n");
        assertThat(printed(() -> commands.loglevels("a", "b"))).isEqualTo("ok: la,b\n");
        assertThat(printed(() -> commands.metrics("*"))).isEqualTo("ok: m*\n");
        assertThat(printed(() -> commands._switch("*:disable", "memory:enable"))).isEqualTo("ok: M*:disable,memory:enable\n");
    }

    @Test
    void enableAndDisable() {
        assertThat(printed(() -> commands.enable("memory", "tag:http"))).isEqualTo("ok: Mmemory:enable,tag:http:enable\n");
        assertThat(printed(() -> commands.disable("net,src:http"))).isEqualTo("ok: Mnet:disable,src:http:disable\n");
        assertThat(printed(() -> commands.disable())).isEqualTo("ok: M*:disable\n");
        assertThat(printed(() -> commands.enable("*"))).isEqualTo("ok: M*:enable\n");
    }

    @Test
    void answersArePassedThroughUnchanged() {
        MonitoringCommands failing = new MonitoringCommands(line -> "error: unknown source: nope",
                () -> new PrintStream(console, true, StandardCharsets.UTF_8));
        assertThat(printed(() -> failing.m("nope"))).isEqualTo("error: unknown source: nope\n");
        assertThat(printed(() -> failing.loglevel("x:loud"))).isEqualTo("error: unknown source: nope\n");
    }

    @Test
    void collectPrintsThePreviewAsItIs() throws Exception {
        java.lang.reflect.Field f = MonitoringCommands.class.getDeclaredField("preview");
        f.setAccessible(true);
        f.set(commands, (dev.osgimon.api.admin.CollectionPreview) () -> "a x=1i 1\nb y=2i 1\n");
        assertThat(printed(commands::collect)).isEqualTo("a x=1i 1\nb y=2i 1\n");
    }

    @Test
    void collectWithoutPreviewIsAnError() {
        assertThat(printed(() -> commands.collect())).isEqualTo("error: collection preview unavailable\n");
    }
}
