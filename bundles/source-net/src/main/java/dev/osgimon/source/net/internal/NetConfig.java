package dev.osgimon.source.net.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} of the {@code net} metric source. */
@ObjectClassDefinition(id = NetConfig.PID, name = "osgimon net source",
        description = "Per-interface counters from /proc/net/dev and TCP/UDP counters from /proc/net/snmp.")
public @interface NetConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.source.net";

    @AttributeDefinition(description = "Where procfs is mounted; reads <procRoot>/net/dev and <procRoot>/net/snmp.")
    String procRoot() default "/proc";

    @AttributeDefinition(description = "Interfaces to report, as names or globs with * and ?"
            + " (e.g. eth*). Empty: every interface except lo.", required = false)
    String[] interfaces() default {};

    @AttributeDefinition(description = "Report the TCP and UDP counters of /proc/net/snmp (tag interface=all).")
    boolean protocolStats() default true;
}
