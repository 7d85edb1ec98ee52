package io.nexusmonitor.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule for a DNS-SD service type, used by the config loader ({@code config check}) and by
 * discovery, so that a file {@code config check} accepts is one the engine can browse:
 * {@code _name._tcp.local.} with an RFC 6335 service name of 1-15 letters, digits and hyphens
 * (not starting or ending with a hyphen), over TCP or UDP, in {@code .local}. Case and the trailing
 * dot do not matter; the normal form is lower case with the dot, as JmDNS writes it.
 */
public final class ServiceTypes {
    private static final Pattern NORMAL =
            Pattern.compile("_[a-z0-9](?:[a-z0-9-]{0,13}[a-z0-9])?\\._(tcp|udp)\\.local\\.");

    private ServiceTypes() {}

    /**
     * {@code _ollama._tcp.local} and {@code _Ollama._TCP.local.} both become {@code _ollama._tcp.local.}.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static String normalize(String raw) {
        String given = raw == null ? "" : raw;
        String s = given.trim().toLowerCase(Locale.ROOT);
        if (!s.endsWith(".")) {
            s = s + ".";
        }
        if (NORMAL.matcher(s).matches()) {
            return s;
        }
        int dot = s.indexOf('.');
        if (s.startsWith("_") && dot > 16) {
            throw new IllegalArgumentException("expected a DNS-SD service type like \"_ollama._tcp.local\" whose "
                    + "service name has at most 15 characters (RFC 6335), found \"" + given + "\" ("
                    + (dot - 1) + " characters)");
        }
        throw new IllegalArgumentException(
                "expected a DNS-SD service type like \"_ollama._tcp.local\", found \"" + given + "\"");
    }
}
