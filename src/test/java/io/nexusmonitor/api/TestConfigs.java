package io.nexusmonitor.api;

import io.nexusmonitor.config.NexusConfig;
import java.util.List;

/** Configs for API tests: a free port, and no health checks or discovery changing the backends a test set up. */
public final class TestConfigs {
    private TestConfigs() {}

    public static NexusConfig quiet() {
        NexusConfig d = NexusConfig.defaults();
        return d.withServer(d.server().withPort(0))
                .withHealthCheck(d.healthCheck().withEnabled(false))
                .withDiscovery(d.discovery().withEnabled(false));
    }

    /** {@link #quiet()} with these backends as if read from the config file. */
    public static NexusConfig quiet(NexusConfig.StaticBackend... backends) {
        NexusConfig q = quiet();
        return new NexusConfig(
                q.server(),
                q.discovery(),
                q.healthCheck(),
                q.routing(),
                q.notifications(),
                q.logging(),
                List.of(backends),
                q.source());
    }
}
