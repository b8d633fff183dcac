package dev.osgimon.httpaccess.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * An optional shared secret: the exact {@code Authorization} header value a client must send, such
 * as {@code Bearer s3cr3t} or {@code Basic dXNlcjpwYXNz}. Compared in constant time; never shown:
 * {@link #toString()} gives the scheme only. Immutable.
 */
public final class RequiredAuthorization {

    /** What a request's {@code Authorization} header earns it. */
    public enum Verdict {
        /** Nothing is required, or the header matches. */
        PASS,
        /** No header: answer 401 with {@link #challenge()}. */
        MISSING,
        /** A header that does not match: answer 403. */
        WRONG
    }

    private static final RequiredAuthorization NONE = new RequiredAuthorization(null, "");

    /** The expected header value as UTF-8, or {@code null} when nothing is required. */
    private final byte[] expected;
    /** The scheme as configured, e.g. {@code Bearer}; empty when nothing is required. */
    private final String scheme;

    private RequiredAuthorization(byte[] expected, String scheme) {
        this.expected = expected;
        this.scheme = scheme;
    }

    /**
     * Reads the configured value.
     *
     * @param value {@code Bearer <token>} or {@code Basic <base64 of user:password>}; empty or
     *            {@code null} requires nothing
     * @return the requirement
     * @throws IllegalArgumentException when the value has another scheme or no credentials (the
     *             message never repeats the value)
     */
    public static RequiredAuthorization parse(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            return NONE;
        }
        int space = v.indexOf(' ');
        String scheme = space < 0 ? v : v.substring(0, space);
        String credentials = space < 0 ? "" : v.substring(space + 1).trim();
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!lower.equals("bearer") && !lower.equals("basic")) {
            throw new IllegalArgumentException("authorization: must start with 'Bearer ' or 'Basic ' (value not shown)");
        }
        if (credentials.isEmpty() || credentials.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("authorization: '" + scheme + "' needs exactly one credentials word (value not shown)");
        }
        return new RequiredAuthorization((scheme + " " + credentials).getBytes(StandardCharsets.UTF_8), scheme);
    }

    /** @return whether a header is required at all */
    public boolean required() {
        return expected != null;
    }

    /**
     * Judges a request.
     *
     * @param header the request's {@code Authorization} header, or {@code null}
     * @return pass, missing (401) or wrong (403)
     */
    public Verdict check(String header) {
        if (expected == null) {
            return Verdict.PASS;
        }
        if (header == null || header.isEmpty()) {
            return Verdict.MISSING;
        }
        // MessageDigest.isEqual takes the same time whatever the content (the length alone may show)
        return MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.UTF_8)) ? Verdict.PASS
                : Verdict.WRONG;
    }

    /** @return the {@code WWW-Authenticate} value for a 401, e.g. {@code Bearer realm="osgimon"} */
    public String challenge() {
        String s = scheme.toLowerCase(Locale.ROOT).equals("basic") ? "Basic" : "Bearer";
        return s.equals("Basic") ? "Basic realm=\"osgimon\", charset=\"UTF-8\"" : "Bearer realm=\"osgimon\"";
    }

    /** @return {@code none} or the scheme with the credentials masked, e.g. {@code Bearer ********} */
    @Override
    public String toString() {
        return expected == null ? "none" : scheme + " ********";
    }
}
