package dev.osgimon.web.internal;

import java.io.IOException;
import java.io.OutputStream;

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
}
