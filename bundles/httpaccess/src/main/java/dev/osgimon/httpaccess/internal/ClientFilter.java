package dev.osgimon.httpaccess.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which client addresses may use an endpoint: loopback always, plus the configured networks. An
 * address that does not parse is refused; nothing here ever looks a name up. Immutable.
 */
public final class ClientFilter {

    /** Allowed networks: address bytes and prefix length, in the order configured. */
    private record Network(String text, byte[] address, int prefix) {
    }

    private final List<Network> networks;

    private ClientFilter(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /** @return a filter that allows loopback clients only */
    public static ClientFilter loopbackOnly() {
        return new ClientFilter(List.of());
    }

    /**
     * Parses the allowed networks.
     *
     * @param cidrs entries such as {@code 192.168.1.0/24}, {@code fd00::/8} or a single address; an
     *            entry may itself hold several separated by commas or white space (a {@code .cfg}
     *            file gives one string); {@code null} means none
     * @return the filter
     * @throws IllegalArgumentException naming the first entry that is not an address or CIDR
     */
    public static ClientFilter parse(String[] cidrs) {
        List<Network> out = new ArrayList<>();
        for (String raw : cidrs == null ? new String[0] : cidrs) {
            for (String c : (raw == null ? "" : raw).trim().split("[,\\s]+")) {
                if (!c.isEmpty()) {
                    out.add(network(c));
                }
            }
        }
        return new ClientFilter(out);
    }

    private static Network network(String c) {
        int slash = c.indexOf('/');
        String host = slash < 0 ? c : c.substring(0, slash);
        byte[] address = literal(host);
        if (address == null) {
            throw new IllegalArgumentException("allow: not an IP address: " + c);
        }
        // Java reads an IPv4-mapped IPv6 literal (::ffff:a.b.c.d) as IPv4: its prefix counts 96 bits more
        int bits = host.indexOf(':') >= 0 ? 128 : 32;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(c.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("allow: bad prefix length: " + c);
        }
        if (prefix < 0 || prefix > bits || (address.length == 4 && bits == 128 && prefix < 96)) {
            throw new IllegalArgumentException("allow: bad prefix length: " + c);
        }
        if (address.length == 4 && bits == 128) {
            prefix -= 96;
        }
        return new Network(c, address, prefix);
    }

    /**
     * Whether a client may use the endpoint.
     *
     * @param remoteAddress the client's IP address as the servlet container reports it
     * @return {@code true} for loopback and for an allowed network
     */
    public boolean allows(String remoteAddress) {
        byte[] a = literal(remoteAddress);
        if (a == null) {
            return false;
        }
        try {
            if (InetAddress.getByAddress(a).isLoopbackAddress()) {
                return true;
            }
        } catch (UnknownHostException e) {
            return false;
        }
        for (Network n : networks) {
            if (matches(n.address(), n.prefix(), a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] network, int prefix, byte[] address) {
        if (network.length != address.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (network[i] != address[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (network[full] & mask) == (address[full] & mask);
    }

    /** @return e.g. {@code loopback and 10.0.0.0/8}, for the log */
    @Override
    public String toString() {
        if (networks.isEmpty()) {
            return "loopback clients only";
        }
        List<String> texts = new ArrayList<>();
        networks.forEach(n -> texts.add(n.text()));
        return "loopback and " + String.join(", ", texts);
    }

    /**
     * Parses an IP literal without any name lookup.
     *
     * @param text e.g. {@code 10.1.2.3}, {@code ::1}, {@code [fe80::1%eth0]}
     * @return the address bytes (4 or 16), or {@code null} if it is not an IP literal
     */
    public static byte[] literal(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String t = text;
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        boolean v6 = t.indexOf(':') >= 0;
        if (!v6 && !t.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        if (v6 && !t.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            // a literal never causes a lookup
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
