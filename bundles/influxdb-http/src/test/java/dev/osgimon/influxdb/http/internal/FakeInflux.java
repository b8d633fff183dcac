package dev.osgimon.influxdb.http.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A loopback HTTP server that records write requests and answers with a settable status. */
final class FakeInflux implements AutoCloseable {

    /** One request as received, body decompressed. */
    record Received(String method, String path, String query, String authorization, String encoding, String body) {

        List<String> lines() {
            return body.isEmpty() ? List.of() : List.of(body.split("\n"));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-influx"));
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(204);
    private volatile int maxLines = Integer.MAX_VALUE;
    private volatile String errorBody = "{\"error\":\"test\"}";
    private volatile String rejectContaining;
    private volatile String retryAfter;

    FakeInflux() throws IOException {
        this(0);
    }

    FakeInflux(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        byte[] body = raw;
        if ("gzip".equalsIgnoreCase(encoding)) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                body = in.readAllBytes();
            }
        }
        int code = status.get();
        if (code < 300 && new String(body, StandardCharsets.UTF_8).split("\n").length > maxLines) {
            code = 413;
        }
        String bad = rejectContaining;
        if (code < 300 && bad != null && new String(body, StandardCharsets.UTF_8).contains(bad)) {
            code = 400;
        }
        if (code < 300) {
            requests.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                    encoding, new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(code, -1);
        } else {
            byte[] answer = errorBody.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(code, answer.length);
            exchange.getResponseBody().write(answer);
        }
        exchange.close();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    void status(int code) {
        status.set(code);
    }

    /** Answer 413 to requests with more lines than this. */
    void maxLines(int lines) {
        this.maxLines = lines;
    }

    /** Answer 400 to requests holding this text (while the status is a success). */
    void rejectLinesContaining(String text) {
        this.rejectContaining = text;
    }

    /** Send this Retry-After header with error answers. */
    void retryAfter(String seconds) {
        this.retryAfter = seconds;
    }

    void errorBody(String body) {
        this.errorBody = body;
    }

    List<Received> requests() {
        return List.copyOf(requests);
    }

    /** Every line received, in order. */
    List<String> lines() {
        List<String> all = new ArrayList<>();
        for (Received r : requests) {
            all.addAll(r.lines());
        }
        return all;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
