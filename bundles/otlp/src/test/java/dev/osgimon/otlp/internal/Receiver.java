package dev.osgimon.otlp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

/**
 * An OTLP/HTTP receiver for tests: decodes every request with the official generated classes and
 * answers what the test asks for (200 with an empty response by default).
 */
final class Receiver implements AutoCloseable {

    /** One request as received. */
    record Request(String path, String contentType, String contentEncoding, Map<String, List<String>> headers,
            ExportMetricsServiceRequest body) {
    }

    /** The answer to the next requests. */
    record Answer(int status, String contentType, byte[] body, String retryAfter) {
        static Answer ok() {
            return new Answer(200, "application/x-protobuf", new byte[0], null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private volatile Answer answer = Answer.ok();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void answer(Answer a) {
        answer = a;
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            InputStream in = exchange.getRequestBody();
            if ("gzip".equals(encoding)) {
                in = new GZIPInputStream(in);
            }
            byte[] bytes = in.readAllBytes();
            Request r = new Request(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), encoding,
                    Map.copyOf(exchange.getRequestHeaders()), ExportMetricsServiceRequest.parseFrom(bytes));
            Answer a = answer;
            if (a.status() / 100 == 2) {
                synchronized (requests) {
                    requests.add(r);
                }
            }
            if (a.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", a.contentType());
            }
            if (a.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", a.retryAfter());
            }
            exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            if (a.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(a.body());
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
