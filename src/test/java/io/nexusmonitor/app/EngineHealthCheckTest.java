package io.nexusmonitor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.discovery.logic.DiscoveryEvent;
import io.nexusmonitor.discovery.logic.RemovalReason;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.testing.FakeBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine starts health checks with the config's settings, and leaves them off when told to. */
class EngineHealthCheckTest {
    @TempDir
    Path stateDir;

    private NexusConfig config(FakeBackend fake, boolean enabled) {
        NexusConfig.StaticBackend s =
                new NexusConfig.StaticBackend("local", fake.url(), BackendType.OLLAMA, 1, "nexus.toml:3");
        NexusConfig c = NexusConfig.defaults()
                .withHealthCheck(NexusConfig.HealthCheck.defaults().withEnabled(enabled));
        // discovery off: tests never open mDNS on the machine's interfaces (network safety)
        return new NexusConfig(
                c.server(),
                c.discovery().withEnabled(false),
                c.healthCheck(),
                c.routing(),
                c.notifications(),
                c.logging(),
                List.of(s),
                null);
    }

    @Test
    void staticAndManualBackendsBecomeHealthyWhenHealthChecksAreOn() {
        try (FakeBackend ollama = FakeBackend.ollama().models("llama3:8b");
                FakeBackend vllm = FakeBackend.vllm().models("mistral");
                NexusEngine engine = new NexusEngine(config(ollama, true), new EngineOptions(stateDir, false))) {
            engine.start();
            Backend manual = engine.addManual(vllm.url(), "gpu", BackendType.VLLM, null);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> engine.registry().all().stream().allMatch(b -> b.status() == BackendStatus.HEALTHY));
            assertThat(engine.registry().modelIds()).containsExactlyInAnyOrder("llama3:8b", "mistral");

            vllm.models("mistral", "qwen");
            engine.checkNow(manual.id());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> engine.registry().modelIds().contains("qwen"));
            ollama.models("phi3");
            engine.checkAll();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> engine.registry().modelIds().contains("phi3"));
        }
    }

    @Test
    void backendsStayUnknownWhenHealthChecksAreOff() {
        try (FakeBackend ollama = FakeBackend.ollama().models("llama3:8b");
                NexusEngine engine = new NexusEngine(config(ollama, false), new EngineOptions(stateDir, false))) {
            engine.start();
            Backend b = engine.registry().all().get(0);
            engine.checkNow(b.id());
            engine.checkAll();
            // nothing may reach the server: wait until a check would long have happened, then look
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> engine.registry().get(b.id()).orElseThrow().status() == BackendStatus.UNKNOWN);
            assertThat(ollama.requests()).isEmpty();
        }
    }

    @Test
    void everyCheckIsCountedInTheMetricsByResult() {
        try (FakeBackend ollama = FakeBackend.ollama().models("llama3:8b");
                NexusEngine engine = new NexusEngine(config(ollama, true), new EngineOptions(stateDir, false))) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> metricsText(engine).contains("nexus_health_checks_total{result=\"ok\"} 1"));

            ollama.fail(500);
            engine.checkAll();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> metricsText(engine).contains("nexus_health_checks_total{result=\"failed\"} 1"));
        }
    }

    @Test
    void discoveryEventsAreLabelledFoundGoodbyeOrExpired() {
        var found = new DiscoveryEvent.Found(
                "a._llm._tcp.local.",
                "_llm._tcp.local.",
                "a.local.",
                List.of(InetAddress.getLoopbackAddress()),
                8000,
                Map.of());
        assertThat(NexusEngine.discoveryKindLabel(found)).isEqualTo("found");
        // the label values are the README's (nexus_discovery_events_total{kind=...}), written out here
        assertThat(NexusEngine.discoveryKindLabel(
                        new DiscoveryEvent.Removed("a._llm._tcp.local.", "_llm._tcp.local.", RemovalReason.GOODBYE)))
                .isEqualTo("goodbye");
        assertThat(NexusEngine.discoveryKindLabel(
                        new DiscoveryEvent.Removed("a._llm._tcp.local.", "_llm._tcp.local.", RemovalReason.EXPIRED)))
                .isEqualTo("expired");
        assertThat(RemovalReason.values())
                .as("a new reason needs its label checked here")
                .hasSize(2);
    }

    private static String metricsText(NexusEngine engine) throws IOException {
        var out = new ByteArrayOutputStream();
        engine.metrics().writeText(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
