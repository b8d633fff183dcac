package dev.osgimon.memtrace.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID}: the memtrace listener and how densely allocations are sampled. */
@ObjectClassDefinition(id = MemtraceConfig.PID, name = "osgimon memtrace",
        description = "Sampled allocation profiles (JFR jdk.ObjectAllocationSample) streamed to one TCP client.")
public @interface MemtraceConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.memtrace";

    @AttributeDefinition(description = "TCP port of the memtrace listener (0 turns it off).", min = "0", max = "65535")
    int port() default 4242;

    @AttributeDefinition(description = "Address the memtrace listener binds to.")
    String bind() default "127.0.0.1";

    @AttributeDefinition(description = "Sampling probability per 8-byte word allocated (as in mirage-monitoring);"
            + " turned into a JFR throttle from the measured allocation rate.", min = "0")
    double samplingRate() default 1e-4;

    @AttributeDefinition(description = "Explicit JFR throttle for jdk.ObjectAllocationSample, e.g. 500/s;"
            + " empty: derived from samplingRate.", required = false)
    String throttle() default "";

    @AttributeDefinition(description = "Seconds per JFR chunk sent to the client (each chunk carries ~100 KB of"
            + " metadata).", min = "1", max = "3600")
    int chunkSeconds() default 5;

    @AttributeDefinition(description = "Also record jdk.OldObjectSample (live objects, with stack traces)."
            + " Costly: opt-in only.")
    boolean oldObjects() default false;

    @AttributeDefinition(description = "Seconds a write to the client may make no progress before the session"
            + " is ended.", min = "1", max = "3600")
    int writeTimeoutSeconds() default 10;
}
