package dev.osgimon.source.jmx.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} of the {@code jmx} metric source. */
@ObjectClassDefinition(id = JmxConfig.PID, name = "osgimon JMX source",
        description = "Numeric and boolean attributes of the MBeans chosen by ObjectName patterns (see docs/app-metrics.md).")
public @interface JmxConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.source.jmx";

    @AttributeDefinition(description = "One entry per ObjectName pattern: <pattern>|<attribute>,<attribute>,... or"
            + " <pattern>|* (every numeric, boolean, CompositeData and TabularData attribute); without '|' the same as '|*'."
            + " One value may hold several entries separated by ';' (for .cfg files).")
    String[] beans() default {
        "java.lang:type=ClassLoading|LoadedClassCount,TotalLoadedClassCount,UnloadedClassCount",
        "java.lang:type=Compilation|TotalCompilationTime",
        "java.lang:type=OperatingSystem|AvailableProcessors,FreeMemorySize,TotalMemorySize",
        "org.apache.karaf:type=bundle,name=*|Bundles",
        "org.apache.karaf:type=feature,name=*|Features,Repositories",
        "org.apache.karaf:type=system,name=*|StartLevel",
        "org.eclipse.jetty.util.thread:type=queuedthreadpool,*|threads,idleThreads,busyThreads,maxThreads,queueSize"
    };

    @AttributeDefinition(description = "Attributes read only every samplePeriod seconds, their last values written"
            + " again in the cycles between: costly, slow-moving ones. Same syntax as beans; only attributes that beans"
            + " chooses count. The default: the OperatingSystem MBean's processor count, memory and swap sizes, which the"
            + " JDK computes from several cgroup files per attribute in a container.")
    String[] sampled() default {
        "java.lang:type=OperatingSystem|AvailableProcessors,FreeMemorySize,TotalMemorySize,FreePhysicalMemorySize,"
                + "TotalPhysicalMemorySize,FreeSwapSpaceSize,TotalSwapSpaceSize"
    };

    @AttributeDefinition(description = "Seconds between two reads of the sampled attributes (read at the first cycle"
            + " at least this long, less half a second, after the last read); 0 reads them every cycle.", min = "0")
    int samplePeriod() default 60;

    @AttributeDefinition(description = "At most this many points (one per MBean) a cycle; the MBeans beyond are"
            + " counted in jmx_source.series_dropped.", min = "0")
    int maxSeries() default 1000;
}
