package io.nexusmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.ModelInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinStoreTest {
    private static final Instant T = Instant.parse("2026-11-24T18:00:00Z");

    @TempDir
    Path dir;

    private static Backend discovered() {
        return Backend.create(
                        "abc", "gpu-box", "http://192.168.1.10:11434", BackendType.OLLAMA, BackendSource.MDNS, 7, T)
                .withPinned(true)
                .withStatus(BackendStatus.HEALTHY)
                .withModels(List.of(new ModelInfo("llama3:8b", 8192, true, List.of("completion"))))
                .withMdns(new MdnsInfo(
                        "gpu-box._ollama._tcp.local.",
                        "_ollama._tcp.local.",
                        "gpu-box.local.",
                        List.of("192.168.1.10", "fe80::1%eth0"),
                        Map.of("version", "0.5.1"),
                        T,
                        T));
    }

    @Test
    void pinnedBackendsComeBackWithTheirLastKnownDataAndStatusUnknown() throws Exception {
        PinStore store = new PinStore(dir);
        store.save(List.of(discovered()));

        List<Backend> back = store.load(T.plusSeconds(3600));

        assertThat(back).hasSize(1);
        Backend b = back.get(0);
        assertThat(b.url()).isEqualTo("http://192.168.1.10:11434");
        assertThat(b.name()).isEqualTo("gpu-box");
        assertThat(b.type()).isEqualTo(BackendType.OLLAMA);
        assertThat(b.source()).isEqualTo(BackendSource.MDNS);
        assertThat(b.priority()).isEqualTo(7);
        assertThat(b.pinned()).isTrue();
        assertThat(b.approved()).isTrue();
        assertThat(b.status()).isEqualTo(BackendStatus.UNKNOWN);
        assertThat(b.models())
                .extracting(ModelInfo::id, ModelInfo::contextLength)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("llama3:8b", 8192));
        assertThat(b.mdns().instance()).isEqualTo("gpu-box._ollama._tcp.local.");
        assertThat(b.mdns().addresses()).containsExactly("192.168.1.10", "fe80::1%eth0");
        assertThat(b.mdns().txt()).containsEntry("version", "0.5.1");
        assertThat(b.mdns().firstSeen()).isEqualTo(T);
    }

    @Test
    void onlyPinnedNonConfigBackendsAreStored() throws Exception {
        Backend unpinned = discovered().withPinned(false);
        Backend config = Backend.create("s", "cfg", "http://cfg:1", BackendType.GENERIC, BackendSource.STATIC, 1, T);
        Backend manual = Backend.create("m", "man", "http://man:2", BackendType.VLLM, BackendSource.MANUAL, 1, T)
                .withPinned(true);
        PinStore store = new PinStore(dir);
        store.save(List.of(unpinned, config, manual));
        assertThat(store.load(T)).extracting(Backend::url).containsExactly("http://man:2");
    }

    @Test
    void corruptFileIsMovedAsideAndNothingIsRestored() throws Exception {
        Files.writeString(dir.resolve("pins.json"), "{\"pins\": [ {\"url\": ");
        assertThat(new PinStore(dir).load(T)).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("pins.json.corrupt-"));
        }
    }

    @Test
    void fileWithoutAPinListIsMovedAside() throws Exception {
        Files.writeString(dir.resolve("pins.json"), "[1, 2, 3]");
        assertThat(new PinStore(dir).load(T)).isEmpty();
        assertThat(dir.resolve("pins.json")).doesNotExist();
    }

    @Test
    void unreadableEntriesAreSkippedTheOthersKept() throws Exception {
        Files.writeString(dir.resolve("pins.json"), """
                {"format": 1, "pins": [
                  {"url": "ftp://nope", "name": "bad", "type": "ollama"},
                  {"url": "http://ok:8000", "name": "ok", "type": "spaceship"},
                  {"url": "http://good:8000/v1", "name": "good", "type": "vllm", "source": "manual"}
                ]}""");
        assertThat(new PinStore(dir).load(T)).extracting(Backend::name).containsExactly("good");
    }

    @Test
    void tempFilesOfWritesKilledHalfWayAreRemovedAtStart() throws Exception {
        PinStore first = new PinStore(dir);
        first.save(List.of(discovered()));
        java.nio.file.attribute.FileTime old =
                java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(StateFile.LEFTOVER_AGE_S + 60));
        // what kill -9 during a write leaves: Files.createTempFile(dir, ".pins.json", ".tmp")
        Path leftover = Files.writeString(dir.resolve(".pins.json4711.tmp"), "{\"pins\": [");
        Path leftover2 = Files.writeString(dir.resolve(".pins.json.tmp"), "");
        Files.setLastModifiedTime(leftover, old);
        Files.setLastModifiedTime(leftover2, old);
        Path inProgress = Files.writeString(dir.resolve(".pins.json99.tmp"), "{");
        Path otherFiles = Files.writeString(dir.resolve(".window.json12.tmp"), "{");
        Path notATemp = Files.writeString(dir.resolve(".pins.json.bak"), "{");
        Files.setLastModifiedTime(otherFiles, old);
        Files.setLastModifiedTime(notATemp, old);

        List<Backend> back = new PinStore(dir).load(T.plusSeconds(60));

        assertThat(back).extracting(Backend::url).containsExactly("http://192.168.1.10:11434");
        assertThat(leftover).doesNotExist();
        assertThat(leftover2).doesNotExist();
        assertThat(inProgress).as("a write that may still be running").exists();
        assertThat(otherFiles).as("another state file's temp").exists();
        assertThat(notATemp).exists();
        assertThat(dir.resolve("pins.json")).exists();
    }
}
