package dev.osgimon.otlp.internal;

import java.util.HashMap;
import java.util.Map;

import dev.osgimon.otlp.internal.Mapping.Shape;

/**
 * Names of the OTLP metrics, in one of two modes (property {@code names}):
 * <ul>
 * <li>{@code osgimon}: {@code <measurement>.<field>} (a histogram: {@code <measurement>}), the tags as
 * attributes, the kinds, units and descriptions as declared.</li>
 * <li>{@code semconv}: the shipped sources' metrics for which OpenTelemetry's semantic conventions
 * have a name get that name, its attributes, its instrument type and its unit (the table in
 * {@code docs/otlp.md}); everything else keeps its {@code osgimon} name.</li>
 * </ul>
 * Lookups of a known field allocate nothing. Used by one encoder, on one thread.
 */
final class Names {

    /** The values of property {@code names}. */
    enum Mode {
        OSGIMON, SEMCONV;

        static Mode parse(String text) {
            String t = text == null ? "" : text.trim();
            if (t.isEmpty() || t.equalsIgnoreCase("osgimon")) {
                return OSGIMON;
            }
            if (t.equalsIgnoreCase("semconv")) {
                return SEMCONV;
            }
            throw new IllegalArgumentException("names must be osgimon or semconv, not '" + t + "'");
        }
    }

    /** Past this many cached fields the cache starts again (a guard against unbounded field names). */
    private static final int MAX_CACHED = 100_000;

    private static final Map<String, Map<String, Mapping>> SEMCONV = semconv();

    private final Mode mode;
    private final Map<String, Map<String, Mapping>> cache = new HashMap<>();
    private int cached;

    Names(Mode mode) {
        this.mode = mode;
    }

    Mode mode() {
        return mode;
    }

    /**
     * @param measurement the point's measurement
     * @param field the field's key, or {@code ""} for a histogram point
     * @return what the field becomes
     */
    Mapping of(String measurement, String field) {
        Map<String, Mapping> fields = cache.get(measurement);
        if (fields != null) {
            Mapping m = fields.get(field);
            if (m != null) {
                return m;
            }
        }
        Mapping m = resolve(measurement, field);
        if (cached >= MAX_CACHED) {
            cache.clear();
            cached = 0;
        }
        cache.computeIfAbsent(measurement, k -> new HashMap<>()).put(field, m);
        cached++;
        return m;
    }

    private Mapping resolve(String measurement, String field) {
        if (mode == Mode.SEMCONV) {
            Map<String, Mapping> fields = SEMCONV.get(measurement);
            Mapping m = fields == null ? null : fields.get(field);
            if (m != null) {
                return m;
            }
        }
        return Mapping.declared(field.isEmpty() ? measurement : measurement + "." + field);
    }

    /** The semantic-convention table; docs/otlp.md shows the same, row by row. */
    static Map<String, Map<String, Mapping>> semconv() {
        Map<String, Map<String, Mapping>> t = new HashMap<>();
        // memory: per pool, as jvm.memory.* wants (the area totals of jvm_memory have no convention)
        String[] pool = {"pool", "jvm.memory.pool.name", "area", "jvm.memory.type"};
        String[] area = {"area", "nonheap", "non_heap"};
        put(t, "jvm_memory_pool", "used", Mapping.declared("jvm.memory.used").shape(Shape.UP_DOWN).unit("By")
                .rename(pool).values(area));
        put(t, "jvm_memory_pool", "committed", Mapping.declared("jvm.memory.committed").shape(Shape.UP_DOWN)
                .unit("By").rename(pool).values(area));
        put(t, "jvm_memory_pool", "max", Mapping.declared("jvm.memory.limit").shape(Shape.UP_DOWN).unit("By")
                .rename(pool).values(area));
        put(t, "jvm_memory_pool", "init", Mapping.declared("jvm.memory.init").shape(Shape.UP_DOWN).unit("By")
                .rename(pool).values(area));
        put(t, "jvm_gc", "time_ms", Mapping.declared("jvm.gc.duration").unit("s").scale(0.001).countFrom("count")
                .rename("gc", "jvm.gc.name")
                .description("Duration of JVM garbage collection actions (count: collections, sum: seconds)."));
        put(t, "jvm_gc", "count", Mapping.SKIPPED);
        String[] buffer = {"pool", "jvm.buffer.pool.name"};
        put(t, "jvm_buffer_pool", "count", Mapping.declared("jvm.buffer.count").shape(Shape.UP_DOWN)
                .unit("{buffer}").rename(buffer));
        put(t, "jvm_buffer_pool", "used", Mapping.declared("jvm.buffer.memory.used").shape(Shape.UP_DOWN)
                .unit("By").rename(buffer));
        put(t, "jvm_buffer_pool", "capacity", Mapping.declared("jvm.buffer.memory.limit").shape(Shape.UP_DOWN)
                .unit("By").rename(buffer));
        // process
        put(t, "process", "cpu_user_s", Mapping.declared("process.cpu.time").unit("s").extra("cpu.mode", "user"));
        put(t, "process", "cpu_system_s", Mapping.declared("process.cpu.time").unit("s").extra("cpu.mode", "system"));
        put(t, "process", "threads", Mapping.declared("jvm.thread.count").shape(Shape.UP_DOWN).unit("{thread}"));
        put(t, "process", "open_fds", Mapping.declared("process.unix.file_descriptor.count").shape(Shape.UP_DOWN)
                .unit("{file_descriptor}"));
        put(t, "process", "uptime_s", Mapping.declared("process.uptime").shape(Shape.GAUGE).unit("s"));
        put(t, "process", "ctx_switches_voluntary", Mapping.declared("process.context_switches")
                .unit("{context_switch}").extra("process.context_switch.type", "voluntary"));
        put(t, "process", "ctx_switches_involuntary", Mapping.declared("process.context_switches")
                .unit("{context_switch}").extra("process.context_switch.type", "involuntary"));
        put(t, "process", "memory_rss", Mapping.declared("process.memory.usage").shape(Shape.UP_DOWN).unit("By"));
        put(t, "process", "memory_vms", Mapping.declared("process.memory.virtual").shape(Shape.UP_DOWN).unit("By"));
        put(t, "system_load", "load1", Mapping.declared("jvm.system.cpu.load_1m").shape(Shape.GAUGE)
                .unit("{run_queue_item}"));
        put(t, "system_load", "cpus", Mapping.declared("jvm.cpu.count").shape(Shape.UP_DOWN).unit("{cpu}"));
        // net: per interface
        String[] iface = {"interface", "network.interface.name"};
        netPair(t, "bytes_recv", "bytes_sent", "system.network.io", "By", iface);
        netPair(t, "packets_recv", "packets_sent", "system.network.packet.count", "{packet}", iface);
        netPair(t, "err_in", "err_out", "system.network.errors", "{error}", iface);
        netPair(t, "drop_in", "drop_out", "system.network.packet.dropped", "{packet}", iface);
        // http
        put(t, "http_latency", "", Mapping.declared("http.server.request.duration").unit("s")
                .rename("route", "http.route"));
        put(t, "http_server", "in_flight", Mapping.declared("http.server.active_requests").shape(Shape.UP_DOWN)
                .unit("{request}"));
        return t;
    }

    private static void netPair(Map<String, Map<String, Mapping>> t, String in, String out, String name, String unit,
            String[] iface) {
        put(t, "net", in, Mapping.declared(name).unit(unit).rename(iface).extra("network.io.direction", "receive"));
        put(t, "net", out, Mapping.declared(name).unit(unit).rename(iface).extra("network.io.direction", "transmit"));
    }

    private static void put(Map<String, Map<String, Mapping>> t, String measurement, String field, Mapping m) {
        t.computeIfAbsent(measurement, k -> new HashMap<>()).put(field, m);
    }
}
