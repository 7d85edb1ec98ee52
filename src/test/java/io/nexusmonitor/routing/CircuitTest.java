package io.nexusmonitor.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.HistoryEntry;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.WakeOnLan;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Live traffic opens the circuit: unhealthy, or straight to asleep for a box that can be woken. */
class CircuitTest {
    private final Registry registry = new Registry();

    private Backend healthy(String url, WakeOnLan wake) {
        Backend b = registry.add(
                Backend.create("", "gpu-box", url, BackendType.OLLAMA, BackendSource.STATIC, 50, Instant.now())
                        .withSettings(BackendSettings.DEFAULTS.withWake(wake)),
                "test");
        return registry.update(b.id(), "test", x -> x.withStatus(BackendStatus.HEALTHY))
                .orElseThrow();
    }

    @Test
    void aWakeablePinnedBoxGoesStraightToAsleep() {
        Backend b = healthy("http://198.18.0.20:11434", new WakeOnLan("aa:bb:cc:dd:ee:ff", true, null, 60));
        assertThat(new Circuit(registry, 3, 1).failure(b.id(), Circuit.Failure.CONNECTION_REFUSED, null))
                .isTrue();
        Backend now = registry.get(b.id()).orElseThrow();
        assertThat(now.status()).isEqualTo(BackendStatus.ASLEEP);
        assertThat(now.history().stream().map(HistoryEntry::status)).doesNotContain(BackendStatus.UNHEALTHY);
        assertThat(now.lastError()).isEqualTo("proxy: connection refused");
    }

    @Test
    void aBoxThatCannotBeWokenIsUnhealthy() {
        Backend b = healthy("http://198.18.0.21:11434", new WakeOnLan(null, true, null, 60)); // no MAC known
        Circuit c = new Circuit(registry, 2, 1);
        assertThat(c.failure(b.id(), Circuit.Failure.TIMEOUT, null)).isFalse();
        assertThat(c.failure(b.id(), Circuit.Failure.TIMEOUT, null)).isTrue();
        assertThat(registry.get(b.id()).orElseThrow().status()).isEqualTo(BackendStatus.UNHEALTHY);
    }
}
