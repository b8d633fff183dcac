package dev.osgimon.web.internal;

import java.io.IOException;
import java.io.OutputStream;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page on the OSGi Http Whiteboard ({@code javax.servlet}, served by Felix Jetty 12 and by
 * pax-web 8): answers loopback and allowed clients only, 403 for every other.
 */
final class PageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PageServlet.class);

    private final transient Page page;
    private final transient ClientFilter clients;
    private final String base;

    PageServlet(Page page, ClientFilter clients, String base) {
        this.page = page;
        this.clients = clients;
        this.base = base;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String client = req.getRemoteAddr();
        if (!clients.allows(client)) {
            LOG.warn("Refused {} {} from {}: not loopback and not in 'allow'", req.getMethod(), req.getRequestURI(), client);
            resp.setHeader("Content-Security-Policy", Page.CSP);
            resp.sendError(403, "forbidden");
            return;
        }
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
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
            public String remoteAddress() {
                return client;
            }

            @Override
            public void status(int code) {
                resp.setStatus(code);
            }

            @Override
            public void header(String name, String value) {
                resp.setHeader(name, value);
            }

            @Override
            public OutputStream body() throws IOException {
                return resp.getOutputStream();
            }
        }, base, true);
    }
}
