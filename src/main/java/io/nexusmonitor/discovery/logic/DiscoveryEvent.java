package io.nexusmonitor.discovery.logic;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the mDNS adapter tells the rules: a service was found (resolved, with its records) or
 * removed. Plain data, no JmDNS types, so every rule is tested with events made by hand.
 */
public sealed interface DiscoveryEvent {

    /** Full instance name, {@code gpu-box._ollama._tcp.local.}; with the type, its {@link InstanceKey} ties found and removed together. */
    String instance();

    /** {@code _ollama._tcp.local.} */
    String serviceType();

    /**
     * A resolved service.
     *
     * @param host      target host from the SRV record, {@code gpu-box.local.}
     * @param addresses every A/AAAA address announced for the host, in announcement order
     * @param txt       TXT keys (lower-case) and values, in announcement order
     */
    record Found(
            String instance,
            String serviceType,
            String host,
            List<InetAddress> addresses,
            int port,
            Map<String, String> txt)
            implements DiscoveryEvent {
        public Found {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(serviceType, "serviceType");
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
            txt = txt == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(txt));
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        @Override
        public String toString() {
            return "found " + instance + " at " + host + ":" + port + " " + addresses + " txt=" + txt;
        }
    }

    /** The service said goodbye or expired. */
    record Removed(String instance, String serviceType, RemovalReason reason) implements DiscoveryEvent {
        public Removed {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(serviceType, "serviceType");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return "removed " + instance + " (" + reason.wire() + ")";
        }
    }
}
