package dev.osgimon.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The page as the Felix Web Console 5 tab "osgimon" ({@code jakarta.servlet}): the console's
 * own authentication applies, so no client filter here; the CSRF token still guards changes.
 * Loaded only where {@code jakarta.servlet} is wired.
 */
final class ConsolePlugin extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String LABEL = "osgimon";

    private final transient Page page;

    /**
     * Splits a console request URI into the tab's base ({@code …/system/console/osgimon}) and the
     * path below it; both console flavours use it.
     *
     * @param uri the request URI
     * @param servlet the context and servlet path, used when the URI does not name the tab
     * @return base and path
     */
    static String[] split(String uri, String servlet) {
        int at = uri.indexOf("/" + LABEL);
        String base = at < 0 ? servlet + "/" + LABEL : uri.substring(0, at + LABEL.length() + 1);
        String path = at < 0 ? "" : uri.substring(at + LABEL.length() + 1);
        return new String[] {base, path};
    }

    ConsolePlugin(Page page) {
        this.page = page;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String[] split = split(req.getRequestURI(), req.getContextPath() + req.getServletPath());
        String base = split[0];
        String path = split[1];
        page.serve(new Exchange() {
            @Override
            public String method() {
                return req.getMethod();
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public String parameter(String name) {
                return req.getParameter(name);
            }

            @Override
            public String header(String name) {
                return req.getHeader(name);
            }

            @Override
            public InputStream requestBody() throws IOException {
                return req.getInputStream();
            }

            @Override
            public String remoteAddress() {
                return req.getRemoteAddr();
            }

            @Override
            public void status(int code) {
                resp.setStatus(code);
            }

            @Override
            public void header(String name, String value) {
                // the console may wrap the fragment in its own frame: a length of ours would cut it
                if (!"Content-Length".equals(name)) {
                    resp.setHeader(name, value);
                }
            }

            @Override
            public OutputStream body() throws IOException {
                try {
                    return resp.getOutputStream();
                } catch (IllegalStateException writerTaken) {
                    // the console already wrote its frame through the writer
                    Writer w = resp.getWriter();
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
        }, base, false);
    }
}
