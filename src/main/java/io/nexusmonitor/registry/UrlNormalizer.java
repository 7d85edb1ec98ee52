package io.nexusmonitor.registry;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Turns the many spellings of a backend URL into one, so that one URL means one backend:
 * {@code HTTP://GPU-Box:80/} and {@code http://gpu-box} are the same server.
 *
 * <p>Rules: scheme and host lower-case; {@code http} when no scheme is given; the scheme's default
 * port dropped; IPv6 literals in brackets in their RFC 5952 short form, a zone kept; duplicate and
 * trailing slashes removed from the path; no user info, query or fragment.
 */
public final class UrlNormalizer {
    private UrlNormalizer() {}

    /** @throws IllegalArgumentException with a sentence saying what is wrong */
    public static String normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("URL is empty");
        }
        String s = raw.trim();
        if (!s.contains("://")) {
            s = "http://" + s;
        }
        String afterScheme = s.substring(s.indexOf("://") + 3);
        if (afterScheme.isEmpty() || afterScheme.startsWith("/")) {
            throw new IllegalArgumentException("URL has no host: " + raw);
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + raw + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("URL must start with http:// or https://: " + raw);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("URL has no host: " + raw);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("URL must not contain a user name or password: " + raw);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("URL must not have a query or fragment: " + raw);
        }
        host = normalizeHost(host);
        int port = uri.getPort();
        if ((scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443)) {
            port = -1;
        }
        if (port == 0 || port > 65535) {
            throw new IllegalArgumentException("URL has an invalid port: " + raw);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/{2,}", "/");
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        StringBuilder out = new StringBuilder(scheme).append("://").append(host);
        if (port > 0) {
            out.append(':').append(port);
        }
        return out.append(path).toString();
    }

    private static String normalizeHost(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            return "[" + ipv6(host.substring(1, host.length() - 1)) + "]";
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** RFC 5952 text of an IPv6 literal: lower case, leading zeros gone, the longest zero run as {@code ::}. */
    static String ipv6(String literal) {
        String zone = "";
        int pct = literal.indexOf('%');
        String addr = literal;
        if (pct >= 0) {
            zone = literal.substring(pct);
            if (zone.startsWith("%25")) {
                zone = "%" + zone.substring(3);
            }
            addr = literal.substring(0, pct);
        }
        byte[] b;
        try {
            b = InetAddress.getByName("[" + addr + "]").getAddress(); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a valid IPv6 address: " + literal);
        }
        if (b.length != 16) {
            return addr.toLowerCase(Locale.ROOT) + zone;
        }
        return compress(b) + zone;
    }

    /** RFC 5952 short form of 16 address bytes. */
    public static String compress(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
