package io.nexusmonitor.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendTest {
    private static final Instant T0 = Instant.parse("2026-11-24T18:00:00Z");

    private static Backend backend() {
        return Backend.create("id", "gpu", "http://127.0.0.1:11434", BackendType.OLLAMA, BackendSource.MANUAL, 50, T0);
    }

    @Test
    void healthUpdateLeavesTheOtherPartsAsTheyWere() {
        Backend b = backend()
                .withMdns(new MdnsInfo(
                        "gpu._ollama._tcp.local.",
                        "_ollama._tcp.local.",
                        "gpu.local.",
                        List.of("127.0.0.1"),
                        null,
                        T0,
                        T0))
                .withSettings(BackendSettings.DEFAULTS.withCapacity(4, BackendSettings.CapacitySource.CONFIG));

        Backend after = b.withStatus(BackendStatus.HEALTHY)
                .withModels(List.of(new ModelInfo("llama3", null, true, null)))
                .withLatencySample(12.0)
                .withLastHealthCheck(T0)
                .withLastError(null);

        assertThat(after.profile()).isSameAs(b.profile());
        assertThat(after.settings()).isSameAs(b.settings());
        assertThat(after.traffic()).isSameAs(b.traffic());
        assertThat(after.presence()).isSameAs(b.presence());
        assertThat(after.health())
                .isEqualTo(new Backend.Health(
                        BackendStatus.HEALTHY,
                        List.of(new ModelInfo("llama3", null, true, null)),
                        12.0,
                        T0,
                        null,
                        List.of()));
    }

    @Test
    void singleFieldAccessorsReadTheirPart() {
        Backend b = backend()
                .withPinned(true)
                .withApproved(false)
                .withConfigLocation("nexus.toml:3")
                .withGraceDeadline(T0.plusSeconds(60));

        assertThat(b.name()).isEqualTo("gpu");
        assertThat(b.pinned()).isTrue();
        assertThat(b.approved()).isFalse();
        assertThat(b.configLocation()).isEqualTo("nexus.toml:3");
        assertThat(b.addedAt()).isEqualTo(T0);
        assertThat(b.inGrace()).isTrue();
        assertThat(b.graceDeadline()).isEqualTo(b.presence().graceDeadline());
        assertThat(b.capacity()).isNull();
        assertThat(b.pendingRequests()).isZero();
    }

    @Test
    void latencySamplesAreAveragedAndCanBeSetDirectly() {
        Backend b = backend().withLatencySample(100).withLatencySample(200);
        assertThat(b.avgLatencyMs()).isEqualTo(0.2 * 200 + 0.8 * 100);

        assertThat(b.withLatencyMs(42.0).avgLatencyMs()).isEqualTo(42.0);
        assertThat(b.withLatencyMs(null).avgLatencyMs()).isNull();
    }

    @Test
    void historyKeepsTheLastFiftyEntries() {
        Backend b = backend();
        for (int i = 0; i < Backend.HISTORY_LIMIT + 5; i++) {
            b = b.withHistoryEntry(new HistoryEntry(T0.plusSeconds(i), BackendStatus.UNKNOWN, "n" + i));
        }

        assertThat(b.history()).hasSize(Backend.HISTORY_LIMIT);
        assertThat(b.history().get(0).cause()).isEqualTo("n5");
        assertThat(b.history().get(Backend.HISTORY_LIMIT - 1).cause()).isEqualTo("n54");
    }
}
