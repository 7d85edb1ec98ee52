package io.nexusmonitor.cli;

import io.nexusmonitor.state.ApiTokenFile;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --api URL}, {@code --token T} and {@code --state-dir DIR}: which running instance a
 * {@code backends} command talks to, and how it proves it may change it. Without {@code --token}
 * (or {@code $NEXUS_API_TOKEN}) the token is read from the instance's state dir, the file the
 * engine wrote ({@link ApiTokenFile}); that local secret is only sent to a loopback {@code --api}.
 */
final class ApiOptions {
    static final String DEFAULT_API = "http://127.0.0.1:8000";

    @Option(
            names = "--api",
            paramLabel = "URL",
            defaultValue = DEFAULT_API,
            description = "Address of the running instance (default: ${DEFAULT-VALUE}).")
    String api = DEFAULT_API;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            defaultValue = "${env:NEXUS_API_TOKEN}",
            description = "Bearer token ([server].api_token, or the instance's api-token file; default: "
                    + "$NEXUS_API_TOKEN, else the api-token file in --state-dir when --api is loopback).")
    @Nullable
    String token;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "State dir of the running instance, where its api-token file is "
                    + "(default: $XDG_DATA_HOME/nexus-monitor, as for nexus-monitor itself).")
    @Nullable
    Path stateDir;

    Locations locations = Locations.system();

    ApiClient client() {
        return new ApiClient(api, effectiveToken());
    }

    /** {@code --token} / {@code $NEXUS_API_TOKEN}, else the state dir's token file for a loopback {@code --api}. */
    @Nullable
    String effectiveToken() {
        if (token != null && !token.isBlank()) {
            return token;
        }
        if (!isLoopback(api)) {
            return null;
        }
        return ApiTokenFile.read(stateDir != null ? stateDir : locations.defaultStateDir())
                .orElse(null);
    }

    /** Whether the URL's host is loopback by its literal or {@code localhost} (no DNS lookup for other names). */
    static boolean isLoopback(String url) {
        String host;
        try {
            host = URI.create(url.trim()).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.contains(":") && !h.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
