package io.nexusmonitor.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.discovery.logic.DiscoveryEventHandler;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.RegistryEvent;
import io.nexusmonitor.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 6 with real mDNS packets on 127.0.0.1: an announcement pointing at loopback (here
 * the responder's own 127.0.0.1) is dropped unless {@code [discovery] allow_loopback = true}.
 */
class LoopbackAnnouncementTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path stateDir;

    private NexusEngine engine;
    private LoopbackResponder responder;
    private LogCapture logs;
    private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        responder = new LoopbackResponder();
        logs = LogCapture.of(DiscoveryEventHandler.class);
    }

    @AfterEach
    void stop() throws Exception {
        responder.close();
        if (engine != null) {
            engine.close();
        }
        logs.close();
    }

    private void startEngine(boolean allowLoopback) {
        NexusConfig base = NexusConfig.defaults();
        NexusConfig.Discovery d = new NexusConfig.Discovery(
                true,
                List.of("_ollama._tcp.local."),
                java.time.Duration.ofSeconds(60),
                List.of("127.0.0.1"),
                List.of(),
                false,
                allowLoopback);
        NexusConfig config =
                base.withDiscovery(d).withHealthCheck(base.healthCheck().withEnabled(false));
        engine = new NexusEngine(config, new EngineOptions(stateDir, false));
        engine.registry().subscribe(events::add);
        engine.start();
    }

    @Test
    void loopbackAnnouncementIsDroppedByDefault() throws Exception {
        startEngine(false);
        responder.announce("_ollama._tcp.local.", "Evil Loop", 8000, Map.of("type", "ollama"));

        await().atMost(WAIT)
                .until(() -> logs.messages().stream()
                        .anyMatch(m ->
                                m.startsWith("ignoring Evil Loop._ollama._tcp.local.") && m.contains("(loopback)")));

        assertThat(engine.registry().all()).isEmpty();
        assertThat(byInstance("Evil Loop._ollama._tcp.local.")).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void loopbackAnnouncementIsAcceptedWithAllowLoopback() throws Exception {
        startEngine(true);
        responder.announce("_ollama._tcp.local.", "Single Host", 8001, Map.of("type", "ollama"));

        Backend b = await().atMost(WAIT)
                .until(() -> byInstance("Single Host._ollama._tcp.local."), Optional::isPresent)
                .get();

        assertThat(b.url()).isEqualTo("http://127.0.0.1:8001");
    }

    private Optional<Backend> byInstance(String instance) {
        return engine.registry().all().stream()
                .filter(b -> b.mdns() != null && b.mdns().instance().equalsIgnoreCase(instance))
                .findFirst();
    }
}
