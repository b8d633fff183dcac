package dev.osgimon.itests.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Telegraf stand-in: accepts the distribution's TCP push and keeps every line. */
final class LineCapture implements AutoCloseable {

    private final ServerSocket server;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread thread;

    LineCapture() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        thread = new Thread(this::run, "line-capture");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!server.isClosed()) {
            try (Socket s = server.accept();
                 BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = in.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // closed, or the sender reconnects
            }
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return how many lines so far start with {@code prefix} */
    long count(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** @return the lines so far that start with {@code prefix}, in the order they came */
    List<String> lines(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(5000);
    }
}
