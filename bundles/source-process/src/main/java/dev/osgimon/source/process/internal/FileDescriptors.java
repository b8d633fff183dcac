package dev.osgimon.source.process.internal;

import java.lang.management.ManagementFactory;

/**
 * Open and maximum file descriptors of this process, from
 * {@code com.sun.management.UnixOperatingSystemMXBean} where the JVM has it (HotSpot and OpenJ9 on
 * Unix). Both answer -1 elsewhere.
 */
abstract class FileDescriptors {

    /** @return descriptors open now, or -1 */
    abstract long open();

    /** @return the most descriptors this process may open, or -1 */
    abstract long max();

    /** @return the JVM's counters, or ones that always answer -1 */
    static FileDescriptors create() {
        try {
            FileDescriptors unix = Unix.createOrNull();
            if (unix != null) {
                return unix;
            }
        } catch (LinkageError e) {
            // com.sun.management is not there
        }
        return new FileDescriptors() {
            @Override
            long open() {
                return -1;
            }

            @Override
            long max() {
                return -1;
            }
        };
    }

    /** Only loaded when {@code com.sun.management} is there (an optional import). */
    private static final class Unix extends FileDescriptors {
        private final com.sun.management.UnixOperatingSystemMXBean os;

        private Unix(com.sun.management.UnixOperatingSystemMXBean os) {
            this.os = os;
        }

        static FileDescriptors createOrNull() {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                    ? new Unix(u) : null;
        }

        @Override
        long open() {
            return os.getOpenFileDescriptorCount();
        }

        @Override
        long max() {
            return os.getMaxFileDescriptorCount();
        }
    }
}
