package io.nexusmonitor.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.RegistryEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.jmdns.ServiceInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real mDNS packets, on 127.0.0.1 only: a JmDNS responder announces, the engine discovers. */
class LoopbackDiscoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path stateDir;

    private NexusEngine engine;
    private LoopbackResponder responder;
    private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        responder = new LoopbackResponder();
    }

    private void startEngine(int graceSeconds) {
        NexusConfig base = NexusConfig.defaults();
        // every announcement here comes from 127.0.0.1: a single-host setup, which allow_loopback is for
        NexusConfig.Discovery d = new NexusConfig.Discovery(
                true,
                List.of("_ollama._tcp.local.", "_llm._tcp.local."),
                java.time.Duration.ofSeconds(graceSeconds),
                List.of("127.0.0.1"),
                List.of(),
                false,
                true);
        NexusConfig config = new NexusConfig(
                base.server(),
                d,
                base.healthCheck().withEnabled(false),
                base.routing(),
                base.notifications(),
                base.logging(),
                List.of(),
                null);
        engine = new NexusEngine(config, new EngineOptions(stateDir, false));
        engine.registry().subscribe(events::add);
        engine.start();
    }

    @AfterEach
    void stop() throws Exception {
        responder.close();
        if (engine != null) {
            engine.close();
        }
    }

    private Optional<Backend> byInstance(String instance) {
        return engine.registry().all().stream()
                .filter(b -> b.mdns() != null && b.mdns().instance().equalsIgnoreCase(instance))
                .findFirst();
    }

    @Test
    void discoversAnnouncedServiceWithItsTxtRecords() throws Exception {
        startEngine(3);
        responder.announce(
                "_llm._tcp.local.", "GPU Box", 8000, Map.of("type", "vllm", "version", "0.6.0", "gpu", "a100"));

        Backend b = await().atMost(WAIT)
                .until(() -> byInstance("GPU Box._llm._tcp.local."), Optional::isPresent)
                .get();

        assertThat(b.url()).isEqualTo("http://127.0.0.1:8000/v1");
        assertThat(b.name()).isEqualTo("GPU Box");
        assertThat(b.type()).isEqualTo(BackendType.VLLM);
        assertThat(b.source()).isEqualTo(BackendSource.MDNS);
        assertThat(b.status()).isEqualTo(BackendStatus.UNKNOWN);
        assertThat(b.mdns().txt()).containsEntry("version", "0.6.0").containsEntry("gpu", "a100");
        assertThat(b.mdns().addresses()).contains("127.0.0.1");
        assertThat(engine.status().discovery()).isEqualTo("running");
        assertThat(engine.status().interfaces()).containsExactly("lo 127.0.0.1");
    }

    @Test
    void trafficSaysWhatWasHeardOnEachBrowsedAddress() throws Exception {
        startEngine(3);
        responder.announce("_ollama._tcp.local.", "Heard Box", 11434, Map.of("type", "ollama"));
        await().atMost(WAIT).until(() -> byInstance("Heard Box._ollama._tcp.local."), Optional::isPresent);

        var t = await().atMost(WAIT)
                .until(
                        () -> engine.mdnsTraffic(),
                        l -> l.size() == 1 && l.get(0).services() >= 1);
        assertThat(t.get(0).label()).isEqualTo("lo 127.0.0.1");
        assertThat(t.get(0).records()).isGreaterThanOrEqualTo(3); // PTR, SRV, TXT at least
        assertThat(t.get(0).lastHeard()).isNotNull().isBeforeOrEqualTo(java.time.Instant.now());
    }

    @Test
    void goodbyeMakesItUnknownThenItIsRemovedAtTheDeadline() throws Exception {
        startEngine(3);
        ServiceInfo info = responder.announce("_ollama._tcp.local.", "leaving", 11434, Map.of());
        String id = await().atMost(WAIT)
                .until(() -> byInstance("leaving._ollama._tcp.local."), Optional::isPresent)
                .get()
                .id();

        responder.withdraw(info);

        Backend inGrace = await().atMost(WAIT)
                .until(
                        () -> engine.registry().get(id),
                        b -> b.isPresent() && b.get().inGrace())
                .get();
        assertThat(inGrace.status()).isEqualTo(BackendStatus.UNKNOWN);
        assertThat(inGrace.history()).last().extracting(h -> h.cause()).isEqualTo("goodbye");
        await().atMost(WAIT).until(() -> engine.registry().get(id).isEmpty());
        RegistryEvent removed = events.stream()
                .filter(e -> e.kind() == RegistryEvent.Kind.BACKEND_REMOVED
                        && e.backend().id().equals(id))
                .findFirst()
                .orElseThrow();
        assertThat(removed.at()).isAfterOrEqualTo(inGrace.graceDeadline());
    }

    @Test
    void reappearingWithinTheGracePeriodKeepsTheId() throws Exception {
        startEngine(60); // registering again takes a second or two of probing; keep well inside the grace period
        ServiceInfo info = responder.announce("_ollama._tcp.local.", "flaky", 11435, Map.of());
        String id = await().atMost(WAIT)
                .until(() -> byInstance("flaky._ollama._tcp.local."), Optional::isPresent)
                .get()
                .id();
        responder.withdraw(info);
        await().atMost(WAIT)
                .until(() -> engine.registry().get(id).map(Backend::inGrace).orElse(false));

        responder.announce("_ollama._tcp.local.", "flaky", 11435, Map.of());

        await().atMost(WAIT)
                .until(() -> engine.registry().get(id).map(b -> !b.inGrace()).orElse(false));
        // only this backend's events: services of earlier tests may still be saying goodbye
        assertThat(events)
                .filteredOn(e -> e.backend().id().equals(id))
                .extracting(RegistryEvent::kind)
                .containsSubsequence(
                        RegistryEvent.Kind.BACKEND_ADDED,
                        RegistryEvent.Kind.GRACE_STARTED,
                        RegistryEvent.Kind.GRACE_CANCELLED)
                .containsOnlyOnce(RegistryEvent.Kind.BACKEND_ADDED)
                .doesNotContain(RegistryEvent.Kind.BACKEND_REMOVED);
    }

    @Test
    void statusShowsPausedWhilePaused() {
        startEngine(3);
        engine.setDiscoveryPaused(true);
        assertThat(engine.status().discovery()).isEqualTo("paused");
        engine.setDiscoveryPaused(false);
        assertThat(engine.status().discovery()).isEqualTo("running");
    }

    @Test
    void discoverySwitchedOffStartsNoBrowser() {
        NexusConfig base = NexusConfig.defaults();
        NexusConfig config = base.withDiscovery(base.discovery().withEnabled(false))
                .withHealthCheck(base.healthCheck().withEnabled(false));
        engine = new NexusEngine(config, new EngineOptions(stateDir, false));
        engine.start();
        assertThat(engine.status().discovery()).isEqualTo("off");
        assertThat(engine.status().interfaces()).isEmpty();
    }
}
