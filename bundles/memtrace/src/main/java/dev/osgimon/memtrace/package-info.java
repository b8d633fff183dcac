/**
 * Sampled allocation recordings for other bundles: an {@link dev.osgimon.memtrace.AllocationRecorder}
 * service records {@code jdk.ObjectAllocationSample} with stack traces for a while, ranks the sampled
 * bytes by allocation site and by bundle, and keeps the JFR file for download. The memtrace bundle owns
 * the recording and its file; a front end (the operator page) only asks.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.osgimon.memtrace;
