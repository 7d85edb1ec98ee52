package io.nexusmonitor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nexusmonitor.config.Cidr;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.RegistryEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 items 5 and 7 for backends added by hand (API, window, CLI all call addManual):
 * allow_subnets, the never-usable addresses, the backend cap and the length caps. Discovery and
 * health checks are off and nothing listens at these URLs: no traffic is sent anywhere.
 */
class ManualAddRulesTest {
    @TempDir
    Path stateDir;

    private NexusEngine engine;
    private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private NexusEngine start(List<String> subnets, boolean allowLoopback, NexusConfig.Limits limits) {
        NexusConfig c = NexusConfig.defaults();
        NexusConfig config = c.withDiscovery(c.discovery()
                        .withEnabled(false)
                        .withAllowSubnets(subnets.stream().map(Cidr::parse).toList())
                        .withAllowLoopback(allowLoopback))
                .withHealthCheck(c.healthCheck().withEnabled(false))
                .withLimits(limits);
        engine = new NexusEngine(config, new EngineOptions(stateDir, false));
        engine.start();
        engine.registry().subscribe(events::add);
        return engine;
    }

    private NexusEngine start(List<String> subnets, boolean allowLoopback) {
        return start(subnets, allowLoopback, NexusConfig.Limits.defaults());
    }

    private void assertRefused(String url, ControlException.Reason reason, String message) {
        assertThatThrownBy(() -> engine.addManual(url, null, BackendType.OLLAMA, null))
                .isInstanceOfSatisfying(
                        ControlException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
        assertThat(engine.registry().all()).isEmpty();
        assertThat(events).isEmpty();
        assertThat(Files.exists(stateDir.resolve("pins.json")) ? readPins() : "")
                .doesNotContain(url);
    }

    private String readPins() {
        try {
            return Files.readString(stateDir.resolve("pins.json"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withoutAllowSubnetsThisMachineMayBeAddedByHand() {
        start(List.of(), false);
        assertThat(engine.addManual("http://localhost:11434", null, null, null).url())
                .isEqualTo("http://localhost:11434");
        assertThat(engine.addManual("http://127.0.0.1:8000", null, null, null).url())
                .isEqualTo("http://127.0.0.1:8000");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://0.0.0.0:11434",
                "http://[::]:11434",
                "http://0:11434",
                "http://224.0.0.251:11434",
                "http://[ff02::1]:80",
                "http://255.255.255.255:80",
                "http://[::ffff:0.0.0.0]:80"
            })
    void unspecifiedMulticastAndBroadcastAreAlwaysRefused(String url) {
        start(List.of(), true);
        assertRefused(url, ControlException.Reason.INVALID, "cannot add a backend at");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:11434",
                "http://2130706433:11434",
                "http://[::1]:11434",
                "http://[::ffff:127.0.0.1]:11434",
                "http://localhost:11434"
            })
    void withAllowSubnetsLoopbackNeedsAllowLoopback(String url) {
        start(List.of("10.0.0.0/8"), false);
        assertRefused(url, ControlException.Reason.INVALID, "loopback");
    }

    @Test
    void withAllowSubnetsLoopbackIsAllowedByAllowLoopbackOrABlockHoldingIt() {
        start(List.of("10.0.0.0/8"), true);
        assertThat(engine.addManual("http://127.0.0.1:11434", null, null, null)).isNotNull();
        engine.close();
        events.clear();
        start(List.of("127.0.0.0/8"), false);
        assertThat(engine.addManual("http://127.0.0.1:11434", null, null, null)).isNotNull();
    }

    @Test
    void withAllowSubnetsAnAddressOutsideIsRefused() {
        start(List.of("127.0.0.0/8"), false);
        // pure data: refused before anything could be sent
        assertRefused("http://192.0.2.10:11434", ControlException.Reason.INVALID, "outside allow_subnets");
    }

    @Test
    void subnetBroadcastIsRefused() {
        start(List.of("127.0.0.0/24"), false);
        assertRefused("http://127.0.0.255:11434", ControlException.Reason.INVALID, "broadcast");
    }

    @Test
    void fullRegistryAnswersLimitReachedAndAddsNothing() {
        start(List.of(), false, new NexusConfig.Limits(2, 2000, 128, 256));
        engine.addManual("http://127.0.0.1:1", null, null, null);
        engine.addManual("http://127.0.0.1:2", null, null, null);
        events.clear();

        assertThatThrownBy(() -> engine.addManual("http://127.0.0.1:3", null, null, null))
                .isInstanceOfSatisfying(
                        ControlException.class,
                        e -> assertThat(e.reason()).isEqualTo(ControlException.Reason.LIMIT_REACHED))
                .hasMessageContaining("max_backends");
        assertThat(engine.registry().all())
                .extracting(Backend::url)
                .containsExactlyInAnyOrder("http://127.0.0.1:1", "http://127.0.0.1:2");
        assertThat(events).isEmpty();
    }

    @Test
    void overlongNameAndUrlAreRefused() {
        start(List.of(), false);
        assertThatThrownBy(() -> engine.addManual("http://127.0.0.1:1", "n".repeat(129), null, null))
                .isInstanceOfSatisfying(
                        ControlException.class, e -> assertThat(e.reason()).isEqualTo(ControlException.Reason.INVALID))
                .hasMessage("the name is 129 characters long; at most 128 are accepted ([limits] max_name_length)");
        assertRefused("http://127.0.0.1:1/" + "p".repeat(3000), ControlException.Reason.INVALID, "at most 2048");
        assertThat(engine.registry().all()).isEmpty();
    }
}
