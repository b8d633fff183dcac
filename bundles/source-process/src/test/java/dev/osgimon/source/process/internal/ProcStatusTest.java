package dev.osgimon.source.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

class ProcStatusTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ProcStatusTest.class.getResourceAsStream("/proc/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsSizesInBytesFromACapturedFile() throws IOException {
        byte[] b = resource("status-linux.txt");
        ProcStatus status = new ProcStatus();
        status.parse(b, b.length);
        assertThat(status.get(ProcStatus.VM_SIZE)).isEqualTo(3060L * 1024);
        assertThat(status.get(ProcStatus.VM_RSS)).isEqualTo(1728L * 1024);
        assertThat(status.get(ProcStatus.VM_HWM)).isEqualTo(1728L * 1024);
        assertThat(status.get(ProcStatus.VM_SWAP)).isZero();
        assertThat(status.get(ProcStatus.THREADS)).isEqualTo(1);
    }

    @Test
    void toleratesOddLinesAndLeavesOutWhatIsNotANumber() throws IOException {
        byte[] b = resource("status-odd.txt");
        ProcStatus status = new ProcStatus();
        status.parse(b, b.length);
        assertThat(status.get(ProcStatus.VM_SIZE)).as("not a number").isEqualTo(ProcStatus.MISSING);
        assertThat(status.get(ProcStatus.VM_RSS)).as("no unit").isEqualTo(2048);
        assertThat(status.get(ProcStatus.VM_HWM)).as("too long").isEqualTo(ProcStatus.MISSING);
        assertThat(status.get(ProcStatus.VM_SWAP)).as("absent").isEqualTo(ProcStatus.MISSING);
        assertThat(status.get(ProcStatus.THREADS)).as("last line without line break").isEqualTo(37);
    }

    @Test
    void aSecondParseForgetsTheFirst() throws IOException {
        byte[] full = resource("status-linux.txt");
        ProcStatus status = new ProcStatus();
        status.parse(full, full.length);
        byte[] odd = resource("status-odd.txt");
        status.parse(odd, odd.length);
        assertThat(status.get(ProcStatus.VM_SWAP)).isEqualTo(ProcStatus.MISSING);
        status.parse(full, 0);
        assertThat(status.get(ProcStatus.THREADS)).isEqualTo(ProcStatus.MISSING);
    }
}
