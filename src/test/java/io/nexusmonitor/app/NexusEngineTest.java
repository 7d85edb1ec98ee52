package io.nexusmonitor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NexusEngineTest {
    @TempDir
    Path stateDir;

    NexusEngine engine;

    @BeforeEach
    void start() {
        NexusConfig base = NexusConfig.defaults();
        NexusConfig config = new NexusConfig(
                base.server(),
                base.discovery().withEnabled(false),
                base.healthCheck().withEnabled(false),
                base.routing(),
                base.notifications(),
                base.logging(),
                List.of(new NexusConfig.StaticBackend(
                        "local-ollama", "http://localhost:11434", BackendType.OLLAMA, 1, "nexus.toml:40")),
                null);
        engine = new NexusEngine(config, new EngineOptions(stateDir, false));
        engine.start();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private Backend staticBackend() {
        return engine.registry().findByUrl("http://localhost:11434").orElseThrow();
    }

    @Test
    void staticBackendsArePresentAndPinnedAtStart() {
        Backend b = staticBackend();

        assertThat(b.source()).isEqualTo(BackendSource.STATIC);
        assertThat(b.pinned()).isTrue();
        assertThat(b.priority()).isEqualTo(1);
        assertThat(b.configLocation()).isEqualTo("nexus.toml:40");
    }

    @Test
    void unpinningAConfigBackendIsRefusedNamingFileAndLine() {
        assertThatThrownBy(() -> engine.unpin(staticBackend().id()))
                .isInstanceOfSatisfying(
                        ControlException.class, e -> assertThat(e.reason()).isEqualTo(ControlException.Reason.CONFLICT))
                .hasMessageContaining("nexus.toml:40");
        assertThat(staticBackend().pinned()).isTrue();
    }

    @Test
    void removingAConfigBackendIsRefused() {
        assertThatThrownBy(() -> engine.remove(staticBackend().id()))
                .isInstanceOfSatisfying(
                        ControlException.class, e -> assertThat(e.reason()).isEqualTo(ControlException.Reason.CONFLICT))
                .hasMessageContaining("config file");
        assertThat(engine.registry().size()).isEqualTo(1);
    }

    @Test
    void addsManualBackendWithDerivedNameAndType() {
        Backend b = engine.addManual("gpu-box:11434", null, null, null);

        assertThat(b.source()).isEqualTo(BackendSource.MANUAL);
        assertThat(b.url()).isEqualTo("http://gpu-box:11434");
        assertThat(b.name()).isEqualTo("gpu-box");
        assertThat(b.type()).isEqualTo(BackendType.OLLAMA);
        assertThat(b.priority()).isEqualTo(Backend.DEFAULT_PRIORITY);
        assertThat(b.pinned()).isFalse();
    }

    @Test
    void addingAnExistingUrlIsAConflict() {
        assertThatThrownBy(() -> engine.addManual("http://LOCALHOST:11434/", "dup", null, null))
                .isInstanceOfSatisfying(
                        ControlException.class,
                        e -> assertThat(e.reason()).isEqualTo(ControlException.Reason.CONFLICT));
    }

    @Test
    void addingAnInvalidUrlIsInvalid() {
        assertThatThrownBy(() -> engine.addManual("ftp://x", null, null, null))
                .isInstanceOfSatisfying(
                        ControlException.class, e -> assertThat(e.reason()).isEqualTo(ControlException.Reason.INVALID));
        assertThatThrownBy(() -> engine.addManual("http://x:1", null, null, -1))
                .isInstanceOfSatisfying(
                        ControlException.class, e -> assertThat(e.reason()).isEqualTo(ControlException.Reason.INVALID));
    }

    @Test
    void pinAndUnpinAManualBackend() {
        Backend b = engine.addManual("http://gpu:8000/v1", "gpu", BackendType.VLLM, 5);

        assertThat(engine.pin(b.id()).pinned()).isTrue();
        assertThat(engine.unpin(b.id()).pinned()).isFalse();
    }

    @Test
    void removesAManualBackend() {
        Backend b = engine.addManual("http://gpu:8000", "gpu", null, null);

        engine.remove(b.id());

        assertThat(engine.registry().get(b.id())).isEmpty();
    }

    @Test
    void unknownIdsAreNotFound() {
        for (Runnable r : List.<Runnable>of(
                () -> engine.pin("nope"),
                () -> engine.unpin("nope"),
                () -> engine.remove("nope"),
                () -> engine.checkNow("nope"))) {
            assertThatThrownBy(r::run)
                    .isInstanceOfSatisfying(
                            ControlException.class,
                            e -> assertThat(e.reason()).isEqualTo(ControlException.Reason.NOT_FOUND));
        }
    }
}
