package io.nexusmonitor.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendSettings.CapacitySource;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Credential;
import io.nexusmonitor.registry.ModelInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the window says about busy, capacity, residency and keys. */
class BackendFormatsTest {
    private static Backend backend(BackendSettings s) {
        return Backend.create(
                        "id", "b", "http://127.0.0.1:1", BackendType.VLLM, BackendSource.MANUAL, 50, Instant.EPOCH)
                .withSettings(s);
    }

    @Test
    void busyIsInFlightOverCapacityOrJustInFlight() {
        assertThat(Formats.busy(backend(BackendSettings.DEFAULTS))).isEqualTo("0");
        assertThat(Formats.busy(backend(BackendSettings.DEFAULTS.withCapacity(4, CapacitySource.CONFIG))))
                .isEqualTo("0 / 4");
    }

    @Test
    void capacityNamesItsSourceAndTheServersBusyCount() {
        assertThat(Formats.capacity(BackendSettings.DEFAULTS)).isEqualTo("unknown");
        assertThat(Formats.capacity(BackendSettings.DEFAULTS.withCapacity(4, CapacitySource.CONFIG)))
                .isEqualTo("4 at once (config)");
        assertThat(Formats.capacity(BackendSettings.DEFAULTS
                        .offerCapacity(2, CapacitySource.SERVER)
                        .withServerBusy(1)))
                .isEqualTo("2 at once (reported by the server; 1 busy, says the server)");
        assertThat(Formats.capacity(BackendSettings.DEFAULTS.offerCapacity(8, CapacitySource.MDNS)))
                .contains("mDNS");
    }

    @Test
    void theKeyIsShownAsSetNeverItself() {
        assertThat(Formats.credential(BackendSettings.DEFAULTS)).isEqualTo("none");
        String shown =
                Formats.credential(BackendSettings.DEFAULTS.withCredential(new Credential("sk-x", "GPU_KEY", true)));
        assertThat(shown)
                .isEqualTo("set (from $GPU_KEY); the client's own Authorization is forwarded")
                .doesNotContain("sk-x");
    }

    @Test
    void theModelsTooltipSaysWhichAreLoaded() {
        assertThat(Formats.modelList(List.of(
                        new ModelInfo("llama3:8b", null, true, List.of()),
                        new ModelInfo("qwen", null, false, List.of()))))
                .isEqualTo("llama3:8b  (loaded)\nqwen");
    }
}
