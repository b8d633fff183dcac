package dev.osgimon.source.process.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} of the {@code process} metric source. */
@ObjectClassDefinition(id = ProcessConfig.PID, name = "osgimon process source",
        description = "CPU time and usage, threads, file descriptors, context switches, resident memory and system load.")
public @interface ProcessConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.source.process";

    @AttributeDefinition(description = "Where procfs is mounted: <procRoot>/self/stat, <procRoot>/self/status and"
            + " <procRoot>/loadavg are read. What cannot be read is left out.")
    String procRoot() default "/proc";

    @AttributeDefinition(description = "Clock ticks per second of the CPU times in <procRoot>/self/stat (USER_HZ,"
            + " 100 on Linux).", min = "1")
    int clockTicks() default 100;

    @AttributeDefinition(description = "Write the context switches, summed over <procRoot>/self/task/<tid>/status of"
            + " every thread: one small file read per thread, most of the cost of a cycle that reads them.")
    boolean contextSwitches() default true;

    @AttributeDefinition(description = "Read the threads' context switches again at most every this many seconds;"
            + " the cycles in between write the last sums. 0 reads them every cycle.", min = "0")
    int contextSwitchesSeconds() default 60;
}
