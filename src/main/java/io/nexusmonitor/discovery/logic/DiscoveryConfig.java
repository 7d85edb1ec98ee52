package io.nexusmonitor.discovery.logic;

import io.nexusmonitor.config.ServiceTypes;

import io.nexusmonitor.config.NexusConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What discovery needs from {@code [discovery]}, checked and in the shape the rules use: service
 * types with their trailing dot, the grace period as a {@link Duration}, subnets parsed.
 *
 * @param interfaces    names or addresses to browse on; empty = every up, multicast-capable, non-loopback one
 * @param allowLoopback {@code allow_loopback}: announced loopback addresses are used (single-host setups, tests)
 */
public record DiscoveryConfig(boolean enabled, List<String> serviceTypes, Duration gracePeriod, List<String> interfaces,
                              SubnetFilter allowSubnets, boolean requireApproval, boolean allowLoopback) {

    public DiscoveryConfig {
        serviceTypes = List.copyOf(serviceTypes);
        interfaces = List.copyOf(interfaces);
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(allowSubnets, "allowSubnets");
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("grace period must not be negative, got " + gracePeriod);
        }
    }

    /** With {@code allow_loopback = false}, the default. */
    public DiscoveryConfig(boolean enabled, List<String> serviceTypes, Duration gracePeriod, List<String> interfaces,
                           SubnetFilter allowSubnets, boolean requireApproval) {
        this(enabled, serviceTypes, gracePeriod, interfaces, allowSubnets, requireApproval, false);
    }

    /** The rule for which addresses may become a backend's URL, knowing nothing of this machine's interfaces. */
    public AddressPolicy addressPolicy() {
        return addressPolicy(LocalNetwork.NONE);
    }

    /** The same rule, with this machine's own addresses counted as loopback and its broadcasts refused. */
    public AddressPolicy addressPolicy(LocalNetwork local) {
        return new AddressPolicy(allowSubnets, allowLoopback, local);
    }

    public static DiscoveryConfig defaults() {
        return from(NexusConfig.Discovery.defaults());
    }

    /** @throws IllegalArgumentException naming the first bad service type or subnet */
    public static DiscoveryConfig from(NexusConfig.Discovery d) {
        List<String> types = new ArrayList<>();
        for (String t : d.serviceTypes()) {
            String normal = normalizeServiceType(t);
            if (!types.contains(normal)) {
                types.add(normal);
            }
        }
        return new DiscoveryConfig(d.enabled(), types, Duration.ofSeconds(d.gracePeriodSeconds()), d.interfaces(),
                SubnetFilter.parse(d.allowSubnets()), d.requireApproval(), d.allowLoopback());
    }

    /**
     * {@code _ollama._tcp.local} and {@code _Ollama._TCP.local.} both become {@code _ollama._tcp.local.}.
     *
     * @throws IllegalArgumentException for anything that is not a DNS-SD service type in {@code .local}
     */
    public static String normalizeServiceType(String raw) {
        return ServiceTypes.normalize(raw);
    }

    public DiscoveryConfig withGracePeriod(Duration g) {
        return new DiscoveryConfig(enabled, serviceTypes, g, interfaces, allowSubnets, requireApproval, allowLoopback);
    }

    public DiscoveryConfig withAllowSubnets(SubnetFilter f) {
        return new DiscoveryConfig(enabled, serviceTypes, gracePeriod, interfaces, f, requireApproval, allowLoopback);
    }

    public DiscoveryConfig withRequireApproval(boolean r) {
        return new DiscoveryConfig(enabled, serviceTypes, gracePeriod, interfaces, allowSubnets, r, allowLoopback);
    }

    public DiscoveryConfig withAllowLoopback(boolean a) {
        return new DiscoveryConfig(enabled, serviceTypes, gracePeriod, interfaces, allowSubnets, requireApproval, a);
    }
}
