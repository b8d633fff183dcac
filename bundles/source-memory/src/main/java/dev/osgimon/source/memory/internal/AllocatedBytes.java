package dev.osgimon.source.memory.internal;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the heap by all threads since the JVM started, from
 * {@code com.sun.management.ThreadMXBean} where the JVM has it (HotSpot, OpenJ9).
 */
abstract class AllocatedBytes {

    /** @return the bytes allocated so far, or -1 if the JVM cannot tell */
    abstract long total();

    /** @return the JVM's counter, or one that always answers -1 */
    static AllocatedBytes create() {
        try {
            AllocatedBytes hotSpot = HotSpot.createOrNull();
            if (hotSpot != null) {
                return hotSpot;
            }
        } catch (LinkageError e) {
            // com.sun.management is not there
        }
        return new AllocatedBytes() {
            @Override
            long total() {
                return -1;
            }
        };
    }

    /** Only loaded when {@code com.sun.management} is there (an optional import). */
    private static final class HotSpot extends AllocatedBytes {
        private final com.sun.management.ThreadMXBean threads;

        private HotSpot(com.sun.management.ThreadMXBean threads) {
            this.threads = threads;
        }

        static AllocatedBytes createOrNull() {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported()) {
                return new HotSpot(t);
            }
            return null;
        }

        @Override
        long total() {
            return threads.isThreadAllocatedMemoryEnabled() ? threads.getTotalThreadAllocatedBytes() : -1;
        }
    }
}
