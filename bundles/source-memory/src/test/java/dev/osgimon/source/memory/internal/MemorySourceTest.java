package dev.osgimon.source.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import dev.osgimon.testing.DeclarationCheck;
import dev.osgimon.testing.RecordingWriter;

class MemorySourceTest {

    static MemoryConfig config(boolean pools) {
        return new MemoryConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MemoryConfig.class;
            }

            @Override
            public boolean pools() {
                return pools;
            }
        };
    }

    @Test
    void writesHeapPoolsGcBuffersAndAllocationButNoProcessPoint() {
        MemorySource source = new MemorySource(config(true));
        {
            RecordingWriter out = new RecordingWriter();
            source.collect(out);

            RecordingWriter.Point heap = out.one("jvm_memory", "area", "heap");
            assertThat(heap.fields()).containsKeys("used", "committed", "max");
            assertThat((Long) heap.fields().get("used")).isPositive();
            assertThat(out.one("jvm_memory", "area", "nonheap").fields()).containsKeys("used", "committed");
            assertThat(out.named("jvm_memory_pool")).hasSize(ManagementFactory.getMemoryPoolMXBeans().size())
                    .allSatisfy(p -> assertThat(p.tags()).containsKeys("pool", "area"));
            assertThat(out.named("jvm_gc")).hasSize(ManagementFactory.getGarbageCollectorMXBeans().size())
                    .allSatisfy(p -> assertThat(p.fields()).containsKeys("count", "time_ms"));
            assertThat(out.one("jvm_buffer_pool", "pool", "direct").fields())
                    .containsKeys("count", "used", "capacity");
            assertThat((Long) out.named("jvm_allocation").get(0).fields().get("bytes")).isPositive();
            assertThat(out.named("process")).as("the process source's measurement").isEmpty();
            DeclarationCheck.assertAgree(source, out);
        }
    }

    @Test
    void poolsCanBeSwitchedOffAndOnAgain() {
        MemorySource source = new MemorySource(config(false));
        RecordingWriter off = new RecordingWriter();
        source.collect(off);
        source.modified(config(true));
        RecordingWriter on = new RecordingWriter();
        source.collect(on);
        assertThat(off.named("jvm_memory_pool")).isEmpty();
        assertThat(on.named("jvm_memory_pool")).isNotEmpty();
    }
}
