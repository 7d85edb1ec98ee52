package io.nexusmonitor.registry;

import java.util.Objects;

/**
 * What a monitor of another site published about a backend through etcd ({@code [federation]}).
 *
 * @param site            the publishing monitor's site name
 * @param key             the etcd key it is published under ({@code /nexus-monitor/backends/lab/3f2a...})
 * @param publishedStatus the status that monitor's own health checks gave it
 * @param inFlight        requests that monitor's gateway had in flight to it when it last wrote
 */
public record RemoteInfo(String site, String key, BackendStatus publishedStatus, long inFlight) {
    public RemoteInfo {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(publishedStatus, "publishedStatus");
    }
}
