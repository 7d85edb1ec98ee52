package io.nexusmonitor.api;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.state.ApiTokenFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * What the server needs from the config, plus limits that tests turn down.
 *
 * @param host           bind address ({@code 127.0.0.1} by default)
 * @param port           0 picks a free port
 * @param requestTimeout how long one proxied request may take, streaming included
 * @param apiToken       the bearer token changes (and guarded reads) need: {@code [server].api_token}, else
 *                       the state dir's {@code api-token} file; null when neither exists (changes are then refused)
 * @param maxBodyBytes   gateway request bodies above this are refused with 413
 * @param heartbeat      how often {@code /api/events} sends a keep-alive comment
 * @param eventBuffer    how many events one {@code /api/events} client may lag behind before it gets a resync
 * @param door           the front door's rules (hosts, origins, read guard, caps)
 */
public record ApiSettings(
        String host,
        int port,
        Duration requestTimeout,
        @Nullable String apiToken,
        long maxBodyBytes,
        Duration heartbeat,
        int eventBuffer,
        Door door) {
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    public static final int DEFAULT_EVENT_BUFFER = 1024;

    /**
     * The front door's rules ({@code [server]} keys of the same names).
     *
     * @param allowedHosts     Host names accepted besides loopback and the bind address
     * @param allowedOrigins   browser origins allowed besides the server's own
     * @param guardReads       reads need the token too; null = only when the bind is not loopback
     * @param readTimeout      how long a request's headers or body may stall
     * @param maxConnections   open connections at most
     * @param maxBufferedBytes request body bytes held at once across all requests
     */
    public record Door(
            List<String> allowedHosts,
            List<String> allowedOrigins,
            @Nullable Boolean guardReads,
            Duration readTimeout,
            int maxConnections,
            long maxBufferedBytes) {
        public Door {
            allowedHosts = List.copyOf(allowedHosts);
            allowedOrigins = List.copyOf(allowedOrigins);
        }

        static Door from(NexusConfig.Server s) {
            return new Door(
                    s.allowedHosts(),
                    s.allowedOrigins(),
                    s.guardReads(),
                    Duration.ofSeconds(s.readTimeoutSeconds()),
                    s.maxConnections(),
                    s.maxBufferedRequestMb() * 1024L * 1024L);
        }

        public Door withAllowedHosts(List<String> h) {
            return new Door(h, allowedOrigins, guardReads, readTimeout, maxConnections, maxBufferedBytes);
        }

        public Door withAllowedOrigins(List<String> o) {
            return new Door(allowedHosts, o, guardReads, readTimeout, maxConnections, maxBufferedBytes);
        }

        public Door withGuardReads(Boolean g) {
            return new Door(allowedHosts, allowedOrigins, g, readTimeout, maxConnections, maxBufferedBytes);
        }

        public Door withReadTimeout(Duration d) {
            return new Door(allowedHosts, allowedOrigins, guardReads, d, maxConnections, maxBufferedBytes);
        }

        public Door withMaxConnections(int n) {
            return new Door(allowedHosts, allowedOrigins, guardReads, readTimeout, n, maxBufferedBytes);
        }

        public Door withMaxBufferedBytes(long n) {
            return new Door(allowedHosts, allowedOrigins, guardReads, readTimeout, maxConnections, n);
        }
    }

    /** From the config alone: the token only when {@code [server].api_token} is set. */
    public static ApiSettings from(NexusConfig.Server server) {
        String token = server.apiToken() == null || server.apiToken().isBlank() ? null : server.apiToken();
        return new ApiSettings(
                server.host(),
                server.port(),
                Duration.ofSeconds(server.requestTimeoutSeconds()),
                token,
                DEFAULT_MAX_BODY_BYTES,
                DEFAULT_HEARTBEAT,
                DEFAULT_EVENT_BUFFER,
                Door.from(server));
    }

    /**
     * As the engine serves it: {@code [server].api_token} when set, else the token in
     * {@code <stateDir>/api-token}, created now if there is none. When that file can be neither
     * read nor written the server still starts, refusing changes (a warning says why).
     */
    public static ApiSettings from(NexusConfig.Server server, Path stateDir) {
        ApiSettings s = from(server);
        if (s.apiToken() != null) {
            return s;
        }
        try {
            String token = ApiTokenFile.readOrCreate(stateDir);
            LoggerFactory.getLogger(ApiSettings.class)
                    .info(
                            "changes through the HTTP API need 'Authorization: Bearer "
                                    + "<token>' with the token in {} (the nexus-monitor CLI reads it)",
                            ApiTokenFile.path(stateDir));
            return s.withApiToken(token);
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(ApiSettings.class)
                    .warn(
                            "cannot read or create the API token file {} ({}): changes "
                                    + "through the HTTP API are refused until it can be written or [server].api_token is set",
                            ApiTokenFile.path(stateDir),
                            e.getMessage());
            return s;
        }
    }

    public ApiSettings withHeartbeat(Duration d) {
        return new ApiSettings(host, port, requestTimeout, apiToken, maxBodyBytes, d, eventBuffer, door);
    }

    public ApiSettings withRequestTimeout(Duration d) {
        return new ApiSettings(host, port, d, apiToken, maxBodyBytes, heartbeat, eventBuffer, door);
    }

    public ApiSettings withMaxBodyBytes(long n) {
        return new ApiSettings(host, port, requestTimeout, apiToken, n, heartbeat, eventBuffer, door);
    }

    public ApiSettings withEventBuffer(int n) {
        return new ApiSettings(host, port, requestTimeout, apiToken, maxBodyBytes, heartbeat, n, door);
    }

    public ApiSettings withHost(String h) {
        return new ApiSettings(h, port, requestTimeout, apiToken, maxBodyBytes, heartbeat, eventBuffer, door);
    }

    public ApiSettings withApiToken(String t) {
        return new ApiSettings(host, port, requestTimeout, t, maxBodyBytes, heartbeat, eventBuffer, door);
    }

    public ApiSettings withDoor(Door d) {
        return new ApiSettings(host, port, requestTimeout, apiToken, maxBodyBytes, heartbeat, eventBuffer, d);
    }
}
