package dev.osgimon.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;

/** One command over the osgimon command protocol, as {@code echo CMD | nc host port} does. */
public final class Tcp {

    private Tcp() {
    }

    /**
     * Sends {@code line} plus a newline and returns the whole answer (until the server closes).
     *
     * @param port the command port on 127.0.0.1
     * @param line the command
     * @return the answer, with its newline
     */
    public static String command(int port, String line) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a catalog answer ({@code c}) as docs/protocol.md describes it: {@code ,} between entries,
     * {@code :} between parts, {@code \\} escapes.
     *
     * @param answer the whole answer, {@code ok: ...} and its line end
     * @return the entries, each its parts
     */
    public static List<List<String>> catalogEntries(String answer) {
        if (!answer.startsWith("ok: ") || !answer.endsWith("\n")) {
            throw new AssertionError("not a catalog answer: " + answer);
        }
        String text = answer.substring(4, answer.length() - 1);
        List<List<String>> entries = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                part.append(text.charAt(++i));
            } else if (c == ':' || c == ',') {
                parts.add(part.toString());
                part.setLength(0);
                if (c == ',') {
                    entries.add(parts);
                    parts = new ArrayList<>();
                }
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        entries.add(parts);
        return entries;
    }

    /**
     * Waits until the port accepts a connection, trying every 5 ms as a script that waits for a port does
     * (each try connects and closes at once, which the command server answers and forgets).
     *
     * @param port the port on 127.0.0.1
     * @param timeout the longest wait
     * @param alive whether the process that should open it still runs; the wait fails at once when not
     */
    public static void awaitAccepting(int port, Duration timeout, BooleanSupplier alive) {
        Awaitility.await("port " + port + " accepts").atMost(timeout).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5)).pollInSameThread().until(() -> {
                    if (!alive.getAsBoolean()) {
                        throw new IllegalStateException("the process exited before port " + port + " accepted");
                    }
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                        return true;
                    } catch (IOException refused) {
                        return false;
                    }
                });
    }
}
