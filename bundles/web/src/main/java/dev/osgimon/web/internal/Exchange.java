package dev.osgimon.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP request and its response, independent of the servlet API flavour: the page is served
 * as a {@code javax.servlet} whiteboard servlet (Felix Jetty 12, pax-web 8) and as a
 * {@code jakarta.servlet} Felix Web Console plugin.
 */
interface Exchange {

    /** @return {@code GET}, {@code POST}, … */
    String method();

    /** @return the path below the page's base, {@code ""} or starting with {@code /} */
    String path();

    /**
     * A query or form parameter.
     *
     * @param name its name
     * @return its value, or {@code null}
     */
    String parameter(String name);

    /**
     * A request header.
     *
     * @param name its name
     * @return its value, or {@code null}
     */
    String header(String name);

    /**
     * The request's body, for an answer that does not read it ({@link #refuse}).
     *
     * @return the stream
     * @throws IOException if the client is gone
     */
    InputStream requestBody() throws IOException;

    /** @return the client's IP address */
    String remoteAddress();

    /**
     * Sets the status.
     *
     * @param code e.g. 200
     */
    void status(int code);

    /**
     * Sets a response header.
     *
     * @param name its name
     * @param value its value
     */
    void header(String name, String value);

    /**
     * The response body.
     *
     * @return the stream
     * @throws IOException if the client is gone
     */
    OutputStream body() throws IOException;

    /**
     * Answers with a whole text body.
     *
     * @param code the status
     * @param type the content type
     * @param text the body
     * @throws IOException if the client is gone
     */
    default void send(int code, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        status(code);
        header("Content-Type", type);
        header("Content-Length", String.valueOf(bytes.length));
        body().write(bytes);
    }

    /**
     * Answers with a JSON body.
     *
     * @param code the status
     * @param value maps, lists, strings, numbers, booleans (see {@link Json})
     * @throws IOException if the client is gone
     */
    default void json(int code, Object value) throws IOException {
        send(code, "application/json; charset=utf-8", Json.of(value));
    }

    /**
     * Answers a request refused before its body was read. The body is read and dropped first (up to
     * {@value #DISCARD_LIMIT} bytes): a refusal sent while the body is still on its way makes the server
     * close the connection right after, and a client that reuses it for its next request (every
     * keep-alive client does) gets no answer at all. A larger body closes the connection, said so in
     * a {@code Connection: close} header.
     *
     * @param code the status
     * @param text the body
     * @throws IOException if the client is gone
     */
    default void refuse(int code, String text) throws IOException {
        long left = DISCARD_LIMIT;
        try (InputStream in = requestBody()) {
            byte[] skip = new byte[4096];
            int n;
            while (left > 0 && (n = in.read(skip, 0, (int) Math.min(skip.length, left))) > 0) {
                left -= n;
            }
            if (left == 0 && in.read() >= 0) {
                header("Connection", "close");
            }
        }
        send(code, "text/plain", text);
    }

    /** The most bytes of a refused request's body read and dropped to keep the connection. */
    int DISCARD_LIMIT = 64 * 1024;
}
