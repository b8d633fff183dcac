package dev.osgimon.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;

/**
 * An OTLP/HTTP metrics receiver for end-to-end tests: every request is decoded with the official
 * generated classes ({@code io.opentelemetry.proto}); a body they cannot parse fails the test. It
 * answers 200 (delivered) or, while {@link #unavailable} is set, 503 with {@code Retry-After: 1};
 * it keeps what it delivered, in order, and what it refused, apart.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One request as received. */
    public record Request(String path, String contentType, String contentEncoding, ExportMetricsServiceRequest body) {
    }

    private final HttpServer server;
    private final List<Request> delivered = new ArrayList<>();
    private final List<Request> refused = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private volatile boolean unavailable;

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** @param down whether requests get 503 from now on */
    public void unavailable(boolean down) {
        unavailable = down;
    }

    /** @return the requests answered 200, in the order received */
    public List<Request> delivered() {
        synchronized (delivered) {
            return List.copyOf(delivered);
        }
    }

    /** @return the requests answered 503 */
    public List<Request> refused() {
        synchronized (delivered) {
            return List.copyOf(refused);
        }
    }

    /** @return bodies that did not decode, with why */
    public List<String> errors() {
        synchronized (delivered) {
            return List.copyOf(errors);
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
            ExportMetricsServiceRequest body;
            try {
                body = ExportMetricsServiceRequest.parseFrom(bytes);
            } catch (IOException e) {
                synchronized (delivered) {
                    errors.add(e.toString());
                }
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            Request r = new Request(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), encoding, body);
            boolean down = unavailable;
            synchronized (delivered) {
                (down ? refused : delivered).add(r);
            }
            if (down) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                exchange.sendResponseHeaders(503, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
        }
    }

    /** @return the string value of attribute {@code key}, or null */
    public static String attribute(List<KeyValue> attributes, String key) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals(key)) {
                return kv.getValue().getStringValue();
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
