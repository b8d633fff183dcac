package dev.osgimon.web.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.osgimon.memtrace.AllocationRecorder;
import dev.osgimon.memtrace.AllocationRecording;

/**
 * {@link Allocations} on the memtrace bundle's {@link AllocationRecorder}: there only while that
 * service is. The recorder owns the recording and its file; this only asks and renders.
 */
@Component(service = Allocations.class)
public final class MemtraceAllocations implements Allocations {

    private final AllocationRecorder recorder;

    /**
     * Binds the recorder.
     *
     * @param recorder the memtrace bundle's recorder
     */
    @Activate
    public MemtraceAllocations(@Reference AllocationRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void start(int seconds, String who) {
        recorder.start(Duration.ofSeconds(seconds), who);
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("available", true);
        Optional<AllocationRecording> last = recorder.last();
        if (last.isEmpty()) {
            m.put("state", "none");
            return m;
        }
        AllocationRecording r = last.get();
        AllocationRecording.State state = r.state();
        m.put("state", state.name().toLowerCase(Locale.ROOT));
        m.put("endsAt", r.endsAt().toEpochMilli());
        if (state == AllocationRecording.State.FAILED) {
            m.put("error", r.error());
        } else if (state == AllocationRecording.State.DONE) {
            try {
                AllocationRecording.Summary s = r.summary();
                m.put("samples", s.samples());
                m.put("bytes", s.bytes());
                m.put("sites", rows(s.sites()));
                m.put("bundles", rows(s.bundles()));
            } catch (IllegalStateException discardedMeanwhile) {
                m.put("state", "discarded");
            }
        }
        return m;
    }

    private static List<Map<String, Object>> rows(List<AllocationRecording.Ranked> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (AllocationRecording.Ranked r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("frame", r.frame());
            m.put("bytes", r.bytes());
            out.add(m);
        }
        return out;
    }

    @Override
    public boolean download(Exchange x) throws IOException {
        Optional<AllocationRecording> last = recorder.last();
        if (last.isEmpty() || last.get().state() != AllocationRecording.State.DONE) {
            return false;
        }
        x.status(200);
        x.header("Content-Type", "application/octet-stream");
        x.header("Content-Disposition", "attachment; filename=\"osgimon-memtrace.jfr\"");
        try {
            last.get().writeTo(x.body());
        } catch (IllegalStateException discardedMeanwhile) {
            // a new recording started between the check and the copy: the response ends short
            return true;
        }
        return true;
    }
}
