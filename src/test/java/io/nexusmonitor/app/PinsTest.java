package io.nexusmonitor.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins survive a restart: written to the state dir when they change, restored at start. */
class PinsTest {
    @TempDir
    Path stateDir;

    private NexusEngine engine(List<NexusConfig.StaticBackend> statics) {
        NexusConfig base = NexusConfig.defaults();
        NexusConfig config = new NexusConfig(
                base.server(),
                base.discovery().withEnabled(false),
                base.healthCheck().withEnabled(false),
                base.routing(),
                base.notifications(),
                base.logging(),
                statics,
                null);
        NexusEngine e = new NexusEngine(config, new EngineOptions(stateDir, false));
        e.start();
        return e;
    }

    @Test
    void pinnedManualBackendIsRestoredOnTheNextStartWithStatusUnknown() {
        String id;
        try (NexusEngine first = engine(List.of())) {
            Backend b = first.addManual("http://gpu-box:8000/v1", "gpu", BackendType.VLLM, 3);
            first.registry().update(b.id(), "HTTP 200", x -> x.withStatus(BackendStatus.HEALTHY));
            first.pin(b.id());
            id = b.id();
        }
        assertThat(stateDir.resolve("pins.json")).exists();
        try (NexusEngine second = engine(List.of())) {
            Backend b = second.registry().get(id).orElseThrow();
            assertThat(b.name()).isEqualTo("gpu");
            assertThat(b.type()).isEqualTo(BackendType.VLLM);
            assertThat(b.priority()).isEqualTo(3);
            assertThat(b.source()).isEqualTo(BackendSource.MANUAL);
            assertThat(b.pinned()).isTrue();
            assertThat(b.status()).isEqualTo(BackendStatus.UNKNOWN);
            assertThat(b.history()).last().extracting(h -> h.cause()).isEqualTo("restored pin");
        }
    }

    @Test
    void unpinnedOrRemovedBackendIsNotRestored() {
        try (NexusEngine first = engine(List.of())) {
            Backend a = first.addManual("http://a:1", null, null, null);
            Backend b = first.addManual("http://b:1", null, null, null);
            first.pin(a.id());
            first.pin(b.id());
            first.unpin(a.id());
            first.remove(b.id());
        }
        try (NexusEngine second = engine(List.of())) {
            assertThat(second.registry().all()).isEmpty();
        }
    }

    @Test
    void pinsAreWrittenWhenTheyChangeNotOnlyAtExit() throws Exception {
        try (NexusEngine e = engine(List.of())) {
            Backend a = e.addManual("http://a:1", null, null, null);
            e.pin(a.id());
            assertThat(Files.readString(stateDir.resolve("pins.json"))).contains("http://a:1");
        }
    }

    @Test
    void configBackendWinsOverARestoredPinAtTheSameUrl() {
        try (NexusEngine first = engine(List.of())) {
            first.pin(first.addManual("http://a:1", "manual-a", null, null).id());
        }
        try (NexusEngine second = engine(List.of(
                new NexusConfig.StaticBackend("cfg-a", "http://a:1", BackendType.GENERIC, 1, "nexus.toml:3")))) {
            assertThat(second.registry().all()).singleElement().satisfies(b -> {
                assertThat(b.source()).isEqualTo(BackendSource.STATIC);
                assertThat(b.name()).isEqualTo("cfg-a");
            });
        }
    }

    @Test
    void corruptPinsFileIsMovedAsideAndTheEngineStarts() throws Exception {
        Files.writeString(stateDir.resolve("pins.json"), "not json at all {");
        try (NexusEngine e = engine(List.of())) {
            assertThat(e.registry().all()).isEmpty();
        }
        try (Stream<Path> files = Files.list(stateDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("pins.json.corrupt-"));
        }
    }
}
