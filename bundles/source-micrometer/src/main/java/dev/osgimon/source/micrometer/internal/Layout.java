package dev.osgimon.source.micrometer.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.TimeGauge;

import dev.osgimon.api.Declarations;

/**
 * How one kind of meter is written: the fields of its point and their kinds and units (the table in
 * {@code docs/app-metrics.md}).
 */
enum Layout {
    /** {@link Counter}, {@link FunctionCounter}: counter field {@code count}. */
    COUNTER,
    /** {@link Gauge}, {@link TimeGauge}: gauge field {@code value}. */
    GAUGE,
    /** A timer: a histogram in seconds. */
    TIMER,
    /** A distribution summary: a histogram in the meter's base unit. */
    SUMMARY,
    /** {@link LongTaskTimer}: gauges {@code active}, {@code duration} and {@code max}. */
    LONG_TASK,
    /** {@link FunctionTimer}: counters {@code count} and {@code sum}. */
    FUNCTION_TIMER,
    /** Any other meter: one gauge per statistic of {@link Meter#measure()}. */
    OTHER;

    /**
     * @param meter a meter of the bridge's registry
     * @return its layout
     */
    static Layout of(Meter meter) {
        if (meter instanceof Counter || meter instanceof FunctionCounter) {
            return COUNTER;
        }
        if (meter instanceof Gauge) {
            return GAUGE;
        }
        if (meter instanceof OsgimonMeterRegistry.BucketTimer) {
            return TIMER;
        }
        if (meter instanceof OsgimonMeterRegistry.BucketSummary) {
            return SUMMARY;
        }
        if (meter instanceof LongTaskTimer) {
            return LONG_TASK;
        }
        if (meter instanceof FunctionTimer) {
            return FUNCTION_TIMER;
        }
        return OTHER;
    }

    /**
     * The unit of the meter's values.
     *
     * @param meter the meter
     * @return a UCUM-style unit, or empty
     */
    static String unit(Meter meter) {
        if (meter instanceof TimeGauge) {
            return "s";
        }
        switch (of(meter)) {
            case TIMER:
            case LONG_TASK:
                return "s";
            default:
                return Names.unit(meter.getId().getBaseUnit());
        }
    }

    /**
     * Declares the fields of a measurement written in this layout.
     *
     * @param d where to declare
     * @param measurement the measurement
     * @param unit the meter's unit
     * @param description the meter's description
     */
    void declare(Declarations d, String measurement, String unit, String description) {
        switch (this) {
            case COUNTER:
                d.counter(measurement, "count", unit, description);
                break;
            case GAUGE:
                d.gauge(measurement, "value", unit, description);
                break;
            case TIMER:
            case SUMMARY:
                d.histogram(measurement, unit, description);
                break;
            case LONG_TASK:
                d.gauge(measurement, "active", "{task}", description + " (tasks running)")
                        .gauge(measurement, "duration", "s", description + " (time all running tasks have run)")
                        .gauge(measurement, "max", "s", description + " (time the longest running task has run)");
                break;
            case FUNCTION_TIMER:
                d.counter(measurement, "count", "{event}", description + " (events timed)")
                        .counter(measurement, "sum", "s", description + " (total time)");
                break;
            default:
                d.gauge(measurement, Declarations.ANY_FIELD, unit, description);
                break;
        }
    }
}
