package io.nexusmonitor.gui.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowStateStoreTest {
    @TempDir
    Path dir;

    @Test
    void savedLayoutComesBack() {
        WindowState s = new WindowState(
                10.0,
                20.0,
                900,
                600,
                false,
                Map.of("name", 200.0, "url", 300.0),
                List.of(new WindowState.SortKey("latency", false)),
                List.of(0.6, 0.7),
                "dark");
        new WindowStateStore(dir).save(s);
        assertThat(new WindowStateStore(dir).load()).isEqualTo(s);
    }

    @Test
    void aFileFromBeforeThemesFollowsTheDesktop() throws IOException {
        Files.writeString(dir.resolve("window.json"), "{\"width\": 900, \"height\": 600}");
        assertThat(new WindowStateStore(dir).load().theme()).isEqualTo("system");
    }

    @Test
    void noFileMeansDefaults() {
        assertThat(new WindowStateStore(dir).load()).isEqualTo(WindowState.defaults());
    }

    @Test
    void anUnusableFileIsMovedAsideAndDefaultsUsed() throws IOException {
        Files.writeString(dir.resolve("window.json"), "{\"width\": 3, \"height\": 2}");
        assertThat(new WindowStateStore(dir).load()).isEqualTo(WindowState.defaults());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("window.json.corrupt-"));
        }
    }
}
