package dev.osgimon.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.transport.WriteResult;

/** UDP datagrams on a real socket: whole lines only, packed up to the payload size. */
class UdpWriterTest {

    @Test
    void packsWholeLinesIntoDatagramsOfAtMostThePayload() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            rx.setReceiveBufferSize(1 << 20);
            rx.setSoTimeout(2000);
            UdpWriter t = new UdpWriter("127.0.0.1", rx.getLocalPort(), 1472);
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                all.append("measurement,tag=value").append(i).append(" field=").append(i).append("i 1700000000000000000\n");
            }
            byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
            assertThat(t.write(bytes, 0, bytes.length, 100)).isEqualTo(WriteResult.delivered());
            List<String> datagrams = receiveAll(rx);
            t.close();

            assertThat(String.join("", datagrams)).isEqualTo(all.toString());
            assertThat(datagrams).hasSizeGreaterThan(1).allSatisfy(d -> {
                assertThat(d.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1472);
                assertThat(d).endsWith("\n").startsWith("measurement,");
            });
        }
    }

    @Test
    void aLineLongerThanThePayloadGoesAlone() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            rx.setSoTimeout(2000);
            UdpWriter t = new UdpWriter("127.0.0.1", rx.getLocalPort(), 100);
            String text = "a v=1i 1\n" + "b s=\"" + "x".repeat(300) + "\" 1\n" + "c v=2i 1\n";
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertThat(t.write(bytes, 0, bytes.length, 3)).isEqualTo(WriteResult.delivered());
            List<String> datagrams = receiveAll(rx);
            t.close();
            assertThat(datagrams).containsExactly("a v=1i 1\n", "b s=\"" + "x".repeat(300) + "\" 1\n", "c v=2i 1\n");
        }
    }

    @Test
    void aLineNoDatagramCanHoldIsRefusedAndTheOthersGo() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            rx.setSoTimeout(2000);
            UdpWriter t = new UdpWriter("127.0.0.1", rx.getLocalPort(), 1472);
            String text = "a v=1i 1\n" + "b s=\"" + "x".repeat(70_000) + "\" 1\n" + "c v=2i 1\n";
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            WriteResult r = t.write(bytes, 0, bytes.length, 3);
            List<String> datagrams = receiveAll(rx);
            t.close();
            assertThat(r.outcome()).isEqualTo(WriteResult.Outcome.DELIVERED);
            assertThat(r.rejectedLines()).isEqualTo(1);
            assertThat(String.join("", datagrams)).isEqualTo("a v=1i 1\nc v=2i 1\n");
        }
    }

    @Test
    void rejectsAPayloadOutsideTheUdpLimits() {
        assertThatThrownBy(() -> new UdpWriter("127.0.0.1", 8089, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("udpPayload");
        assertThatThrownBy(() -> new UdpWriter("127.0.0.1", 8089, 70_000)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> receiveAll(DatagramSocket rx) throws Exception {
        List<String> out = new ArrayList<>();
        byte[] buf = new byte[65_536];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                rx.receive(p);
            } catch (SocketTimeoutException done) {
                return out;
            }
            out.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            rx.setSoTimeout(300);
        }
    }
}
