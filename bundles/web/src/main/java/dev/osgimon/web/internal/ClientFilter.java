package dev.osgimon.web.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which client addresses may use the page: loopback always, plus the configured CIDRs.
 * An address that does not parse is refused.
 */
final class ClientFilter {

    private final List<byte[]> networks = new ArrayList<>();
    private final List<String> allowed = new ArrayList<>();
    private final List<Integer> prefixes = new ArrayList<>();

    /**
     * Parses the allowed networks.
     *
     * @param cidrs e.g. {@code 192.168.1.0/24}, {@code fd00::/8}, or a single address
     * @throws IllegalArgumentException naming the first entry that is not a CIDR
     */
    ClientFilter(String[] cidrs) {
        List<String> all = new ArrayList<>();
        for (String raw : cidrs == null ? new String[0] : cidrs) {
            // a .cfg file gives one comma-separated string
            all.addAll(List.of((raw == null ? "" : raw).trim().split("[,\\s]+")));
        }
        for (String c : all) {
            if (c.isEmpty()) {
                continue;
            }
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
            allowed.add(c);
            networks.add(address);
            prefixes.add(prefix);
        }
    }

    /**
     * Whether a client may use the page.
     *
     * @param remoteAddress the client's IP address as the servlet container reports it
     * @return {@code true} for loopback and for an allowed network
     */
    boolean allows(String remoteAddress) {
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
        for (int i = 0; i < networks.size(); i++) {
            if (matches(networks.get(i), prefixes.get(i), a)) {
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

    @Override
    public String toString() {
        return allowed.isEmpty() ? "loopback clients only" : "loopback and " + String.join(", ", allowed);
    }

    /** Parses an IP literal without any name lookup; {@code null} if it is not one. */
    static byte[] literal(String text) {
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
