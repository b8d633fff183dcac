package dev.osgimon.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration PID {@value #PID}: what is collected how often, and where the lines go. The one
 * Metatype definition of this PID, and the one home of its defaults: code that needs a default (a
 * fallback for a bad value) uses the constants below. The command server has its own PID
 * ({@code dev.osgimon.command}, in the command bundle).
 */
@ObjectClassDefinition(id = CoreConfig.PID, name = "osgimon core",
        description = "Collection interval, global tags, push target and the buffer of undelivered lines.")
public @interface CoreConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.core";

    /** Default of {@link #target()}: Telegraf's {@code socket_listener} on this machine. */
    String DEFAULT_TARGET = "tcp://127.0.0.1:8094";
    /** Default of {@link #interval()}, seconds. */
    int DEFAULT_INTERVAL = 10;
    /** Default of {@link #bufferLines()}. */
    int DEFAULT_BUFFER_LINES = 100_000;
    /** Default of {@link #buffer()}. */
    String DEFAULT_BUFFER = "memory";
    /** Default of {@link #bufferBytes()}: 256 MiB. */
    long DEFAULT_BUFFER_BYTES = 256L * 1024 * 1024;
    /** Default of {@link #bufferSync()}. */
    String DEFAULT_BUFFER_SYNC = "batch";
    /** Default of {@link #udpPayload()}: an Ethernet frame's IPv4 UDP payload. */
    int DEFAULT_UDP_PAYLOAD = 1472;

    @AttributeDefinition(description = "Where points go: tcp://host:port (Telegraf socket_listener, QuestDB ILP),"
            + " udp://host:port, http(s)://host:port (InfluxDB HTTP API; needs the influxdb-http bundle).")
    String target() default DEFAULT_TARGET;

    @AttributeDefinition(description = "Seconds between collection cycles (at least 1).", min = "1")
    int interval() default DEFAULT_INTERVAL;

    @AttributeDefinition(description = "If set, every point gets the tag vm=<hostname>.", required = false)
    String hostname() default "";

    @AttributeDefinition(description = "Extra global tags for every point, each key=value.", required = false)
    String[] tags() default {};

    @AttributeDefinition(description = "Lines kept in memory while the target is unreachable; the oldest batches are"
            + " dropped beyond it (buffer=memory, and while a disk spool falls back to memory).", min = "1")
    int bufferLines() default DEFAULT_BUFFER_LINES;

    @AttributeDefinition(description = "Where undelivered lines wait: memory (lost at a stop) or disk (a spool in"
            + " bufferDir that survives a restart and kill -9). disk with no bufferDir uses memory.",
            options = {@Option(label = "memory", value = "memory"), @Option(label = "disk", value = "disk")})
    String buffer() default DEFAULT_BUFFER;

    @AttributeDefinition(description = "Directory of the disk spool (buffer=disk). Used by one process at a time.",
            required = false)
    String bufferDir() default "";

    @AttributeDefinition(description = "Most bytes of undelivered lines kept (on disk or in memory); the oldest"
            + " batches are dropped beyond it.", min = "65536")
    long bufferBytes() default DEFAULT_BUFFER_BYTES;

    @AttributeDefinition(description = "When the spool forces appended lines to the device: batch (every cycle),"
            + " interval (at most once a second) or never (the operating system decides).",
            options = {@Option(label = "batch", value = "batch"), @Option(label = "interval", value = "interval"),
                @Option(label = "never", value = "never")})
    String bufferSync() default DEFAULT_BUFFER_SYNC;

    @AttributeDefinition(description = "Write unsigned integers with the u suffix (InfluxDB 2.x+);"
            + " off: as signed integers clamped to 2^63-1.")
    boolean uintSupport() default false;

    @AttributeDefinition(description = "Most bytes in one UDP datagram (lines are never split).", min = "64",
            max = "65507")
    int udpPayload() default DEFAULT_UDP_PAYLOAD;
}
