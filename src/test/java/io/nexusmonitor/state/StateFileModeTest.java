package io.nexusmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An owner-only state file is mode 0600 after every write, even over an older, wider file. */
class StateFileModeTest {
    @TempDir
    Path dir;

    @Test
    void anOwnerOnlyFileIs0600AfterTheAtomicRenameWhateverTheOldModeWas() throws Exception {
        Path f = dir.resolve("pins.json");
        Files.writeString(f, "{}");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        StateFile file = new StateFile(f, Clock.systemUTC(), true);
        file.write(new ObjectMapper().createObjectNode().put("api_key", "x"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo("rw-------");
        file.write(new ObjectMapper().createObjectNode().put("api_key", "y"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(f)).contains("\"y\"");
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(f); // no temp file left behind
        }
    }

    @Test
    void pinStoreWritesOwnerOnly() throws Exception {
        PinStore store = new PinStore(dir);
        store.save(java.util.List.of());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.path())))
                .isEqualTo("rw-------");
    }
}
