package io.nexusmonitor.discovery.logic;

import io.nexusmonitor.config.NexusConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What discovery needs from {@code [discovery]}, in the shape the rules use. A view: the config
 * loader checked every value already (service types normalised, subnets parsed, the grace period
 * not negative), so making one from a loaded config cannot fail.
 *
 * @param interfaces    names or addresses to browse on; empty = every up, multicast-capable, non-loopback one
 * @param allowLoopback {@code allow_loopback}: announced loopback addresses are used (single-host setups, tests)
 */
public record DiscoveryConfig(
        boolean enabled,
        List<String> serviceTypes,
        Duration gracePeriod,
        List<String> interfaces,
        SubnetFilter allowSubnets,
        boolean requireApproval,
        boolean allowLoopback) {

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
    public DiscoveryConfig(
            boolean enabled,
            List<String> serviceTypes,
            Duration gracePeriod,
            List<String> interfaces,
            SubnetFilter allowSubnets,
            boolean requireApproval) {
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

    /** The view of a loaded {@code [discovery]}. */
    public static DiscoveryConfig from(NexusConfig.Discovery d) {
        return new DiscoveryConfig(
                d.enabled(),
                d.serviceTypes(),
                d.gracePeriod(),
                d.interfaces(),
                SubnetFilter.of(d.allowSubnets()),
                d.requireApproval(),
                d.allowLoopback());
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
