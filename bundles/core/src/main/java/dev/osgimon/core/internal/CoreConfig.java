package dev.osgimon.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

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

    @AttributeDefinition(description = "Lines kept while the target is unreachable; the oldest are dropped beyond it.",
            min = "1")
    int bufferLines() default 100000;

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
