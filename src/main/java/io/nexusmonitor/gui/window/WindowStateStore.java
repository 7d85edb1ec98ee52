package io.nexusmonitor.gui.window;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexusmonitor.state.StateFile;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@code <stateDir>/window.json} through {@link StateFile} (atomic writes; an
 * unreadable file is moved aside and the defaults are used). Plain Java: no JavaFX types here.
 */
public final class WindowStateStore {
    private static final Logger log = LoggerFactory.getLogger(WindowStateStore.class);
    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final StateFile file;

    public WindowStateStore(Path stateDir) {
        this.file = new StateFile(stateDir.resolve("window.json"));
    }

    public WindowState load() {
        return file.read().map(this::parse).orElseGet(WindowState::defaults);
    }

    private WindowState parse(JsonNode json) {
        try {
            WindowState s = MAPPER.treeToValue(json, WindowState.class);
            if (s.width() < 200 || s.height() < 150) {
                throw new IllegalArgumentException("window size " + s.width() + "x" + s.height() + " is too small");
            }
            return s;
        } catch (IOException | IllegalArgumentException e) {
            file.moveAside(e.getMessage());
            return WindowState.defaults();
        }
    }

    /** Saves; a failure is logged, never thrown: losing the window layout must not stop a quit. */
    public void save(WindowState state) {
        try {
            file.write(MAPPER.valueToTree(state));
        } catch (IOException | RuntimeException e) {
            log.warn("could not save the window layout to {}: {}", file.path(), e.getMessage());
        }
    }
}
