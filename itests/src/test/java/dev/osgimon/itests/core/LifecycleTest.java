package dev.osgimon.itests.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.Ports;
import dev.osgimon.itests.support.Waits;

/** Starting and stopping the distribution as a user does. */
class LifecycleTest {

    @Test
    void withoutAReceiverItStartsWarnsOncePerOutageAndStopsCleanlyOnSigterm() throws Exception {
        int nobody = Ports.free();
        try (Distribution d = Distribution.start(Map.of("OSGIMON_TARGET", "tcp://127.0.0.1:" + nobody))) {
            String warning = "Cannot send to tcp://127.0.0.1:" + nobody;
            Waits.until("the outage warning", Duration.ofSeconds(30), () -> d.logText().contains(warning));
            long start = System.nanoTime();
            // several more intervals (1 s) without a receiver: still one warning
            Waits.until("4 more cycles", Duration.ofSeconds(10), () -> System.nanoTime() - start > TimeUnit.SECONDS.toNanos(4));
            assertThat(d.logText()).containsOnlyOnce(warning);
            assertThat(d.isAlive()).isTrue();

            d.process().destroy(); // SIGTERM
            assertThat(d.process().waitFor(30, TimeUnit.SECONDS)).as("exits within 30 s of SIGTERM").isTrue();
            assertThat(d.logText()).as("the framework stopped the core, which reports what waits in its spool")
                    .containsPattern("Stopping with \\d+ lines kept in the spool for the next start");
        }
    }

    @Test
    void onATerminalItShowsTheGogoPromptAndTheBundlesAreActive() throws Exception {
        Path script = Path.of("/usr/bin/script");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("util-linux 'script' is needed to give the distribution a terminal");
        }
        Distribution d = Distribution.prepare(Map.of());
        try {
            // script(1) runs bin/osgimon on a pseudo-terminal, as a user's shell would
            ProcessBuilder pb = new ProcessBuilder(script.toString(), "-qfc", d.home().resolve("bin/osgimon").toString(),
                    d.home().resolve("typescript").toString());
            pb.environment().putAll(d.env());
            pb.directory(d.home().toFile());
            pb.redirectErrorStream(true);
            pb.redirectOutput(d.console().toFile());
            Process p = pb.start();
            try (OutputStream keys = p.getOutputStream()) {
                Waits.until("the g! prompt", Duration.ofSeconds(60), () -> d.consoleText().contains("g! "));
                Waits.until("the core started", Duration.ofSeconds(60), () -> d.consoleText().contains("osgimon collecting every"));
                type(keys, "lb osgimon\n");
                Waits.until("lb output", Duration.ofSeconds(30), () -> d.consoleText().contains("osgimon core"));
                assertThat(d.consoleText()).containsPattern("Active\\s*\\|\\s*\\d+\\|osgimon core");
                type(keys, "stop 0\n");
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stop 0 ends the process").isTrue();
            } finally {
                p.destroyForcibly();
            }
        } finally {
            d.close();
        }
    }

    private static void type(OutputStream keys, String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }
}
