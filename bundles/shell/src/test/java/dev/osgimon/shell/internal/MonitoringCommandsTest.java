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
    private final List<String> senders = new ArrayList<>();
    private final CommandService echo = (line, who) -> {
        lines.add(line);
        senders.add(who);
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
        "org.foo:debug@10m|Lorg.foo:debug@10m",
        "debug@2s|Ldebug@2s",
        "*:info@1h|L*:info@1h",
    })
    void logCommandTellsSetFromShow(String spec, String line) {
        String[] args = spec.isEmpty() ? new String[0] : new String[] {spec};
        assertThat(printed(() -> commands.l(null, args))).isEqualTo("ok: " + line + "\n");
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
        assertThat(printed(() -> commands.m(null, args))).isEqualTo("ok: " + line + "\n");
    }

    @Test
    void wordsAreJoinedWithCommas() {
        assertThat(printed(() -> commands.l(null, "*:info", "some.logger:debug"))).isEqualTo("ok: L*:info,some.logger:debug\n");
        assertThat(printed(() -> commands.m(null, "memory", "net"))).isEqualTo("ok: mmemory,net\n");
        assertThat(printed(() -> commands.loglevel(null, "info"))).isEqualTo("ok: Linfo\n");
        assertThat(printed(() -> commands.loglevels(null))).isEqualTo("ok: l\n");
        assertThat(printed(() -> commands.loglevels(null, "a", "b"))).isEqualTo("ok: la,b\n");
        assertThat(printed(() -> commands.metrics(null, "*"))).isEqualTo("ok: m*\n");
        assertThat(printed(() -> commands._switch(null, "*:disable", "memory:enable"))).isEqualTo("ok: M*:disable,memory:enable\n");
    }

    @Test
    void enableAndDisable() {
        assertThat(printed(() -> commands.enable(null, "memory", "tag:http"))).isEqualTo("ok: Mmemory:enable,tag:http:enable\n");
        assertThat(printed(() -> commands.disable(null, "net,src:http"))).isEqualTo("ok: Mnet:disable,src:http:disable\n");
        assertThat(printed(() -> commands.disable(null))).isEqualTo("ok: M*:disable\n");
        assertThat(printed(() -> commands.enable(null, "*"))).isEqualTo("ok: M*:enable\n");
    }

    @Test
    void answersArePassedThroughUnchanged() {
        MonitoringCommands failing = new MonitoringCommands((line, who) -> "error: unknown source: nope",
                () -> new PrintStream(console, true, StandardCharsets.UTF_8));
        assertThat(printed(() -> failing.m(null, "nope"))).isEqualTo("error: unknown source: nope\n");
        assertThat(printed(() -> failing.loglevel(null, "x:loud"))).isEqualTo("error: unknown source: nope\n");
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

    @Test
    void theSessionIsNamedAsTheSender() {
        org.apache.felix.service.command.CommandSession session =
                org.mockito.Mockito.mock(org.apache.felix.service.command.CommandSession.class);
        org.mockito.Mockito.when(session.get("USER")).thenReturn("karaf");
        printed(() -> commands.l(session, "org.foo:debug@2s"));
        assertThat(senders).containsExactly("shell session " + Integer.toHexString(System.identityHashCode(session))
                + " (user karaf)");
    }
}
