package io.nexusmonitor.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a {@code Host} header value and a browser {@code Origin} are compared: the one normal form
 * that {@code [server] allowed_hosts} / {@code allowed_origins} are checked in when the config is
 * read and that the HTTP front door compares requests against. Host names are lower case, IPv6
 * literals in brackets ({@code [::1]}), a port only when one was written, and an origin's default
 * port (80 for http, 443 for https) dropped: {@code HTTP://LocalHost:80} is {@code http://localhost}.
 */
public final class HostNames {
    /** A DNS name or IPv4 literal: letters, digits, dots, hyphens, underscores. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?");

    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+(%[a-z0-9_.-]+)?");

    private HostNames() {}

    /**
     * A {@code host} or {@code host:port} as it appears in a Host header.
     *
     * @param host lower case, IPv6 in brackets
     * @param port -1 when none was given
     */
    public record Authority(String host, int port) {
        @Override
        public String toString() {
            return port < 0 ? host : host + ":" + port;
        }
    }

    /** Parses {@code name}, {@code name:port}, {@code 1.2.3.4}, {@code [::1]:8000}; a bare {@code ::1} is bracketed. */
    public static Optional<Authority> authority(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String host;
        String portText = null;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0
                    || !IPV6.matcher(v.substring(1, end)).matches()
                    || !v.substring(1, end).contains(":")) {
                return Optional.empty();
            }
            host = v.substring(0, end + 1);
            String rest = v.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return Optional.empty();
                }
                portText = rest.substring(1);
            }
        } else if (v.indexOf(':') != v.lastIndexOf(':')) {
            // more than one colon and no brackets: a bare IPv6 literal (config only; never valid in a Host header)
            if (!IPV6.matcher(v).matches()) {
                return Optional.empty();
            }
            host = "[" + v + "]";
        } else {
            int colon = v.indexOf(':');
            host = colon < 0 ? v : v.substring(0, colon);
            portText = colon < 0 ? null : v.substring(colon + 1);
            if (!NAME.matcher(host).matches()) {
                return Optional.empty();
            }
        }
        int port = -1;
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            port = Integer.parseInt(portText);
            if (port > 65535) {
                return Optional.empty();
            }
        }
        return Optional.of(new Authority(host, port));
    }

    /**
     * {@code scheme://host[:port]} in normal form, or empty when the value is not an http(s)
     * origin (a path, user info, another scheme, or the opaque {@code null} origin).
     */
    public static Optional<String> origin(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        int sep = v.indexOf("://");
        if (sep < 0) {
            return Optional.empty();
        }
        String scheme = v.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.empty();
        }
        String rest = v.substring(sep + 3);
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.contains("/") || rest.contains("@") || rest.contains("?") || rest.contains("#")) {
            return Optional.empty();
        }
        return authority(rest).map(a -> {
            int defaultPort = scheme.equals("http") ? 80 : 443;
            return scheme + "://" + (a.port() == defaultPort ? a.host() : a.toString());
        });
    }
}
