package io.nexusmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @TempDir
    Path dir;

    private StateFile file() {
        return new StateFile(
                dir.resolve("sub/pins.json"), Clock.fixed(Instant.parse("2026-11-24T18:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void missingFileReadsAsEmpty() {
        assertThat(file().read()).isEmpty();
    }

    @Test
    void writesAndReadsBackCreatingTheDirectory() throws Exception {
        ObjectNode json = new ObjectMapper().createObjectNode().put("version", 1);

        file().write(json);

        assertThat(file().read()).contains(json);
        try (Stream<Path> files = Files.list(dir.resolve("sub"))) {
            assertThat(files).as("no temp file left behind").containsExactly(dir.resolve("sub/pins.json"));
        }
    }

    @Test
    void replacesTheWholeFile() throws Exception {
        ObjectMapper m = new ObjectMapper();
        file().write(m.createObjectNode().put("a", "a long value that is longer than the next one"));
        file().write(m.createObjectNode().put("b", 1));

        assertThat(file().read()).contains(m.createObjectNode().put("b", 1));
    }

    @Test
    void corruptFileIsMovedAsideAndReadsAsEmpty() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/pins.json"), "{\"pins\": [ oops");

        assertThat(file().read()).isEmpty();

        Path aside = dir.resolve("sub/pins.json.corrupt-20261124-180000");
        assertThat(aside).exists().hasContent("{\"pins\": [ oops");
        assertThat(dir.resolve("sub/pins.json")).doesNotExist();
    }

    @Test
    void emptyFileCountsAsCorrupt() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/pins.json"), "");

        assertThat(file().read()).isEmpty();
        assertThat(dir.resolve("sub/pins.json.corrupt-20261124-180000")).exists();
    }
}
