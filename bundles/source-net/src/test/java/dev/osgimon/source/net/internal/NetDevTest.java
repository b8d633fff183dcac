package dev.osgimon.source.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NetDevTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = NetDevTest.class.getResourceAsStream("/proc/" + name)) {
            return in.readAllBytes();
        }
    }

    static Map<String, Long> fields(NetDev dev, String iface) {
        NetDev.Iface found = dev.interfaces().stream().filter(i -> i.name.equals(iface)).findFirst().orElseThrow();
        Map<String, Long> m = new HashMap<>();
        for (int f = 0; f < NetDev.FIELDS.length; f++) {
            if (found.get(f) >= 0) {
                m.put(NetDev.FIELDS[f], found.get(f));
            }
        }
        return m;
    }

    static NetDev update(NetDev dev, String resource) throws IOException {
        byte[] b = resource(resource);
        dev.update(b, b.length);
        return dev;
    }

    @Test
    void readsACapturedFile() throws IOException {
        NetDev dev = update(new NetDev(n -> true), "dev-linux.txt");
        assertThat(dev.interfaces()).extracting(i -> i.name).containsExactly("lo", "ifb0", "ifb1", "eth0");
        assertThat(fields(dev, "eth0")).containsEntry("bytes_recv", 81316749L).containsEntry("packets_recv", 2894L)
                .containsEntry("bytes_sent", 393880L).containsEntry("packets_sent", 2742L)
                .containsEntry("err_in", 0L).containsEntry("err_out", 0L)
                .containsEntry("drop_in", 0L).containsEntry("drop_out", 0L);
        assertThat(fields(dev, "lo")).containsEntry("bytes_recv", 873752L).containsEntry("packets_sent", 403L);
    }

    @Test
    void findsColumnsByTheirHeaderIgnoresUnknownOnesAndCrLf() throws IOException {
        NetDev dev = update(new NetDev(n -> true), "dev-odd.txt");
        assertThat(fields(dev, "eth0")).containsOnly(
                Map.entry("packets_recv", 5L), Map.entry("bytes_recv", 500L), Map.entry("err_in", 1L),
                Map.entry("drop_in", 2L), Map.entry("bytes_sent", 600L), Map.entry("packets_sent", 6L),
                Map.entry("err_out", 3L), Map.entry("drop_out", 4L));
        assertThat(fields(dev, "wlan0")).as("a value that is not a number is left out")
                .doesNotContainKey("packets_recv").containsEntry("bytes_recv", 700L).containsEntry("packets_sent", 8L);
    }

    @Test
    void withoutAHeaderTheClassicLayoutIsAssumed() throws IOException {
        NetDev dev = update(new NetDev(n -> true), "dev-noheader.txt");
        assertThat(fields(dev, "eth0")).containsEntry("bytes_recv", 100L).containsEntry("packets_recv", 2L)
                .containsEntry("bytes_sent", 200L).containsEntry("packets_sent", 3L);
    }

    @Test
    void wrapsAreBridgedResetsAddUpAndVanishedInterfacesAreForgotten() throws IOException {
        NetDev dev = update(new NetDev(n -> true), "dev-cycle1.txt");
        assertThat(fields(dev, "veth1")).containsEntry("bytes_recv", 500L);

        update(dev, "dev-cycle2.txt");
        assertThat(dev.interfaces()).extracting(i -> i.name).containsExactly("eth0");
        assertThat(fields(dev, "eth0"))
                .as("32-bit wrap from 4294967000 to 200").containsEntry("bytes_recv", 4294967000L + 296 + 200)
                .as("reset from 1000 to 300").containsEntry("bytes_sent", 1300L)
                .containsEntry("packets_recv", 12L);

        update(dev, "dev-cycle3.txt");
        assertThat(fields(dev, "eth0")).containsEntry("bytes_recv", 4294967000L + 296 + 400)
                .containsEntry("bytes_sent", 1400L);
        assertThat(fields(dev, "veth1")).as("a returning interface starts afresh").containsEntry("bytes_recv", 7L);
    }

    @Test
    void interfacesAreFilteredOnceAndTheFilterKeepsTheirState() throws IOException {
        NetDev dev = update(new NetDev(NetSource.filter(new String[0])), "dev-linux.txt");
        List<NetDev.Iface> ifaces = dev.interfaces();
        assertThat(ifaces).filteredOn(i -> i.included).extracting(i -> i.name).containsExactly("ifb0", "ifb1", "eth0");
        assertThat(new NetDev(NetSource.filter(new String[] {"eth*", "l?"})).interfaces()).isEmpty();
        NetDev globbed = update(new NetDev(NetSource.filter(new String[] {"eth*", "l?"})), "dev-linux.txt");
        assertThat(globbed.interfaces()).filteredOn(i -> i.included).extracting(i -> i.name)
                .containsExactly("lo", "eth0");
    }

    @Test
    void anEmptyOrTruncatedFileDoesNoHarm() throws IOException {
        NetDev dev = new NetDev(n -> true);
        dev.update(new byte[0], 0);
        assertThat(dev.interfaces()).isEmpty();
        byte[] b = resource("dev-linux.txt");
        dev.update(b, b.length - 40);
        assertThat(dev.interfaces()).extracting(i -> i.name).contains("lo", "eth0");
    }
}
