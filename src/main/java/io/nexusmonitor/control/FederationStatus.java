package io.nexusmonitor.control;

import org.jspecify.annotations.Nullable;

/**
 * Where {@code [federation]} stands, for {@code GET /health}, the status bar and {@code /metrics}.
 *
 * @param state          {@code connecting}, {@code connected} or {@code unreachable}
 * @param text           one line for people: {@code connected to 3 etcd endpoints, 2 other sites, 7 remote backends}
 * @param site           this monitor's site
 * @param etcdEndpoints  members of the etcd cluster (as it reported them at the last connect)
 * @param otherSites     sites other than this one that publish backends now
 * @param remoteBackends backends another site publishes now
 * @param published      keys this monitor has written
 * @param conflict       why this monitor publishes nothing (another monitor holds its site), else null
 */
public record FederationStatus(
        String state,
        String text,
        String site,
        int etcdEndpoints,
        int otherSites,
        int remoteBackends,
        int published,
        @Nullable String conflict,
        long writes,
        long events,
        long reconnects) {}
