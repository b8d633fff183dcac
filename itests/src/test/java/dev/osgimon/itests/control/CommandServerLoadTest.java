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
 * The command port as the last thing that fails, against the running distribution as shipped
 * ({@code commandMaxClients=1024}): more connections than the cap are taken in by closing the one idle
 * longest, so a newcomer is always served; 10,000 hostile clients (idle and byte-a-second, coming back
 * as soon as they are closed) neither lock the operator out nor cost a thread each nor change
 * anything. The "at least 10,000 concurrent connections" of docs/protocol.md is the server's capacity, which the
 * shipped cap bounds on purpose: raised above 10,000 (as docs/protocol.md says an operator may), the
 * server holds 10,000 connections at once on its one selector thread.
 *
 * <p>The latency of {@code m*} (idle and under load) is measured and printed, not asserted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandServerLoadTest {

    private static final int SHIPPED_CAP = 1024;
    private static final int CROWD = 10_000;
    private static final int SLOW = 1000;
    private static final int SAMPLES = 1000;
    /** File descriptors of the osgimon process besides command connections that may come and go. */
    private static final int FD_SLACK = 64;

    private static Distribution osgimon;
    private static int port;
    private static long pid;
    private static String sources;
    private static String levels;

    @BeforeAll
    static void start() throws IOException {
        // Both JVMs need a file descriptor per connection. HotSpot raises its soft limit to the hard one at
        // start (-XX:+MaxFDLimit, the default), so the hard limit of the shell running the build counts.
        long limit = openFileLimit();
        assertThat(limit).as("hard limit of open files (raise it with ulimit -Hn)").isGreaterThan(CROWD + 2000L);
        osgimon = Distribution.prepare(Map.of());
        assertThat(Files.readString(osgimon.home().resolve("etc/dev.osgimon.command.cfg")))
                .as("the shipped cap").contains("commandMaxClients=" + SHIPPED_CAP);
        osgimon.start();
        port = osgimon.port("OSGIMON_COMMAND_PORT");
        pid = osgimon.process().pid();
        Waits.until("(at most " + SHIPPED_CAP + " connections) in the log", Duration.ofSeconds(30),
                () -> osgimon.logText().contains("(at most " + SHIPPED_CAP + " connections)"));
        sources = tcp("m*");
        levels = tcp("l");
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

    /**
     * 1,024 + 300 idle connections, opened one after the other: each one beyond the cap closes the one idle
     * longest, so the first 300 get {@code error: closed to make room (commandMaxClients 1024)} in the order
     * they came, the newest 1,024 stay open and untouched, the server holds no more than its cap, and a
     * newcomer with a command is served (closing the next idlest).
     */
    @Test
    @Order(1)
    void beyondTheShippedCapTheConnectionIdleLongestMakesRoomForEachNewcomer() throws Exception {
        int extra = 300;
        String evicted = "error: closed to make room (commandMaxClients " + SHIPPED_CAP + ")\n";
        long fdsBefore = fds(pid);
        List<Socket> held = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < SHIPPED_CAP + extra; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(5000);
                held.add(s);
            }
            for (int i = 0; i < extra; i++) {
                assertThat(new String(held.get(i).getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .as("connection %d, among the %d idle longest", i, extra).isEqualTo(evicted);
            }
            Waits.until("the server holds its cap, no more", Duration.ofSeconds(5),
                    () -> fds(pid) <= fdsBefore + SHIPPED_CAP + FD_SLACK);
            // the newest 1,024 got nothing: nothing was closed but the idlest (every close says why first)
            for (int i = extra; i < held.size(); i++) {
                assertThat(held.get(i).getInputStream().available()).as("connection %d untouched", i).isZero();
            }
            long elapsed = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertThat(elapsed).as("all of this within the 10 s a client has to send its line").isLessThan(9000);

            // a newcomer is served at once: the next idlest (the oldest still open) makes room
            assertThat(tcp("m*")).isEqualTo(sources);
            assertThat(new String(held.get(extra).getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .as("connection %d, now the idle longest", extra).isEqualTo(evicted);
            assertThat(held.get(extra + 1).getInputStream().available()).isZero();
            // and one of those held still has its command answered
            Socket last = held.get(held.size() - 1);
            last.getOutputStream().write("l\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(last.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(levels);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        assertThat(osgimon.isAlive()).isTrue();
        assertThat(tcp("m*")).isEqualTo(sources);
    }

    /**
     * 10,000 hostile clients at the shipped cap, each opened again as soon as the server closes it (for room
     * or at its 10 s timeout): the server holds at most its cap the whole time, serves every operator
     * command correctly, runs no thread per connection and survives.
     */
    @Test
    @Order(2)
    void tenThousandHostileClientsAtTheShippedCapNeverLockTheOperatorOut() throws Exception {
        latencies(SAMPLES); // warm-up: the first commands after start run in the interpreter
        long[] idle = latencies(SAMPLES);
        int threadsBefore = threads(pid);
        long fdsBefore = fds(pid);
        List<Long> loaded = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        int commands = 0;
        long maxFds = 0;
        int maxThreads = 0;
        long reopened;
        try (Crowd crowd = new Crowd(port, CROWD - SLOW, SLOW)) {
            Waits.until("the crowd pressing on the cap", Duration.ofSeconds(60), () -> crowd.reopened() >= CROWD);
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            do {
                for (int i = 0; i < SAMPLES / 20; i++) {
                    long t0 = System.nanoTime();
                    String answer = tcp("m*");
                    loaded.add(System.nanoTime() - t0);
                    commands++;
                    if (!answer.equals(sources)) {
                        wrong.add(answer.strip());
                    }
                }
                maxFds = Math.max(maxFds, fds(pid));
                maxThreads = Math.max(maxThreads, threads(pid));
            } while (System.nanoTime() < until);
            reopened = crowd.reopened();
        }
        System.out.printf("command latency of m* with %d hostile clients at the shipped cap of %d: %s; %d of %d"
                + " commands not served; the crowd reopened %d connections the server closed; server fds at most %d"
                + " (%d before)%n", CROWD, SHIPPED_CAP, text(loaded.stream().mapToLong(Long::longValue).sorted().toArray()),
                wrong.size(), commands, reopened, maxFds, fdsBefore);
        System.out.printf("command latency of m* idle: %s%n", text(idle));
        assertThat(maxFds).as("the server holds at most its cap").isLessThanOrEqualTo(fdsBefore + SHIPPED_CAP + FD_SLACK);
        assertThat(maxThreads).as("no thread per connection").isLessThan(threadsBefore + 20);
        assertThat(osgimon.isAlive()).isTrue();
        assertThat(tcp("m*")).isEqualTo(sources);
        assertThat(tcp("l")).isEqualTo(levels);
        assertThat(osgimon.logText()).doesNotContain("Command server failed");
        // docs/protocol.md: at the cap the connection idle longest is closed and the newcomer is served
        assertThat(wrong).as("the operator's answers that were not the right one, of %d commands", commands).isEmpty();
    }

    /**
     * The capacity docs/protocol.md names: with the cap raised above 10,000, a crowd of 10,200 (1,000 of them
     * byte-a-second) keeps the server holding at least 10,000 connections at once (a file descriptor each,
     * counted in /proc; the crowd reopens what the 10 s timeout closes), on no thread per connection,
     * and the operator is served.
     */
    @Test
    @Order(3)
    void withTheCapRaisedTheServerHoldsTenThousandConnectionsAtOnce() throws Exception {
        int crowd = CROWD + 200;
        int cap = crowd + 300;
        Path cfg = osgimon.home().resolve("etc/dev.osgimon.command.cfg");
        Files.writeString(cfg, Files.readString(cfg).replace("commandMaxClients=" + SHIPPED_CAP, "commandMaxClients=" + cap));
        Waits.until("server restarted with " + cap + " connections at most", Duration.ofSeconds(30),
                () -> osgimon.logText().contains("(at most " + cap + " connections)"));
        Waits.until("server answers", Duration.ofSeconds(30), () -> {
            try {
                return tcp("m*").equals(sources);
            } catch (UncheckedIOException e) {
                return false;
            }
        });
        int threadsBefore = threads(pid);
        long fdsBefore = fds(pid);
        long[] loaded;
        int threadsLoaded;
        long held;
        try (Crowd c = new Crowd(port, crowd - SLOW, SLOW)) {
            long[] most = {0};
            Waits.until("the server holds " + CROWD + " connections at once", Duration.ofSeconds(60), () -> {
                most[0] = Math.max(most[0], fds(pid) - fdsBefore);
                return most[0] >= CROWD;
            });
            held = most[0];
            loaded = latencies(SAMPLES / 10);
            threadsLoaded = threads(pid);
            assertThat(tcp("m*")).isEqualTo(sources);
        }
        System.out.printf("command latency of m* with %d connections held: %s; threads %d before, %d with them%n",
                held, text(loaded), threadsBefore, threadsLoaded);
        assertThat(threadsLoaded).as("no thread per connection").isLessThan(threadsBefore + 20);
        assertThat(tcp("m*")).isEqualTo(sources);
        assertThat(tcp("l")).isEqualTo(levels);
        assertThat(osgimon.logText()).doesNotContain("Command server failed");
    }

    /** Runs {@code m*} {@code n} times, one after the other; every answer must be the right one. */
    private static long[] latencies(int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            String answer = tcp("m*");
            nanos[i] = System.nanoTime() - t0;
            assertThat(answer).isEqualTo(sources);
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
