package dev.osgimon.core.internal;

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
