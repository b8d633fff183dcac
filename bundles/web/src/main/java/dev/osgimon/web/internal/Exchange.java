package dev.osgimon.web.internal;

import java.io.IOException;
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
}
