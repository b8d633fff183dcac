package dev.osgimon.itests.sources.hello;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The activator of a tiny test bundle (built at test time by {@link dev.osgimon.itests.sources.HelloBundle}):
 * registers a whiteboard servlet on {@value #PATH} that answers 200 {@code hello}.
 */
public final class HelloActivator implements BundleActivator {

    /** The servlet's path. */
    public static final String PATH = "/hello";

    private ServiceRegistration<Servlet> registration;

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", PATH);
        props.put("osgi.http.whiteboard.servlet.name", "osgimon-itest-hello");
        registration = context.registerService(Servlet.class, new Hello(), props);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
    }

    /** Answers every method with 200. */
    public static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setStatus(200);
            resp.setContentType("text/plain");
            resp.getWriter().write("hello\n");
        }
    }
}
