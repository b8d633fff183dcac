package dev.osgimon.source.http.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.osgimon.api.Histogram;

/**
 * The routes of the http source: one latency {@link Histogram} per whiteboard servlet (tag
 * {@code route}), plus {@value #NONE} for requests no servlet handled and {@value #OTHER} for those
 * beyond {@code maxRoutes}. Thread-safe; looking up a known route allocates nothing.
 */
final class Routes {

    /** The measurement of the latency histograms. */
    static final String MEASUREMENT = "http_latency";
    /** The route of a request no servlet matched. */
    static final String NONE = "none";
    /** The route of requests past {@code maxRoutes}. */
    static final String OTHER = "other";

    /** One route and its latency. */
    static final class Route {
        final String name;
        final Histogram latency = new Histogram(MEASUREMENT);

        Route(String name) {
            this.name = name;
        }
    }

    private final int max;
    private final Route none = new Route(NONE);
    private final Route other = new Route(OTHER);
    private final ConcurrentHashMap<String, Route> byName = new ConcurrentHashMap<>();
    /** What a collection writes, in the order the routes came; copied on write under {@code this}. */
    private volatile Route[] written = {none};
    /** Set once {@link #max} routes exist. */
    private volatile boolean full;
    private volatile boolean otherUsed;
    /** The names whiteboard servlets were given ({@code osgi.http.whiteboard.servlet.name}). */
    private volatile Set<String> named = Set.of();
    /** The named servlets by servlet path (a pattern {@code /x} or {@code /x/*} gives {@code /x}). */
    private volatile Map<String, String> namedByPath = Map.of();
    /** Guarded by {@code this}: the named servlets by service id. */
    private final Map<Long, String> namesByService = new HashMap<>();
    /** Guarded by {@code this}: their patterns by service id. */
    private final Map<Long, String[]> patternsByService = new HashMap<>();

    /**
     * @param max how many routes get their own histogram, at least 1
     */
    Routes(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxRoutes must be at least 1, was " + max);
        }
        this.max = max;
        byName.put(NONE, none);
        byName.put(OTHER, other);
    }

    /** @return the route of requests no servlet handled */
    Route none() {
        return none;
    }

    /**
     * @param key a servlet's name or pattern
     * @return its route, made on its first request; {@code null} when {@code maxRoutes} routes exist
     *     already (the caller counts the request under {@link #other()})
     */
    Route lookup(String key) {
        Route r = byName.get(key);
        if (r != null) {
            if (r == other) {
                markOtherUsed();
            }
            return r;
        }
        return full ? null : add(key);
    }

    private synchronized Route add(String key) {
        Route r = byName.get(key);
        if (r != null) {
            return r;
        }
        if (byName.size() - 2 >= max) {
            full = true;
            return null;
        }
        r = new Route(key);
        byName.put(key, r);
        append(r);
        if (byName.size() - 2 >= max) {
            full = true;
        }
        return r;
    }

    /** @return the route of requests past {@code maxRoutes}; from now on it is written */
    Route other() {
        markOtherUsed();
        return other;
    }

    private void markOtherUsed() {
        if (!otherUsed) {
            synchronized (this) {
                if (!otherUsed) {
                    append(other);
                    otherUsed = true;
                }
            }
        }
    }

    private void append(Route r) {
        Route[] w = Arrays.copyOf(written, written.length + 1);
        w[w.length - 1] = r;
        written = w;
    }

    /** @return the routes to write, {@code none} first */
    Route[] written() {
        return written;
    }

    /** @return how many routes have a histogram of their own (neither {@code none} nor {@code other}) */
    int size() {
        return byName.size() - 2;
    }

    /**
     * @param name a servlet name from the request's mapping
     * @return whether a whiteboard servlet was given this name (else it is the servlet's class name)
     */
    boolean isNamed(String name) {
        return named.contains(name);
    }

    /**
     * A whiteboard servlet with an explicit name came.
     *
     * @param serviceId its service id
     * @param name its {@code osgi.http.whiteboard.servlet.name}
     */
    synchronized void addName(long serviceId, String name) {
        addName(serviceId, name, new String[0]);
    }

    /**
     * A whiteboard servlet with an explicit name came.
     *
     * @param serviceId its service id
     * @param name its {@code osgi.http.whiteboard.servlet.name}
     * @param patterns its {@code osgi.http.whiteboard.servlet.pattern}s
     */
    synchronized void addName(long serviceId, String name, String[] patterns) {
        namesByService.put(serviceId, name);
        patternsByService.put(serviceId, patterns.clone());
        update();
    }

    private void update() {
        named = Set.copyOf(namesByService.values());
        Map<String, String> byPath = new HashMap<>();
        for (Map.Entry<Long, String[]> e : patternsByService.entrySet()) {
            for (String p : e.getValue()) {
                if (p != null && p.startsWith("/")) {
                    byPath.putIfAbsent(p.endsWith("/*") ? p.substring(0, p.length() - 2) : p, namesByService.get(e.getKey()));
                }
            }
        }
        namedByPath = Map.copyOf(byPath);
    }

    /**
     * For a container without Servlet 4 mappings.
     *
     * @param servletPath a request's servlet path
     * @return the name of the named servlet with that path, or {@code null}
     */
    String nameOfPath(String servletPath) {
        return namedByPath.get(servletPath);
    }

    /**
     * A named whiteboard servlet went.
     *
     * @param serviceId its service id
     */
    synchronized void removeName(long serviceId) {
        namesByService.remove(serviceId);
        patternsByService.remove(serviceId);
        update();
    }
}
