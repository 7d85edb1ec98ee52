package io.nexusmonitor.api;

import io.nexusmonitor.config.NexusConfig;

/** Configs for API tests: a free port, and no health checks or discovery changing the backends a test set up. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static NexusConfig quiet() {
        NexusConfig d = NexusConfig.defaults();
        return d.withServer(d.server().withPort(0)).withHealthCheck(d.healthCheck().withEnabled(false))
                .withDiscovery(d.discovery().withEnabled(false));
    }
}
