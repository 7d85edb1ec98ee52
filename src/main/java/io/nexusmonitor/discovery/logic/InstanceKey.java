package io.nexusmonitor.discovery.logic;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which DNS-SD service instance an mDNS record, event or backend is about: its service type and
 * its (still escaped) instance label, normalised once so that every spelling of one instance is
 * one key. The rules live here and nowhere else: DNS names compare without case (RFC 6762 §16), so
 * both parts are lower case; a name is the same with or without its final dot, so the type always
 * ends in one and the label never does.
 *
 * @param serviceType {@code _ollama._tcp.local.}
 * @param label       {@code gpu\032box}: the instance label, escapes kept (an escaped dot is not a separator)
 */
public record InstanceKey(String serviceType, String label) {

    /**
     * The key of a full instance name ({@code GPU\032Box._ollama._tcp.local}, with or without the
     * final dot) of this service type. A name that does not end in the type is kept whole as the
     * label, so it still has exactly one key.
     */
    public static InstanceKey of(String instance, @Nullable String serviceType) {
        String type = serviceType == null ? "" : withDot(serviceType).toLowerCase(Locale.ROOT);
        String label = InstanceNames.instanceLabel(instance, type).toLowerCase(Locale.ROOT);
        return new InstanceKey(type, label);
    }

    /**
     * The key of a full instance name that ends in one of these service types; empty for a name
     * of another type (a record a browser sees but did not ask for).
     */
    public static Optional<InstanceKey> ofAnyType(String instance, List<String> serviceTypes) {
        String name = withDot(instance).toLowerCase(Locale.ROOT);
        for (String type : serviceTypes) {
            if (name.endsWith("." + withDot(type).toLowerCase(Locale.ROOT))) {
                return Optional.of(of(instance, type));
            }
        }
        return Optional.empty();
    }

    /** The key of a found or removed service. */
    public static InstanceKey of(DiscoveryEvent e) {
        return of(e.instance(), e.serviceType());
    }

    /** {@code gpu\032box._ollama._tcp.local.}: the normalised full name, for logs and log-once keys. */
    @Override
    public String toString() {
        return serviceType.isEmpty() ? label + "." : label + "." + serviceType;
    }

    private static String withDot(String s) {
        return s.isEmpty() || s.endsWith(".") ? s : s + ".";
    }
}
