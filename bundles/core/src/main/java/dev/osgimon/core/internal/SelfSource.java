package dev.osgimon.core.internal;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.PointWriter;
import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.core.internal.delivery.Delivery;

/** The {@code monitoring} source: what the core itself did (delivery, cycles, sources). */
final class SelfSource implements MetricSource {

    private final Delivery delivery;
    private final CycleRunner cycles;
    private final SourceRegistry registry;

    SelfSource(Delivery delivery, CycleRunner cycles, SourceRegistry registry) {
        this.delivery = delivery;
        this.cycles = cycles;
        this.registry = registry;
    }

    /** Counters count since the core started; gauges are this moment's (or the last cycle's) value. */
    @Override
    public void declare(Declarations d) {
        d.counter("osgimon", "lines_sent", "{line}", "Lines the target accepted")
                .counter("osgimon", "lines_dropped", "{line}", "Lines dropped because the buffer was full")
                .counter("osgimon", "lines_rejected", "{line}", "Lines the target refused")
                .counter("osgimon", "lines_replayed", "{line}", "Lines sent again from the disk buffer after a restart")
                .counter("osgimon", "write_errors", "{error}", "Failed writes to the target")
                .counter("osgimon", "spool_errors", "{error}", "Failed reads or writes of the disk buffer")
                .counter("osgimon", "reconnects", "{connection}", "Connections opened to the target again")
                .gauge("osgimon", "buffer_lines", "{line}", "Lines waiting in the buffer")
                .gauge("osgimon", "buffer_bytes", "By", "Bytes waiting in the buffer")
                .gauge("osgimon", "buffer_capacity", "{line}", "Lines the memory buffer holds at most")
                .gauge("osgimon", "buffer_fill", "1", "How full the buffer is, 0 to 1")
                .gauge("osgimon", "oldest_buffered_age_s", "s", "Age of the oldest line waiting in the buffer")
                .counter("osgimon", "cycles", "{cycle}", "Collection cycles run")
                .gauge("osgimon", "cycle_time_ns", "ns", "Time the last collection cycle took")
                .gauge("osgimon", "append_time_ns", "ns", "Time the last cycle's append to the buffer (memory or disk spool) took")
                .gauge("osgimon", "sources_enabled", "{source}", "Sources collected")
                .counter("osgimon", "sources_stuck", "{source}", "Times a source did not return in time")
                .gauge("osgimon_source", "collect_time_ns", "ns", "Time the source's last collection took")
                .gauge("osgimon_source", "lines", "{line}", "Lines the source wrote in its last collection")
                .counter("osgimon_source", "errors", "{error}", "Collections of the source that failed")
                .counter("osgimon_source", "overruns", "{overrun}", "Collections of the source dropped for taking too long");
    }

    @Override
    public void collect(PointWriter out) {
        DeliveryStatus d = delivery.status();
        int capacity = delivery.outbox().maxLines();
        long maxBytes = delivery.outbox().maxBytes();
        double fill = "disk".equals(d.buffer()) ? (double) d.bytesBuffered() / maxBytes
                : Math.max((double) d.linesBuffered() / capacity, (double) d.bytesBuffered() / maxBytes);
        SourceEntry[] on = registry.active();
        out.point("osgimon")
                .tag("target", scheme(d.target()))
                .field("lines_sent", d.linesSent())
                .field("lines_dropped", d.linesDropped())
                .field("lines_rejected", d.linesRejected())
                .field("lines_replayed", d.linesReplayed())
                .field("write_errors", d.writeErrors())
                .field("spool_errors", d.spoolErrors())
                .field("reconnects", d.reconnects())
                .field("buffer_lines", d.linesBuffered())
                .field("buffer_bytes", d.bytesBuffered())
                .field("buffer_capacity", capacity)
                .field("buffer_fill", Math.min(1.0, fill))
                .field("oldest_buffered_age_s", d.oldestBufferedAgeSeconds())
                .field("cycles", cycles.cycles())
                .field("cycle_time_ns", cycles.lastCycleNanos())
                .field("append_time_ns", cycles.lastAppendNanos())
                .field("sources_enabled", on.length)
                .field("sources_stuck", cycles.stuckSources());
        for (SourceEntry e : on) {
            out.point("osgimon_source")
                    .tag("source", e.name)
                    .field("collect_time_ns", e.lastNanos)
                    .field("lines", e.lastLines)
                    .field("errors", e.errors)
                    .field("overruns", e.overruns);
        }
    }

    private static String scheme(String target) {
        int colon = target.indexOf("://");
        return colon > 0 ? target.substring(0, colon) : "none";
    }
}
