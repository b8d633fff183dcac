package dev.osgimon.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static List<String> read(String text) {
        List<String> out = new ArrayList<>();
        LineReader.read(text, (m, tags, f, v) -> out.add(m + tags + "." + f + "=" + v));
        return out;
    }

    @Test
    void readsNumericFieldsWithEscapesAndSkipsStringsAndBooleans() {
        assertThat(read("my\\ meas,a\\,b=x\\ y,z=1 i=-3i,u=7u,d=1.5,s=\"a, b=\\\"c\\\" d\",ok=true,e=2e3 1700000000000000000\n"))
                .containsExactly("my meas{a,b=x y, z=1}.i=-3.0", "my meas{a,b=x y, z=1}.u=7.0",
                        "my meas{a,b=x y, z=1}.d=1.5", "my meas{a,b=x y, z=1}.e=2000.0");
    }

    @Test
    void aLineWithoutTimestampOrTagsReadsToo() {
        assertThat(read("cpu v=1")).containsExactly("cpu{}.v=1.0");
    }

    @Test
    void garbageIsSkippedAndCounted() {
        List<String> seen = new ArrayList<>();
        int bad = LineReader.read("nofields\n,x=1 v=1\ncpu v=2\n", (m, t, f, v) -> seen.add(m));
        assertThat(seen).containsExactly("cpu");
        assertThat(bad).isEqualTo(2);
    }
}
