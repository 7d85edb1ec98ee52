package io.nexusmonitor.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What mDNS / DNS-SD said about a backend.
 *
 * @param instance    full instance name, {@code gpu-box._ollama._tcp.local.}
 * @param serviceType {@code _ollama._tcp.local.}
 * @param host        target host name, {@code gpu-box.local.}
 * @param addresses   every address announced, IPv4 first; link-local IPv6 with its zone
 * @param txt         every TXT key and value, in announcement order
 */
public record MdnsInfo(
        String instance,
        @Nullable String serviceType,
        @Nullable String host,
        List<String> addresses,
        Map<String, String> txt,
        @Nullable Instant firstSeen,
        @Nullable Instant lastSeen) {
    public MdnsInfo {
        Objects.requireNonNull(instance, "instance");
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        txt = txt == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(txt));
    }
}
