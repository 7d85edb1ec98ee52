package io.nexusmonitor.gui.firstrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.control.EngineStatus;
import io.nexusmonitor.discovery.logic.InterfaceTraffic;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkReportTest {
    private static final Instant NOW = Instant.parse("2026-12-02T01:00:00Z");

    private static EngineStatus status(String discovery, List<String> interfaces) {
        return new EngineStatus("test", NOW, discovery, interfaces, "http://127.0.0.1:8000", true);
    }

    @Test
    void anInterfaceThatHeardNothingSaysWhatMayBlockMulticast() {
        EngineStatus s = status("running", List.of("eth0 198.18.0.5"));
        List<String> lines =
                NetworkReport.interfaces(s, List.of(new InterfaceTraffic("eth0 198.18.0.5", 0, null, 0)), NOW);
        assertThat(lines)
                .singleElement()
                .asString()
                .startsWith("eth0 198.18.0.5: no mDNS traffic heard yet")
                .contains("5353");
    }

    @Test
    void anInterfaceThatHeardAnswersSaysHowManyAndWhen() {
        EngineStatus s = status("running", List.of("eth0 198.18.0.5", "wlan0 198.18.0.9"));
        List<InterfaceTraffic> t = List.of(
                new InterfaceTraffic("eth0 198.18.0.5", 12, NOW.minusSeconds(4), 0),
                new InterfaceTraffic("wlan0 198.18.0.9", 3, NOW.minusSeconds(125), 1));
        assertThat(NetworkReport.interfaces(s, t, NOW))
                .containsExactly(
                        "eth0 198.18.0.5: mDNS works: 12 records heard, the last 4 s ago; none of them an LLM server.",
                        "wlan0 198.18.0.9: mDNS works: 3 records heard, the last 2 min ago; 1 LLM server.");
        assertThat(NetworkReport.advice(s, t)).startsWith("LLM servers are announced");
    }

    @Test
    void trafficWithoutServersPointsToAnnounce() {
        EngineStatus s = status("running", List.of("eth0 198.18.0.5"));
        assertThat(NetworkReport.advice(s, List.of(new InterfaceTraffic("eth0 198.18.0.5", 5, NOW, 0))))
                .contains("nexus-monitor announce");
    }

    @Test
    void noInterfaceNamesTheSettingThatChoosesOne() {
        EngineStatus s = status("unavailable: no up, multicast-capable, non-loopback network interface", List.of());
        assertThat(NetworkReport.headline(s))
                .isEqualTo("mDNS discovery cannot run: no up, multicast-capable, non-loopback network interface.");
        assertThat(NetworkReport.interfaces(s, List.of(), NOW))
                .singleElement()
                .asString()
                .contains("[discovery] interfaces")
                .contains("--interface");
    }

    @Test
    void headlinesForPausedAndOff() {
        assertThat(NetworkReport.headline(status("paused", List.of()))).contains("paused");
        assertThat(NetworkReport.headline(status("off", List.of()))).contains("--no-discovery");
        assertThat(NetworkReport.advice(status("off", List.of()), List.of())).contains("without discovery");
    }
}
