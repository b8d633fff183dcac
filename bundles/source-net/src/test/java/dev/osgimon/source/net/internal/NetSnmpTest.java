package dev.osgimon.source.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NetSnmpTest {

    static Map<String, Long> parse(NetSnmp snmp, String resource) throws IOException {
        byte[] b = NetDevTest.resource(resource);
        snmp.update(b, b.length);
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < snmp.size(); i++) {
            if (snmp.present(i)) {
                m.put(snmp.name(i), snmp.value(i));
            }
        }
        return m;
    }

    @Test
    void readsTcpAndUdpOfACapturedFile() throws IOException {
        Map<String, Long> m = parse(new NetSnmp(), "snmp-linux.txt");
        assertThat(m).hasSize(15 + 9)
                .containsEntry("tcp_rtoalgorithm", 1L).containsEntry("tcp_maxconn", -1L)
                .containsEntry("tcp_activeopens", 117L).containsEntry("tcp_insegs", 3222L)
                .containsEntry("tcp_outrsts", 133L)
                .containsEntry("udp_indatagrams", 68L).containsEntry("udp_outdatagrams", 69L)
                .containsEntry("udp_memerrors", 0L)
                .doesNotContainKeys("ip_forwarding", "udplite_indatagrams");
    }

    @Test
    void toleratesUnknownColumnsShortLinesAndGarbage() throws IOException {
        Map<String, Long> m = parse(new NetSnmp(), "snmp-odd.txt");
        assertThat(m).containsExactly(
                Map.entry("tcp_rtoalgorithm", 1L), Map.entry("tcp_activeopens", 36L), Map.entry("tcp_maxconn", -1L),
                Map.entry("tcp_newthing", 5L), Map.entry("udp_indatagrams", 51L));
    }

    @Test
    void namesAreKeptWhileTheHeaderStaysTheSame() throws IOException {
        NetSnmp snmp = new NetSnmp();
        parse(snmp, "snmp-linux.txt");
        String name = snmp.name(0);
        parse(snmp, "snmp-linux.txt");
        assertThat(snmp.name(0)).isSameAs(name);
        snmp.update(new byte[0], 0);
        assertThat(snmp.size()).isZero();
    }
}
