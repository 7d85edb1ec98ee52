package io.nexusmonitor.wake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.WakeOnLan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The neighbour table as the fourth source of a box's MAC, on a recorded /proc/net/arp. */
class NeighbourTableTest {
    /** Recorded on a Debian 12 host (addresses moved into the testbed range), with an incomplete entry. */
    static final String RECORDED = """
            IP address       HW type     Flags       HW address            Mask     Device
            198.18.0.1       0x1         0x2         b8:27:eb:12:34:56     *        enp3s0
            198.18.0.20      0x1         0x2         A8:A1:59:0B:7C:2E     *        enp3s0
            198.18.0.33      0x1         0x0         00:00:00:00:00:00     *        enp3s0
            198.18.0.20      0x1         0x2         11:22:33:44:55:66     *        wlp2s0
            """;

    @TempDir
    Path dir;

    @Test
    void parsesCompleteEntriesOnly() {
        Map<String, String> t = NeighbourTable.parse(RECORDED);
        assertThat(t)
                .containsExactly(
                        Map.entry("198.18.0.1", "b8:27:eb:12:34:56"), Map.entry("198.18.0.20", "a8:a1:59:0b:7c:2e"));
        assertThat(NeighbourTable.parse("")).isEmpty();
        assertThat(NeighbourTable.parse("garbage\n1.2.3 0x1 0x2 zz *\n")).isEmpty();
    }

    @Test
    void aMissingTableIsEmptyNotAnError() {
        assertThat(NeighbourTable.read(dir.resolve("no-such-file"))).isEmpty();
    }

    @Test
    void aWakeableBoxWithoutMacLearnsItWhileUpAndIsThenWakeable() throws Exception {
        Path arp = Files.writeString(dir.resolve("arp"), RECORDED);
        Registry registry = new Registry();
        Backend b = registry.add(
                Backend.create(
                                "",
                                "gpu-box",
                                "http://198.18.0.20:11434",
                                BackendType.OLLAMA,
                                BackendSource.STATIC,
                                50,
                                Instant.now())
                        .withSettings(io.nexusmonitor.registry.BackendSettings.DEFAULTS.withWake(
                                new WakeOnLan(null, true, null, 60))),
                "test");
        assertThat(WakeOnLan.wakeable(b)).isFalse();
        try (NeighbourMacs macs = new NeighbourMacs(registry, arp, Runnable::run)) {
            registry.update(b.id(), "test", x -> x.withStatus(BackendStatus.HEALTHY));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> WakeOnLan.effectiveMac(registry.get(b.id()).orElseThrow()) != null);
        }
        Backend now = registry.get(b.id()).orElseThrow();
        assertThat(WakeOnLan.effectiveMac(now)).isEqualTo("a8:a1:59:0b:7c:2e");
        assertThat(WakeOnLan.wakeable(now)).isTrue();
    }

    @Test
    void theUsersMacAndTheAnnouncementsComeFirst() {
        Backend b = Backend.create(
                        "",
                        "x",
                        "http://198.18.0.20:11434",
                        BackendType.OLLAMA,
                        BackendSource.STATIC,
                        50,
                        Instant.now())
                .withSettings(io.nexusmonitor.registry.BackendSettings.DEFAULTS.withWake(
                        new WakeOnLan("aa:aa:aa:aa:aa:aa", true, null, 60, "bb:bb:bb:bb:bb:bb")));
        assertThat(WakeOnLan.effectiveMac(b)).isEqualTo("aa:aa:aa:aa:aa:aa");
        assertThat(NeighbourMacs.wanted(b)).isFalse();
        Backend noUserMac =
                b.withSettings(b.settings().withWake(new WakeOnLan(null, true, null, 60, "bb:bb:bb:bb:bb:bb")));
        assertThat(WakeOnLan.effectiveMac(noUserMac)).isEqualTo("bb:bb:bb:bb:bb:bb");
    }
}
