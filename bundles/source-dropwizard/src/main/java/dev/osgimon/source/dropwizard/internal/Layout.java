package dev.osgimon.source.dropwizard.internal;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.Timer;

import dev.osgimon.api.Declarations;

/** How one kind of Dropwizard metric is written (the table in {@code docs/app-metrics.md}). */
enum Layout {
    /** {@link Counter}: counter field {@code count}. */
    COUNTER,
    /** {@link Gauge} with a numeric value: gauge field {@code value}. */
    GAUGE,
    /** {@link Meter}: counter field {@code count} (events marked). */
    METER,
    /** {@link Histogram}: counter {@code count} and the reservoir snapshot's gauges, in the recorded unit. */
    HISTOGRAM,
    /** {@link Timer}: counter {@code count} and the reservoir snapshot's gauges, in seconds. */
    TIMER,
    /** A gauge with no numeric value, or a metric of another type: not written. */
    IGNORED;

    /** The snapshot gauges of a histogram or timer, in the order written. */
    static final String[] SNAPSHOT_FIELDS = {"min", "max", "mean", "stddev", "p50", "p75", "p95", "p98", "p99", "p999"};

    /**
     * @param metric a metric
     * @return its layout; a gauge is asked for its value once
     */
    static Layout of(Metric metric) {
        if (metric instanceof Counter) {
            return COUNTER;
        }
        if (metric instanceof Timer) {
            return TIMER;
        }
        if (metric instanceof Meter) {
            return METER;
        }
        if (metric instanceof Histogram) {
            return HISTOGRAM;
        }
        if (metric instanceof Gauge) {
            try {
                return ((Gauge<?>) metric).getValue() instanceof Number ? GAUGE : IGNORED;
            } catch (RuntimeException failed) {
                return IGNORED;
            }
        }
        return IGNORED;
    }

    /**
     * Declares the fields of a measurement in this layout.
     *
     * @param d where to declare
     * @param measurement the measurement
     * @param name the metric's name
     */
    void declare(Declarations d, String measurement, String name) {
        switch (this) {
            case COUNTER:
                d.counter(measurement, "count", "", "Dropwizard counter " + name);
                break;
            case GAUGE:
                d.gauge(measurement, "value", "", "Dropwizard gauge " + name);
                break;
            case METER:
                d.counter(measurement, "count", "{event}", "Dropwizard meter " + name + " (events marked)");
                break;
            case HISTOGRAM:
            case TIMER:
                String what = this == TIMER ? "timer" : "histogram";
                String unit = this == TIMER ? "s" : "";
                d.counter(measurement, "count", "{event}", "Dropwizard " + what + " " + name + " (values recorded)");
                for (String f : SNAPSHOT_FIELDS) {
                    d.gauge(measurement, f, unit, "Dropwizard " + what + " " + name + " (" + f
                            + " of the reservoir's snapshot)");
                }
                break;
            default:
                break;
        }
    }
}
