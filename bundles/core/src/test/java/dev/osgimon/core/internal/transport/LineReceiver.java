package dev.osgimon.core.internal.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP line receiver on an ephemeral loopback port, one connection at a time, for the core's tests. */
public final class LineReceiver implements AutoCloseable {

    /** Every line received, in order. */
    public final List<String> lines = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Thread thread;
    private volatile Socket current;

    /**
     * Starts listening.
     *
     * @throws IOException if no port can be bound
     */
    public LineReceiver() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = in.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    if (server.isClosed()) {
                        return;
                    }
                }
            }
        }, "test-receiver");
        thread.start();
    }

    private Socket accept() throws IOException {
        Socket s = server.accept();
        current = s;
        return s;
    }

    /** @return the port it listens on */
    public int port() {
        return server.getLocalPort();
    }

    /** @return {@code tcp://127.0.0.1:<port>} */
    public String target() {
        return "tcp://127.0.0.1:" + port();
    }

    /**
     * Closes the connection (FIN) but keeps listening, like a receiver dropping a client.
     *
     * @throws IOException if closing fails
     */
    public void dropConnection() throws IOException {
        Socket s = current;
        if (s != null) {
            s.close();
        }
    }

    /** Stops listening, closes the connection and waits for the thread. */
    @Override
    public void close() throws Exception {
        server.close();
        dropConnection();
        thread.join(5000);
    }
}
