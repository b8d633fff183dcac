package dev.osgimon.sourcekit.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.PointWriter;

/**
 * What the bridges of metric registries (Micrometer, Dropwizard) share: one point (one series) per
 * metric name, the measurement being the configured prefix and the name made of {@code [A-Za-z0-9_]}
 * ({@link #sanitize}); at most {@code maxSeries} measurements declared and written a cycle; a metric
 * written once its measurement was declared (a {@link Declared} snapshot says what the source last
 * declared), a metric not in it yet making {@link #collect} answer that the source wants to be declared
 * again; and the bridge's own point with the fields {@code registries}, the count of metrics (named by
 * the bridge), {@code series}, {@code over_limit} and {@code errors}.
 *
 * <p>A subclass says how its registries are walked and how one of its metrics is declared, checked
 * and written.
 *
 * @param <R> what a metric's registry gives its point (e.g. the registry's name)
 * @param <M> a metric of the registry
 * @param <E> what is declared of a metric
 */
public abstract class RegistryBridge<R, M, E extends Declared.Entry> implements BridgeSource.Bridge<Declared<E>> {

    /** What a cycle does with a declared metric before the {@code maxSeries} cut-off. */
    protected enum Check {
        /** Write it (if within {@code maxSeries}). */
        WRITE,
        /** Leave it out silently. */
        SKIP,
        /** Leave it out and count an error. */
        ERROR
    }

    /**
     * Gets every metric of every registry.
     *
     * @param <R> what a metric's registry gives its point
     * @param <M> a metric
     */
    @FunctionalInterface
    protected interface Visitor<R, M> {
        /**
         * @param registry what the metric's registry gives its point
         * @param name the metric's name
         * @param metric the metric
         */
        void metric(R registry, String name, M metric);
    }

    /**
     * The bridge's own point: its measurement, the name and unit of the field counting the metrics, and
     * the description of each field.
     *
     * @param measurement the measurement
     * @param countField the field counting the metrics in all registries (e.g. {@code metrics})
     * @param countUnit the unit of a metric (e.g. <code>{metric}</code>), also of {@code over_limit} and {@code errors}
     * @param registries describes {@code registries}
     * @param count describes the count field
     * @param series describes {@code series}
     * @param overLimit describes {@code over_limit}
     * @param errors describes {@code errors}
     */
    public record OwnPoint(String measurement, String countField, String countUnit, String registries, String count,
            String series, String overLimit, String errors) {
    }

    private final OwnPoint self;
    private final AtomicLong overLimit = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile int maxSeries;
    private volatile String prefix;

    /**
     * @param self the bridge's own point
     * @param maxSeries at most this many metrics a cycle
     * @param prefix put before every measurement
     * @throws IllegalArgumentException as {@link #configure}
     */
    protected RegistryBridge(OwnPoint self, int maxSeries, String prefix) {
        this.self = self;
        configure(maxSeries, prefix);
    }

    /**
     * Takes a new configuration; a new prefix needs a new declaration (the caller asks for one).
     *
     * @param maxSeries at most this many metrics a cycle, at least 1
     * @param prefix put before every measurement, letters, digits and {@code _}
     * @throws IllegalArgumentException if either is out of bounds; nothing changes then
     */
    public final void configure(int maxSeries, String prefix) {
        String p = prefix == null ? "" : prefix;
        if (maxSeries < 1) {
            throw new IllegalArgumentException("maxSeries must be at least 1, not " + maxSeries);
        }
        if (!sanitize(p).equals(p)) {
            throw new IllegalArgumentException("measurementPrefix may hold letters, digits and _ only, not '" + p + "'");
        }
        this.maxSeries = maxSeries;
        this.prefix = p;
    }

    /**
     * @param name a metric name or tag key
     * @return it with every character outside {@code [A-Za-z0-9_]} replaced by {@code _}
     */
    public static String sanitize(String name) {
        StringBuilder b = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                if (b == null) {
                    b = new StringBuilder(name);
                }
                b.setCharAt(i, '_');
            }
        }
        return b == null ? name : b.toString();
    }

    /**
     * Hands every metric of every registry to {@code v}.
     *
     * @param v gets each metric
     * @return the number of registries read
     */
    protected abstract int walk(Visitor<R, M> v);

    /**
     * @param name the metric's name
     * @param metric a metric whose measurement is declared now
     * @return what is declared of it
     */
    protected abstract E entry(String name, M metric);

    /**
     * @param entry what was declared of the metric's measurement
     * @param metric the metric
     * @return whether it is written this cycle
     */
    protected abstract Check check(E entry, M metric);

    /**
     * Writes one metric's point.
     *
     * @param out the cycle's writer
     * @param measurement its measurement
     * @param registry what its registry gives its point
     * @param metric the metric
     * @param entry what was declared of it
     * @return false if the metric does not match its declaration (nothing written then, an error counted)
     * @throws RuntimeException if writing fails (an error counted)
     */
    protected abstract boolean write(PointWriter out, String measurement, R registry, M metric, E entry);

    /** Declares the bridge's own point. */
    private void declareSelf(Declarations d) {
        String m = self.measurement();
        d.gauge(m, "registries", "{registry}", self.registries())
                .gauge(m, self.countField(), self.countUnit(), self.count())
                .gauge(m, "series", "{series}", self.series())
                .counter(m, "over_limit", self.countUnit(), self.overLimit())
                .counter(m, "errors", self.countUnit(), self.errors());
    }

    /** @return what is declared for the metrics there are now (at most {@code maxSeries} measurements) */
    @Override
    public final Declared<E> declared() {
        Declaring s = new Declaring(maxSeries, prefix);
        walk(s);
        return new Declared<>(s.prefix, Map.copyOf(s.entries), Map.copyOf(s.byName), s.full, this::declareSelf);
    }

    /**
     * Writes every declared metric, then the bridge's own point.
     *
     * @param out the cycle's writer
     * @param declared what the registered source declared
     * @return whether a metric was left out because it is not declared yet (and could be), or the prefix changed
     */
    @Override
    public final boolean collect(PointWriter out, Declared<E> declared) {
        Cycle c = new Cycle(out, declared, maxSeries);
        int registries = walk(c);
        out.point(self.measurement()).field("registries", registries).field(self.countField(), c.metrics).field("series", c.written)
                .field("over_limit", overLimit.get()).field("errors", errors.get());
        return c.undeclared || !declared.prefix().equals(prefix);
    }

    /** The measurements of one declare call, taken metric by metric. */
    private final class Declaring implements Visitor<R, M> {
        final Map<String, E> entries = new HashMap<>();
        final Map<String, String> byName = new HashMap<>();
        final int max;
        final String prefix;
        boolean full;

        Declaring(int max, String prefix) {
            this.max = max;
            this.prefix = prefix;
        }

        @Override
        public void metric(R registry, String name, M metric) {
            if (byName.containsKey(name)) {
                return;
            }
            String measurement = prefix + sanitize(name);
            if (!entries.containsKey(measurement) && !measurement.equals(self.measurement())) {
                if (entries.size() >= max) {
                    full = true;
                    return;
                }
                entries.put(measurement, entry(name, metric));
            }
            byName.put(name, measurement);
        }
    }

    /** One cycle's writing, metric by metric. */
    private final class Cycle implements Visitor<R, M> {
        final PointWriter out;
        final Declared<E> declared;
        final int max;
        int written;
        int metrics;
        boolean undeclared;

        Cycle(PointWriter out, Declared<E> declared, int max) {
            this.out = out;
            this.declared = declared;
            this.max = max;
        }

        @Override
        public void metric(R registry, String name, M metric) {
            metrics++;
            // by name: the measurement was made once, at the declaration, not per cycle
            String measurement = declared.byName().get(name);
            if (measurement == null) {
                if (declared.full()) {
                    overLimit.incrementAndGet();
                } else {
                    undeclared = true;
                }
                return;
            }
            E e = declared.entries().get(measurement);
            if (e == null) {
                errors.incrementAndGet(); // named like the bridge's own point: never declared for a metric
                return;
            }
            switch (check(e, metric)) {
                case SKIP:
                    return;
                case ERROR:
                    errors.incrementAndGet();
                    return;
                default:
                    break;
            }
            if (written >= max) {
                overLimit.incrementAndGet();
                return;
            }
            try {
                if (write(out, measurement, registry, metric, e)) {
                    written++;
                } else {
                    errors.incrementAndGet();
                }
            } catch (RuntimeException failed) {
                // a refused name or tag, or an application's gauge that throws: this metric only
                errors.incrementAndGet();
            }
        }
    }
}
