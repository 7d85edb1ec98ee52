package io.nexusmonitor.cli;

import picocli.CommandLine.Option;

/** {@code --api URL} and {@code --token T}: which running instance a {@code backends} command talks to. */
final class ApiOptions {
    static final String DEFAULT_API = "http://127.0.0.1:8000";

    @Option(names = "--api", paramLabel = "URL", defaultValue = DEFAULT_API,
            description = "Address of the running instance (default: ${DEFAULT-VALUE}).")
    String api = DEFAULT_API;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:NEXUS_API_TOKEN}",
            description = "Bearer token for changes when the instance is not bound to loopback "
                    + "([server].api_token; default: $NEXUS_API_TOKEN).")
    String token;

    ApiClient client() {
        return new ApiClient(api, token);
    }
}
