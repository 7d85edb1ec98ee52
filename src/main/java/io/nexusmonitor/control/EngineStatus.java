package io.nexusmonitor.control;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of what is running, for the status bar and {@code GET /health}.
 *
 * @param discovery        {@code off}, {@code paused}, {@code running}, {@code unavailable: <why>}
 * @param interfaces       the interfaces mDNS listens on, as shown to users ({@code eth0 192.168.1.5})
 * @param apiAddress       {@code http://127.0.0.1:8000}, null when the API is off
 * @param healthChecks     true when the health checker runs
 * @param queued           requests waiting in the gateway's queue now
 * @param federation       where {@code [federation]} stands, null without it
 */
public record EngineStatus(
        String version,
        @Nullable Instant startedAt,
        String discovery,
        List<String> interfaces,
        @Nullable String apiAddress,
        boolean healthChecks,
        int queued,
        @Nullable FederationStatus federation) {
    public EngineStatus {
        interfaces = List.copyOf(interfaces);
    }

    public EngineStatus(
            String version,
            @Nullable Instant startedAt,
            String discovery,
            List<String> interfaces,
            @Nullable String apiAddress,
            boolean healthChecks,
            int queued) {
        this(version, startedAt, discovery, interfaces, apiAddress, healthChecks, queued, null);
    }

    public EngineStatus(
            String version,
            Instant startedAt,
            String discovery,
            List<String> interfaces,
            String apiAddress,
            boolean healthChecks) {
        this(version, startedAt, discovery, interfaces, apiAddress, healthChecks, 0);
    }
}
