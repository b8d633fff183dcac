package dev.osgimon.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration PID {@value #PID}: where and how often metrics are pushed, and the command server. */
@ObjectClassDefinition(id = CoreConfig.PID, name = "osgimon core",
        description = "Collection interval, push target and the runtime command server.")
public @interface CoreConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.core";

    @AttributeDefinition(description = "Where points go: tcp://host:port (Telegraf socket_listener, QuestDB ILP),"
            + " udp://host:port, http(s)://host:port (InfluxDB HTTP API; needs the influxdb-http bundle).")
    String target() default "tcp://127.0.0.1:8094";

    @AttributeDefinition(description = "Seconds between collection cycles (at least 1).", min = "1")
    int interval() default 10;

    @AttributeDefinition(description = "If set, every point gets the tag vm=<hostname>.", required = false)
    String hostname() default "";

    @AttributeDefinition(description = "Extra global tags for every point, each key=value.", required = false)
    String[] tags() default {};

    @AttributeDefinition(description = "Lines kept in memory while the target is unreachable; the oldest batches are"
            + " dropped beyond it (buffer=memory, and while a disk spool falls back to memory).", min = "1")
    int bufferLines() default 100000;

    @AttributeDefinition(description = "Where undelivered lines wait: memory (lost at a stop) or disk (a spool in"
            + " bufferDir that survives a restart and kill -9). disk with no bufferDir uses memory.",
            options = {@Option(label = "memory", value = "memory"), @Option(label = "disk", value = "disk")})
    String buffer() default "memory";

    @AttributeDefinition(description = "Directory of the disk spool (buffer=disk). Used by one process at a time.",
            required = false)
    String bufferDir() default "";

    @AttributeDefinition(description = "Most bytes of undelivered lines kept (on disk or in memory); the oldest"
            + " batches are dropped beyond it.", min = "65536")
    long bufferBytes() default 268435456L;

    @AttributeDefinition(description = "When the spool forces appended lines to the device: batch (every cycle),"
            + " interval (at most once a second) or never (the operating system decides).",
            options = {@Option(label = "batch", value = "batch"), @Option(label = "interval", value = "interval"),
                @Option(label = "never", value = "never")})
    String bufferSync() default "batch";

    @AttributeDefinition(description = "Write unsigned integers with the u suffix (InfluxDB 2.x+);"
            + " off: as signed integers clamped to 2^63-1.")
    boolean uintSupport() default false;

    @AttributeDefinition(description = "Most bytes in one UDP datagram (lines are never split).", min = "64",
            max = "65507")
    int udpPayload() default 1472;

    @AttributeDefinition(description = "TCP port of the command server (0 turns it off).", min = "0", max = "65535")
    int commandPort() default 2323;

    @AttributeDefinition(description = "Address the command server binds to.")
    String commandBind() default "127.0.0.1";
}
