package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.BackendType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine serves its registry over HTTP: a static backend from the config is listed by the API. */
class EngineApiTest {
    @TempDir
    Path stateDir;

    @Test
    void engineServesStaticBackendsOverHttp() {
        NexusConfig config = TestConfigs.quiet(new NexusConfig.StaticBackend(
                "local-ollama", "http://localhost:11434", BackendType.OLLAMA, 1, "nexus.toml:40"));
        try (NexusEngine engine = new NexusEngine(config, new EngineOptions(stateDir, true))) {
            engine.start();
            String address = engine.status().apiAddress();
            assertThat(address).startsWith("http://127.0.0.1:");

            JsonNode backends = Http.json(Http.get(address + "/api/backends")).path("backends");

            assertThat(backends).hasSize(1);
            assertThat(backends.get(0).path("name").asText()).isEqualTo("local-ollama");
            assertThat(backends.get(0).path("source").asText()).isEqualTo("static");
            assertThat(backends.get(0).path("pinned").asBoolean()).isTrue();
        }
    }

    @Test
    void noApiOptionServesNothing() {
        // discovery off: tests never open mDNS on the machine's interfaces (network safety)
        NexusConfig config =
                NexusConfig.defaults().withServer(NexusConfig.Server.defaults().withPort(0));
        config = config.withDiscovery(config.discovery().withEnabled(false));
        try (NexusEngine engine = new NexusEngine(config, new EngineOptions(stateDir, false))) {
            engine.start();
            assertThat(engine.status().apiAddress()).isNull();
        }
    }
}
