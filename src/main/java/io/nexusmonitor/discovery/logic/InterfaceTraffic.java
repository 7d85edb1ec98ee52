package io.nexusmonitor.discovery.logic;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What mDNS discovery has heard on one browsed interface address, for "Check the network": any
 * mDNS answer at all (of any service type, from any host) shows the multicast path works.
 *
 * @param label     the interface address browsed, {@code eth0 192.168.1.5}
 * @param records   DNS records heard and still cached now (every type, every host)
 * @param lastHeard when the newest of them arrived; null when nothing was heard since browsing began
 * @param services  instances of the browsed service types among them
 */
public record InterfaceTraffic(
        String label, int records, @Nullable Instant lastHeard, int services) {}
