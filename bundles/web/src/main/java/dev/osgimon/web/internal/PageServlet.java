package dev.osgimon.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.httpaccess.internal.ClientFilter;

/**
 * The page in {@code javax.servlet} form, in one of two roles:
 * <ul>
 * <li>{@link #whiteboard}: on the OSGi Http Whiteboard (Felix Jetty 12, pax-web 8), answering
 * loopback and allowed clients only, 403 for every other;</li>
 * <li>{@link #consoleTab}: the Felix Web Console 4 tab "osgimon" (Karaf's {@code webconsole}
 * feature), where the console's own authentication applies and the console frames the page.</li>
 * </ul>
 * The Web Console 5 tab (jakarta) is {@link ConsolePlugin}.
 */
final class PageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PageServlet.class);

    private final transient Page page;
    /** {@code null} in the console, whose authentication applies instead. */
    private final transient ClientFilter clients;
    /** The whiteboard path, or {@code null} in the console (the base is read from each request). */
    private final String base;

    private PageServlet(Page page, ClientFilter clients, String base) {
        this.page = page;
        this.clients = clients;
        this.base = base;
    }

    static PageServlet whiteboard(Page page, ClientFilter clients, String path) {
        return new PageServlet(page, clients, path);
    }

    static PageServlet consoleTab(Page page) {
        return new PageServlet(page, null, null);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String client = req.getRemoteAddr();
        boolean console = base == null;
        String path;
        String at;
        if (console) {
            String[] split = ConsolePlugin.split(req.getRequestURI(), req.getContextPath() + req.getServletPath());
            at = split[0];
            path = split[1];
        } else {
            at = base;
            path = req.getPathInfo() == null ? "" : req.getPathInfo();
        }
        Exchange x = new Exchange() {
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
                return client;
            }

            @Override
            public void status(int code) {
                resp.setStatus(code);
            }

            @Override
            public void header(String name, String value) {
                // the console wraps the fragment in its own frame: a length of ours would cut it
                if (!console || !"Content-Length".equals(name)) {
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
        };
        if (clients != null && !clients.allows(client)) {
            LOG.warn("Refused {} {} from {}: not loopback and not in 'allow'", req.getMethod(), req.getRequestURI(), client);
            x.header("Content-Security-Policy", Page.CSP);
            x.refuse(403, "forbidden");
            return;
        }
        page.serve(x, at, !console);
    }
}
