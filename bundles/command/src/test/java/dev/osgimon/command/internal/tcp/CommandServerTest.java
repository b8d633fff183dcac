package dev.osgimon.command.internal.tcp;

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

import dev.osgimon.api.admin.CommandService;


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
        CommandServer server = new CommandServer(LOOPBACK, (line, who) -> {
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
    void silentClientDoesNotDelayOthers() throws Exception {
        CommandServer server = server(new CommandServer.Limits(4096, Duration.ofSeconds(60), 8));
        try (Socket silent = connect(server.address())) {
            silent.getOutputStream().write("Mnet:dis".getBytes(StandardCharsets.US_ASCII));
            waitFor(() -> server.bytesRead() == 8, Duration.ofSeconds(5));
            assertThat(exchange(server.address(), "m\n")).isEqualTo("ok: 1\n");
            // answered while the silent client still holds its connection, unanswered
            assertThat(silent.getInputStream().available()).isZero();
            // the answered client closed; the silent one is still open
            waitFor(() -> server.connections() == 1, Duration.ofSeconds(5));
            assertThat(silent.getInputStream().available()).isZero();
            assertThat(received).containsExactly("m");
        }
    }

    @Test
    void silentClientTimesOutWithTheLimitInTheAnswer() throws Exception {
        CommandServer server = server(new CommandServer.Limits(4096, Duration.ofMillis(300), 8));
        try (Socket silent = connect(server.address())) {
            silent.getOutputStream().write("Mnet:dis".getBytes(StandardCharsets.US_ASCII));
            silent.setSoTimeout(30_000);
            assertThat(readAll(silent.getInputStream())).isEqualTo("error: timeout (no complete line within 300 ms)\n");
        }
        assertThat(received).isEmpty();
    }

    @Test
    void dripFeedingClientIsCutAtTheDeadline() throws Exception {
        CommandServer server = server(new CommandServer.Limits(4096, Duration.ofMillis(600), 8));
        try (Socket slow = connect(server.address())) {
            OutputStream out = slow.getOutputStream();
            slow.setSoTimeout(50);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[100];
            // a byte every 50 ms keeps the connection busy but never completes a line
            for (int i = 0; i < 600 && answer.size() == 0; i++) {
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
        }
        assertThat(received).isEmpty();
    }

    @Test
    void atTheCapTheConnectionIdleLongestIsClosedAndTheNewcomerIsServed() throws Exception {
        CommandServer server = server(new CommandServer.Limits(4096, Duration.ofSeconds(60), 2));
        try (Socket older = connect(server.address()); Socket idlest = connect(server.address())) {
            waitFor(() -> server.connections() == 2, Duration.ofSeconds(5));
            // the older connection sends a byte: the younger one is now the one idle longest
            older.getOutputStream().write('m');
            waitFor(() -> server.bytesRead() == 1, Duration.ofSeconds(5));
            assertThat(exchange(server.address(), "l\n")).isEqualTo("ok: 1\n");
            idlest.setSoTimeout(5000);
            assertThat(readAll(idlest.getInputStream())).isEqualTo("error: closed to make room (commandMaxClients 2)\n");
            assertThat(server.evictions()).isEqualTo(1);
            // the other one is still served
            older.setSoTimeout(5000);
            older.getOutputStream().write('\n');
            assertThat(readAll(older.getInputStream())).isEqualTo("ok: 1\n");
        }
        assertThat(received).containsExactly("l", "m");
    }

    @Test
    void closeStopsThreadsClosesConnectionsAndFreesThePort() throws Exception {
        CommandServer server = server();
        InetSocketAddress address = server.address();
        assertThat(exchange(address, "m\n")).isEqualTo("ok: 1\n");
        Socket idle = connect(address);
        idle.getOutputStream().write('m');
        waitFor(() -> server.bytesRead() == 3, Duration.ofSeconds(5));
        assertThat(commandThreads()).extracting(Thread::getName).contains("osgimon-command-io", "osgimon-command-worker-1");
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
        CommandServer server = new CommandServer(LOOPBACK, (line, who) -> {
            throw new IllegalStateException("boom");
        }, CommandServer.Limits.DEFAULT);
        toClose.add(server);
        assertThat(exchange(server.address(), "m\n")).isEqualTo("error: internal error\n");
    }

    @Test
    void theClientAddressReachesTheHandler() throws IOException {
        List<String> who = new CopyOnWriteArrayList<>();
        CommandServer server = new CommandServer(LOOPBACK, (line, client) -> {
            who.add(client);
            return "ok";
        }, CommandServer.Limits.DEFAULT);
        toClose.add(server);
        try (Socket s = connect(server.address())) {
            s.getOutputStream().write("m\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            assertThat(readAll(s.getInputStream())).isEqualTo("ok\n");
            assertThat(who).containsExactly("tcp 127.0.0.1:" + s.getLocalPort());
        }
    }

    @Test
    void componentBindsRebindsOnModifiedAndStopsOnDeactivate() throws Exception {
        CommandServerComponent component = new CommandServerComponent(config(Map.of("commandPort", 0)),
                commands("ok: "), CommandServer.Limits.DEFAULT);
        toClose.add(component::deactivate);
        assertThat(component.boundAddress()).isNull();
        int port1 = bindSomewhere(component, Map.of());
        assertThat(component.boundAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(exchange(component.boundAddress(), "m\n")).isEqualTo("ok: m\n");

        component.modified(config(Map.of("commandPort", port1, "interval", 3)));
        assertThat(component.boundAddress().getPort()).isEqualTo(port1);

        int port2 = bindSomewhere(component, Map.of());
        assertThat(port2).isNotEqualTo(port1);
        assertThat(exchange(component.boundAddress(), "l\n")).isEqualTo("ok: l\n");
        assertThat(commandThreads()).extracting(Thread::getName).containsOnlyOnce("osgimon-command-io");

        component.modified(config(Map.of("commandPort", 0)));
        assertThat(component.boundAddress()).isNull();
        waitFor(() -> commandThreads().isEmpty(), Duration.ofSeconds(5));

        bindSomewhere(component, Map.of("commandMaxClients", 5));
        assertThat(exchange(component.boundAddress(), "m\n")).isEqualTo("ok: m\n");

        component.deactivate();
        assertThat(component.boundAddress()).isNull();
        assertThat(commandThreads()).isEmpty();
    }

    @Test
    void componentSurvivesAPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandServerComponent component = new CommandServerComponent(
                    config(Map.of("commandPort", taken.getLocalPort())), commands("ok"), CommandServer.Limits.DEFAULT);
            toClose.add(component::deactivate);
            assertThat(component.boundAddress()).isNull();
            bindSomewhere(component, Map.of());
            assertThat(component.boundAddress()).isNotNull();
        }
    }

    /**
     * Moves the component to a free port; another process may take a probed port before the component binds it,
     * so a failed bind is tried again on another.
     */
    private static int bindSomewhere(CommandServerComponent component, Map<String, Object> more) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = freePort();
            Map<String, Object> values = new java.util.HashMap<>(more);
            values.put("commandPort", port);
            component.modified(config(values));
            if (component.boundAddress() != null && component.boundAddress().getPort() == port) {
                return port;
            }
        }
        throw new AssertionError("no free port could be bound");
    }

    private static CommandService commands(String prefix) {
        return (line, who) -> prefix + line;
    }

    // --- helpers ---

    static CommandConfig config(Map<String, Object> values) {
        return (CommandConfig) Proxy.newProxyInstance(CommandConfig.class.getClassLoader(), new Class<?>[] {CommandConfig.class},
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
