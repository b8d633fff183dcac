package dev.osgimon.itests.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;

/**
 * The command port as the last thing that fails, against the running distribution: thousands of idle and
 * byte-a-second clients held open do not lock the operator out, do not cost a thread each and do not change
 * anything; at the cap, the connection idle longest makes room for a newcomer.
 *
 * <p>The latency of {@code m*} (idle and under load) is measured and printed, not asserted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandServerLoadTest {

    private static final int IDLE = 5000;
    private static final int SLOW = 1000;
    private static final int SAMPLES = 1000;

    private static Distribution osgimon;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        // Both JVMs need a file descriptor per connection. HotSpot raises its soft limit to the hard one at
        // start (-XX:+MaxFDLimit, the default), so the hard limit of the shell running the build counts.
        long limit = openFileLimit();
        assertThat(limit).as("hard limit of open files (raise it with ulimit -Hn)").isGreaterThan(IDLE + SLOW + 2000L);
        osgimon = Distribution.prepare(Map.of());
        Path cfg = osgimon.home().resolve("etc/dev.osgimon.core.cfg");
        Files.writeString(cfg, Files.readString(cfg).replace("commandMaxClients=1024", "commandMaxClients=10000"));
        osgimon.start();
        port = osgimon.port("OSGIMON_COMMAND_PORT");
    }

    @AfterAll
    static void stop() {
        if (osgimon != null) {
            osgimon.close();
        }
    }

    private static String tcp(String line) {
        return Tcp.command(port, line);
    }

    @Test
    @Order(1)
    void thousandsOfIdleAndSlowClientsLockNobodyOutAndCostNoThreads() throws Exception {
        long pid = osgimon.process().pid();
        String sources = tcp("m*");
        String levels = tcp("l");
        latencies(SAMPLES); // warm-up: the first commands after start run in the interpreter
        long[] idle = latencies(SAMPLES);
        int threadsBefore = threads(pid);
        long fdsBefore = fds(pid);

        long[] loaded;
        int threadsLoaded;
        try (Crowd crowd = new Crowd(port, IDLE, SLOW)) {
            Waits.until(IDLE + SLOW + " clients connected", Duration.ofSeconds(60),
                    () -> crowd.connected() == IDLE + SLOW);
            // the server holds them: a file descriptor each
            Waits.until("the server holds the crowd", Duration.ofSeconds(30),
                    () -> fds(pid) >= fdsBefore + IDLE + SLOW - 100);
            // measured while the server times the crowd out after 10 s and the crowd comes back at once
            List<long[]> rounds = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            do {
                rounds.add(latencies(SAMPLES / 10));
            } while (crowd.reopened() < IDLE + SLOW && System.nanoTime() < until);
            loaded = rounds.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            assertThat(crowd.reopened()).as("connections timed out by the server and opened again")
                    .isGreaterThanOrEqualTo(IDLE + SLOW);
            assertThat(tcp("m*")).isEqualTo(sources);
            threadsLoaded = threads(pid);
            // the whole crowd is taken in again after the timeouts
            Waits.until("the crowd attached again", Duration.ofSeconds(60), () -> crowd.connected() == IDLE + SLOW);
            assertThat(tcp("m*")).isEqualTo(sources);
            System.out.printf("command latency of m* with %d idle + %d slowloris clients: %s; crowd reopened %d"
                    + " connections the server timed out%n", IDLE, SLOW, text(loaded), crowd.reopened());
        }
        System.out.printf("command latency of m* idle: %s%n", text(idle));
        System.out.printf("threads of the osgimon process: %d before, %d under load%n", threadsBefore, threadsLoaded);

        // no thread per connection: a few threads more or less come and go (collection, Jetty), not thousands
        assertThat(threadsLoaded).isLessThan(threadsBefore + 20);
        assertThat(tcp("m*")).isEqualTo(sources);
        assertThat(tcp("l")).isEqualTo(levels);
        assertThat(osgimon.logText()).doesNotContain("Command server failed");
    }

    @Test
    @Order(2)
    void atTheCapTheConnectionIdleLongestMakesRoom() throws Exception {
        Path cfg = osgimon.home().resolve("etc/dev.osgimon.core.cfg");
        Files.writeString(cfg, Files.readString(cfg).replace("commandMaxClients=10000", "commandMaxClients=20"));
        Waits.until("server restarted with 20 connections at most", Duration.ofSeconds(30),
                () -> osgimon.logText().contains("(at most 20 connections)"));
        Waits.until("server answers", Duration.ofSeconds(30), () -> {
            try {
                return tcp("m").startsWith("ok: ");
            } catch (UncheckedIOException e) {
                return false;
            }
        });
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(15_000);
                held.add(s);
            }
            Socket idlest = held.get(0);
            // every other one shows a sign of life: the first stays the one idle longest
            for (Socket s : held.subList(1, held.size())) {
                s.getOutputStream().write('m');
            }
            // the cap is full: a newcomer is served all the same
            assertThat(tcp("m")).startsWith("ok: *:");
            assertThat(new String(idlest.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("error: closed to make room (commandMaxClients 20)\n");
            // the others were not touched: each finishes its command
            Socket second = held.get(1);
            second.getOutputStream().write('\n');
            assertThat(new String(second.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("ok: *:");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** Runs {@code m*} {@code n} times, one after the other. */
    private static long[] latencies(int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            String answer = tcp("m*");
            nanos[i] = System.nanoTime() - t0;
            assertThat(answer).startsWith("ok: *:");
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static String text(long[] sorted) {
        return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d commands)", sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6, sorted[sorted.length - 1] / 1e6, sorted.length);
    }

    private static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).strip());
            }
        }
        throw new IllegalStateException("no thread count for " + pid);
    }

    private static long fds(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long openFileLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).strip().split("\\s+");
                return f[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[1]);
            }
        }
        return Long.MAX_VALUE;
    }
}
