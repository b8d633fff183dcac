package dev.osgimon.source.memory.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} of the {@code memory} metric source. */
@ObjectClassDefinition(id = MemoryConfig.PID, name = "osgimon memory source",
        description = "JVM heap, memory pools, GC, buffer pools and allocation (process memory is the process source's).")
public @interface MemoryConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.source.memory";

    @AttributeDefinition(description = "Write one point per memory pool (tag pool).")
    boolean pools() default true;
}
