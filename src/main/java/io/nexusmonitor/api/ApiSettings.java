package io.nexusmonitor.api;

import io.nexusmonitor.config.NexusConfig;
import java.time.Duration;

/**
 * What the server needs from the config, plus limits that tests turn down.
 *
 * @param host           bind address ({@code 127.0.0.1} by default)
 * @param port           0 picks a free port
 * @param requestTimeout how long one proxied request may take, streaming included
 * @param apiToken       the bearer token mutations need on a non-loopback bind; null when unset
 * @param maxBodyBytes   gateway request bodies above this are refused with 413
 * @param heartbeat      how often {@code /api/events} sends a keep-alive comment
 * @param eventBuffer    how many events one {@code /api/events} client may lag behind before it gets a resync
 */
public record ApiSettings(String host, int port, Duration requestTimeout, String apiToken, long maxBodyBytes,
                          Duration heartbeat, int eventBuffer) {
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    public static final int DEFAULT_EVENT_BUFFER = 1024;

    public static ApiSettings from(NexusConfig.Server server) {
        String token = server.apiToken() == null || server.apiToken().isBlank() ? null : server.apiToken();
        return new ApiSettings(server.host(), server.port(), Duration.ofSeconds(server.requestTimeoutSeconds()), token,
                DEFAULT_MAX_BODY_BYTES, DEFAULT_HEARTBEAT, DEFAULT_EVENT_BUFFER);
    }

    public ApiSettings withHeartbeat(Duration d) {
        return new ApiSettings(host, port, requestTimeout, apiToken, maxBodyBytes, d, eventBuffer);
    }

    public ApiSettings withRequestTimeout(Duration d) {
        return new ApiSettings(host, port, d, apiToken, maxBodyBytes, heartbeat, eventBuffer);
    }

    public ApiSettings withMaxBodyBytes(long n) {
        return new ApiSettings(host, port, requestTimeout, apiToken, n, heartbeat, eventBuffer);
    }

    public ApiSettings withEventBuffer(int n) {
        return new ApiSettings(host, port, requestTimeout, apiToken, maxBodyBytes, heartbeat, n);
    }

    public ApiSettings withHost(String h) {
        return new ApiSettings(h, port, requestTimeout, apiToken, maxBodyBytes, heartbeat, eventBuffer);
    }

    public ApiSettings withApiToken(String t) {
        return new ApiSettings(host, port, requestTimeout, t, maxBodyBytes, heartbeat, eventBuffer);
    }
}
