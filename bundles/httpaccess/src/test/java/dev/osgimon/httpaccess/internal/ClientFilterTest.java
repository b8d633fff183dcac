package dev.osgimon.httpaccess.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientFilterTest {

    @Test
    void loopbackOnlyByDefault() {
        for (ClientFilter f : new ClientFilter[] {ClientFilter.loopbackOnly(), ClientFilter.parse(new String[0]),
                ClientFilter.parse(null), ClientFilter.parse(new String[] {""})}) {
            assertThat(f.allows("127.0.0.1")).isTrue();
            assertThat(f.allows("127.9.9.9")).isTrue();
            assertThat(f.allows("::1")).isTrue();
            assertThat(f.allows("0:0:0:0:0:0:0:1")).isTrue();
            assertThat(f.allows("[::1]")).isTrue();
            assertThat(f.allows("192.0.2.2")).isFalse();
            assertThat(f.allows("fd00::2")).isFalse();
            assertThat(f.allows("localhost")).as("names are not looked up").isFalse();
            assertThat(f.allows(null)).isFalse();
            assertThat(f).hasToString("loopback clients only");
        }
    }

    @Test
    void cidrsOpenItFurther() {
        ClientFilter f = ClientFilter.parse(new String[] {"10.1.0.0/16, 192.0.2.7", "fd00::/8", "::ffff:172.16.0.0/108",
                "198.51.100.128/25"});
        assertThat(f.allows("10.1.200.3")).isTrue();
        assertThat(f.allows("10.2.0.1")).isFalse();
        assertThat(f.allows("192.0.2.7")).isTrue();
        assertThat(f.allows("192.0.2.8")).isFalse();
        assertThat(f.allows("fd12:3456::1")).isTrue();
        assertThat(f.allows("fe80::1")).isFalse();
        assertThat(f.allows("172.16.9.9")).isTrue();
        assertThat(f.allows("::ffff:10.1.0.9")).as("an IPv4-mapped client").isTrue();
        assertThat(f.allows("198.51.100.200")).as("a prefix that is not a whole byte").isTrue();
        assertThat(f.allows("198.51.100.127")).isFalse();
        assertThat(f).hasToString("loopback and 10.1.0.0/16, 192.0.2.7, fd00::/8, ::ffff:172.16.0.0/108, 198.51.100.128/25");
    }

    @Test
    void aBadEntryIsAClearError() {
        assertThatThrownBy(() -> ClientFilter.parse(new String[] {"10.0.0.0/33"})).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> ClientFilter.parse(new String[] {"example.org"})).hasMessageContaining("example.org");
        assertThatThrownBy(() -> ClientFilter.parse(new String[] {"10.0.0.0/x"})).hasMessageContaining("10.0.0.0/x");
        assertThatThrownBy(() -> ClientFilter.parse(new String[] {"::ffff:10.0.0.0/64"})).hasMessageContaining("prefix");
    }
}
