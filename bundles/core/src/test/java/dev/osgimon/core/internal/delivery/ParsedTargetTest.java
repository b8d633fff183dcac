package dev.osgimon.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The one parser of the core's target setting: parts, redaction, and errors without credentials. */
class ParsedTargetTest {

    private static final String SECRET = "pw-Qr42-secret";

    @Test
    void aTcpTargetHasItsHostAndPort() {
        ParsedTarget t = ParsedTarget.parse(" TCP://127.0.0.1:8094 ");
        assertThat(t.scheme()).isEqualTo("tcp");
        assertThat(t.host()).isEqualTo("127.0.0.1");
        assertThat(t.port()).isEqualTo(8094);
        assertThat(t.path()).isEmpty();
        assertThat(t.query()).isEmpty();
        assertThat(t.user()).isEmpty();
        assertThat(t.password()).isEmpty();
        assertThat(t.location()).isEqualTo("tcp://127.0.0.1:8094");
        assertThat(t.redacted()).isEqualTo("tcp://127.0.0.1:8094");
        assertThat(t).hasToString("tcp://127.0.0.1:8094");
    }

    @Test
    void anHttpTargetKeepsPathAndCredentialsApartAndShowsNeither() {
        ParsedTarget t = ParsedTarget.parse("https://bob%40corp:" + SECRET + "@influx.example/base%20dir?db=telegraf&rp=");
        assertThat(t.scheme()).isEqualTo("https");
        assertThat(t.host()).isEqualTo("influx.example");
        assertThat(t.port()).isEqualTo(-1);
        assertThat(t.path()).isEqualTo("/base%20dir");
        assertThat(t.user()).isEqualTo("bob@corp");
        assertThat(t.password()).isEqualTo(SECRET);
        assertThat(t.query()).containsExactly(Map.entry("db", "telegraf"), Map.entry("rp", ""));
        assertThat(t.location()).isEqualTo("https://influx.example/base%20dir");
        assertThat(t.redacted()).isEqualTo("https://influx.example/base%20dir?db=****&rp=****");
        assertThat(t.toString()).doesNotContain(SECRET, "bob", "telegraf");
    }

    @Test
    void anIpv6HostComesWithoutBracketsAndTheLocationWithThem() {
        ParsedTarget t = ParsedTarget.parse("udp://[::1]:8089");
        assertThat(t.host()).isEqualTo("::1");
        assertThat(t.location()).isEqualTo("udp://[::1]:8089");
    }

    @Test
    void unusableTargetsAreRefusedWithAMessageThatNeverHoldsTheCredentials() {
        assertThatThrownBy(() -> ParsedTarget.parse(" ")).hasMessage("target is empty");
        assertThatThrownBy(() -> ParsedTarget.parse("localhost")).hasMessageContaining("no scheme");
        assertThatThrownBy(() -> ParsedTarget.parse("tcp://127.0.0.1")).hasMessageContaining("needs a host and a port");
        assertThatThrownBy(() -> ParsedTarget.parse("udp://:8094")).hasMessageContaining("needs a host and a port");
        assertThatThrownBy(() -> ParsedTarget.parse("http:///nohost")).hasMessageContaining("needs a host");
        assertThatThrownBy(() -> ParsedTarget.parse("tcp://h:70000")).hasMessageContaining("beyond 65535");
        assertThatThrownBy(() -> ParsedTarget.parse("http://h:1/#x")).hasMessageContaining("fragment");
        assertThatThrownBy(() -> ParsedTarget.parse("http://h:1/?db=a&db=b")).hasMessageContaining("'db' twice");
        for (String bad : new String[] {"http://u:" + SECRET + "@h:1/a b", "http://u:" + SECRET + "@:1/",
            "http://u:" + SECRET + "@h:1/#frag", "http://u:" + SECRET + "@h:1/?q=%zz"}) {
            assertThatThrownBy(() -> ParsedTarget.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        }
    }

    @Test
    void theSameTextGivesEqualTargetsAndAnotherPasswordAnotherOne() {
        assertThat(ParsedTarget.parse("http://u:a@h:1")).isEqualTo(ParsedTarget.parse("http://u:a@h:1"));
        assertThat(ParsedTarget.parse("http://u:a@h:1")).isNotEqualTo(ParsedTarget.parse("http://u:b@h:1"));
    }
}
