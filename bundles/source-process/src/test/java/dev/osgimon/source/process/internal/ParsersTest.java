package dev.osgimon.source.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ParsersTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void statCountsFieldsAfterTheLastParenthesis() {
        byte[] line = b(ProcessSourceTest.stat(1234, 56));
        ProcStat stat = new ProcStat();
        stat.parse(line, line.length);
        assertThat(stat.userTicks()).isEqualTo(1234);
        assertThat(stat.systemTicks()).isEqualTo(56);
    }

    @Test
    void aTruncatedOrGarbledStatReadsAsMissing() {
        ProcStat stat = new ProcStat();
        byte[] cut = b("1 (java) S 1 2 3");
        stat.parse(cut, cut.length);
        assertThat(stat.userTicks()).isEqualTo(ProcStat.MISSING);
        byte[] noParen = b("1 java S 1 2 3 4 5 6 7 8 9 10 11 12 13");
        stat.parse(noParen, noParen.length);
        assertThat(stat.systemTicks()).isEqualTo(ProcStat.MISSING);
        byte[] letters = b("1 (j) S 1 2 3 4 5 6 7 8 9 10 x1 5 0\n");
        stat.parse(letters, letters.length);
        assertThat(stat.userTicks()).isEqualTo(ProcStat.MISSING);
        assertThat(stat.systemTicks()).isEqualTo(5);
    }

    @Test
    void loadAverages() {
        LoadAvg load = new LoadAvg();
        byte[] ok = b("12.05 0.00 3 1/889 12345\n");
        load.parse(ok, ok.length);
        assertThat(load.get(0)).isEqualTo(12.05);
        assertThat(load.get(1)).isEqualTo(0.0);
        assertThat(load.get(2)).isEqualTo(3.0);
        byte[] odd = b("x 1.5");
        load.parse(odd, odd.length);
        assertThat(load.get(0)).isNaN();
        assertThat(load.get(1)).isEqualTo(1.5);
        assertThat(load.get(2)).isNaN();
    }
}
