package dev.osgimon.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
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
     * The response body as a stream over a writer that a Web Console already took for its frame
     * (both console flavours need it). Bytes are passed on as they come: callers write whole UTF-8
     * texts in one call.
     *
     * @param w the response's writer
     * @return a stream writing into it
     */
    static OutputStream overWriter(Writer w) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                w.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                w.write(new String(b, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void flush() throws IOException {
                w.flush();
            }
        };
    }
}
