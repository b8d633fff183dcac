package dev.osgimon.core.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.osgimon.core.internal.CoreConfig;

class CommandServerTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        waitFor(() -> commandThreads().isEmpty(), Duration.ofSeconds(5));
    }

    private CommandServer server(CommandServer.Limits limits) throws IOException {
        CommandServer server = new CommandServer(LOOPBACK, line -> {
            received.add(line);
            return "ok: " + line.length();
        }, limits);
        toClose.add(server);
        return server;
    }

    private CommandServer server() throws IOException {
        return server(CommandServer.Limits.DEFAULT);
    }

    @Test
    void answersOneLineAndCloses() throws IOException {
        CommandServer server = server();
        assertThat(exchange(server.address(), "m*\n")).isEqualTo("ok: 2\n");
        assertThat(exchange(server.address(), "l\r\n")).isEqualTo("ok: 1\n");
        assertThat(exchange(server.address(), "Mnet:disable")).isEqualTo("ok: 12\n"); // end of stream ends the line
        assertThat(exchange(server.address(), "m\nsecond line ignored\n")).isEqualTo("ok: 1\n");
        assertThat(received).containsExactly("m*", "l", "Mnet:disable", "m");
    }

    @Test
    void emptyLineIsPassedOnAsEmptyCommand() throws IOException {
        CommandServer server = server();
        assertThat(exchange(server.address(), "\n")).isEqualTo("ok: 0\n");
        assertThat(received).containsExactly("");
    }

    @Test
    void lineOfExactlyTheLimitIsAcceptedOneMoreByteIsNot() throws IOException {
        CommandServer server = server();
        String longest = "l" + "a".repeat(4095);
        assertThat(exchange(server.address(), longest + "\r\n")).isEqualTo("ok: 4096\n");
        assertThat(exchange(server.address(), longest + "a\n")).isEqualTo("error: line too long (limit 4096 bytes)\n");
        assertThat(exchange(server.address(), longest + "a")).isEqualTo("error: line too long (limit 4096 bytes)\n");
        assertThat(received).containsExactly(longest);
    }

    @Test
    void megabyteLineIsRefusedAndTheClientReadsTheAnswer() throws IOException {
        CommandServer server = server();
        byte[] big = new byte[1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        assertThat(exchange(server.address(), big, true)).isEqualTo("error: line too long (limit 4096 bytes)\n");
        assertThat(received).isEmpty();
        assertThat(exchange(server.address(), "m\n")).isEqualTo("ok: 1\n");
    }

    @Test
    void silentClientTimesOutWithoutDelayingOthers() throws Exception {
        CommandServer server = server(new CommandServer.Limits(4096, Duration.ofMillis(800), 8));
        try (Socket silent = connect(server.address())) {
            silent.getOutputStream().write("Mnet:dis".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertThat(exchange(server.address(), "m\n")).isEqualTo("ok: 1\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
            silent.setSoTimeout(5000);
            assertThat(readAll(silent.getInputStream())).isEqualTo("error: timeout (no complete line within 0 s)\n");
        }
        assertThat(received).containsExactly("m");
    }

    @Test
    void dripFeedingClientIsCutAtTheDeadline() throws Exception {
        CommandServer server = server(new CommandServer.Limits(4096, Duration.ofMillis(600), 8));
        try (Socket slow = connect(server.address())) {
            OutputStream out = slow.getOutputStream();
            long start = System.nanoTime();
            slow.setSoTimeout(50);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[100];
            while (System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
                try {
                    out.write('x');
                } catch (IOException closed) {
                    break;
                }
                try {
                    int n = slow.getInputStream().read(buf);
                    if (n < 0) {
                        break;
                    }
                    answer.write(buf, 0, n);
                } catch (java.net.SocketTimeoutException e) {
                    // nothing yet
                }
            }
            assertThat(answer.toString(StandardCharsets.US_ASCII)).startsWith("error: timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void connectionsBeyondTheBoundAreBusyAndServiceResumes() throws Exception {
        CommandServer server = server(new CommandServer.Limits(4096, Duration.ofMillis(700), 2));
        try (Socket a = connect(server.address()); Socket b = connect(server.address())) {
            a.getOutputStream().write('m');
            b.getOutputStream().write('m');
            waitFor(() -> commandThreads().stream().filter(t -> !t.getName().endsWith("accept")).count() == 2,
                    Duration.ofSeconds(5));
            assertThat(exchange(server.address(), "m\n")).isEqualTo("error: busy\n");
        }
        waitFor(() -> {
            try {
                return exchange(server.address(), "m\n").equals("ok: 1\n");
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(5));
    }

    @Test
    void closeStopsThreadsClosesConnectionsAndFreesThePort() throws Exception {
        CommandServer server = server();
        InetSocketAddress address = server.address();
        Socket idle = connect(address);
        idle.getOutputStream().write('m');
        waitFor(() -> commandThreads().size() == 2, Duration.ofSeconds(5));
        server.close();
        assertThat(commandThreads()).isEmpty();
        idle.setSoTimeout(5000);
        assertThat(readAll(idle.getInputStream())).isEmpty();
        idle.close();
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(address);
            assertThat(again.isBound()).isTrue();
        }
    }

    @Test
    void handlerFailureIsAnErrorAnswer() throws IOException {
        CommandServer server = new CommandServer(LOOPBACK, line -> {
            throw new IllegalStateException("boom");
        }, CommandServer.Limits.DEFAULT);
        toClose.add(server);
        assertThat(exchange(server.address(), "m\n")).isEqualTo("error: internal error\n");
    }

    @Test
    void componentBindsRebindsOnModifiedAndStopsOnDeactivate() throws Exception {
        int port1 = freePort();
        int port2 = freePort();
        CommandServerComponent component = new CommandServerComponent(
                config(Map.of("commandPort", port1)), line -> "ok: " + line, CommandServer.Limits.DEFAULT);
        toClose.add(component::deactivate);
        assertThat(component.boundAddress().getPort()).isEqualTo(port1);
        assertThat(component.boundAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(exchange(component.boundAddress(), "m\n")).isEqualTo("ok: m\n");

        component.modified(config(Map.of("commandPort", port1, "interval", 3)));
        assertThat(component.boundAddress().getPort()).isEqualTo(port1);

        component.modified(config(Map.of("commandPort", port2)));
        assertThat(component.boundAddress().getPort()).isEqualTo(port2);
        assertThat(exchange(component.boundAddress(), "l\n")).isEqualTo("ok: l\n");
        assertThat(canConnect(port1)).isFalse();

        component.modified(config(Map.of("commandPort", 0)));
        assertThat(component.boundAddress()).isNull();
        assertThat(canConnect(port2)).isFalse();

        component.modified(config(Map.of("commandPort", port1)));
        assertThat(exchange(component.boundAddress(), "m\n")).isEqualTo("ok: m\n");

        component.deactivate();
        assertThat(component.boundAddress()).isNull();
        assertThat(canConnect(port1)).isFalse();
        assertThat(commandThreads()).isEmpty();
    }

    @Test
    void componentSurvivesAPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandServerComponent component = new CommandServerComponent(
                    config(Map.of("commandPort", taken.getLocalPort())), line -> "ok", CommandServer.Limits.DEFAULT);
            toClose.add(component::deactivate);
            assertThat(component.boundAddress()).isNull();
            int free = freePort();
            component.modified(config(Map.of("commandPort", free)));
            assertThat(component.boundAddress().getPort()).isEqualTo(free);
        }
    }

    // --- helpers ---

    static CoreConfig config(Map<String, Object> values) {
        return (CoreConfig) Proxy.newProxyInstance(CoreConfig.class.getClassLoader(), new Class<?>[] {CoreConfig.class},
                (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    return method.getDefaultValue();
                });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static List<Thread> commandThreads() {
        List<Thread> threads = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("osgimon-command") && t.isAlive()) {
                threads.add(t);
            }
        }
        return threads;
    }

    static void waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(10);
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 2000);
        return s;
    }

    static String exchange(InetSocketAddress address, String request) throws IOException {
        return exchange(address, request.getBytes(StandardCharsets.UTF_8), true);
    }

    static String exchange(InetSocketAddress address, byte[] request, boolean shutdownOutput) throws IOException {
        try (Socket s = connect(address)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                if (shutdownOutput) {
                    s.shutdownOutput();
                }
            } catch (IOException e) {
                // the server may answer and stop reading early; the answer is still there to read
            }
            return readAll(s.getInputStream());
        }
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
