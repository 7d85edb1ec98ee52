package io.nexusmonitor.wake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nexusmonitor.config.ConfigException;
import io.nexusmonitor.config.ConfigLoader;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.health.logic.CheckResult;
import io.nexusmonitor.health.logic.HealthCounters;
import io.nexusmonitor.health.logic.HealthThresholds;
import io.nexusmonitor.health.logic.HealthUpdate;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.WakeOnLan;
import io.nexusmonitor.registry.WakeTargets;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The magic packet, where it goes, and when a backend is asleep rather than unhealthy. */
class WakeOnLanTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final HealthThresholds THRESHOLDS = new HealthThresholds(2, 2);

    @Test
    void magicPacketIsSixFfThenTheMacSixteenTimes() {
        byte[] p = MagicPacket.of("01-23-45-67-89-AB");
        assertThat(p).hasSize(102);
        for (int i = 0; i < 6; i++) {
            assertThat(p[i]).isEqualTo((byte) 0xff);
        }
        byte[] mac = {0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab};
        for (int r = 0; r < 16; r++) {
            assertThat(Arrays.copyOfRange(p, 6 + r * 6, 12 + r * 6))
                    .as("repeat " + r)
                    .isEqualTo(mac);
        }
        assertThatThrownBy(() -> MagicPacket.of("01:23:45"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("six hex pairs");
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "null",
            value = {
                "aa:bb:cc:dd:ee:ff,aa:bb:cc:dd:ee:ff",
                "AA-BB-CC-DD-EE-0F,aa:bb:cc:dd:ee:0f",
                "aabbccddeeff,aa:bb:cc:dd:ee:ff",
                "aa:bb:cc:dd:ee,null",
                "gg:bb:cc:dd:ee:ff,null",
                "00:00:00:00:00:00,null",
                "ff:ff:ff:ff:ff:ff,null"
            })
    void macAddressesAreNormalised(String in, String out) {
        assertThat(WakeOnLan.normalizeMac(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "null",
            value = {
                "192.168.1.255,192.168.1.255,9",
                "127.0.0.1:40009,127.0.0.1,40009",
                "300.1.1.1,null,0",
                "host.lan,null,0",
                "10.0.0.255:0,null,0",
                "10.0.0.255:70000,null,0"
            })
    void wakeBroadcastIsAnIpv4AddressAndPort(String in, String host, int port) {
        WakeTargets.Target t = WakeTargets.parse(in);
        if (host == null) {
            assertThat(t).isNull();
            assertThat(WakeTargets.problem(in)).contains("IPv4 broadcast address");
        } else {
            assertThat(t).isEqualTo(new WakeTargets.Target(host, port));
        }
    }

    @Test
    void sendsThePacketToTheConfiguredLoopbackTarget() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            listener.setSoTimeout(5000);
            new WakeSender().send("aa:bb:cc:dd:ee:ff", new WakeTargets.Target("127.0.0.1", listener.getLocalPort()));
            DatagramPacket got = new DatagramPacket(new byte[512], 512);
            listener.receive(got);
            assertThat(Arrays.copyOf(got.getData(), got.getLength())).isEqualTo(MagicPacket.of("aa:bb:cc:dd:ee:ff"));
        }
    }

    private static Backend box(boolean pinned, boolean wakeOnLan, String mac, String txtMac) {
        Backend b = Backend.create(
                        "b1", "gpu-box", "http://127.0.0.1:11434", BackendType.OLLAMA, BackendSource.MANUAL, 50, NOW)
                .withPinned(pinned)
                .withStatus(BackendStatus.HEALTHY);
        b = b.withSettings(b.settings().withWake(new WakeOnLan(mac, wakeOnLan, null, 120)));
        if (txtMac != null) {
            b = b.withMdns(new MdnsInfo(
                    "gpu-box._ollama._tcp.local.", null, null, List.of(), Map.of("mac", txtMac), NOW, NOW));
        }
        return b;
    }

    /** Two failed checks (failure_threshold 2) from healthy. */
    private static Backend afterFailures(Backend b, int n) {
        HealthCounters c = HealthCounters.start(b.status());
        for (int i = 0; i < n; i++) {
            HealthUpdate u = HealthUpdate.apply(
                    b,
                    CheckResult.failure(io.nexusmonitor.health.logic.Failure.http(502, "Bad Gateway", "/api/tags")),
                    c,
                    THRESHOLDS,
                    NOW);
            b = u.backend();
            c = u.counters().against(b.status());
        }
        return b;
    }

    @Test
    void aPinnedWakeableBoxThatStopsAnsweringIsAsleep() {
        assertThat(afterFailures(box(true, true, "aa:bb:cc:dd:ee:ff", null), 1).status())
                .isEqualTo(BackendStatus.HEALTHY);
        Backend asleep = afterFailures(box(true, true, "aa:bb:cc:dd:ee:ff", null), 2);
        assertThat(asleep.status()).isEqualTo(BackendStatus.ASLEEP);
        assertThat(asleep.routable()).isFalse();
        assertThat(afterFailures(asleep, 3).status()).as("stays asleep").isEqualTo(BackendStatus.ASLEEP);
        // the MAC may come from the announcement alone
        assertThat(afterFailures(box(true, true, null, "AA:BB:CC:DD:EE:01"), 2).status())
                .isEqualTo(BackendStatus.ASLEEP);
    }

    @Test
    void withoutPinWakeOnLanOrMacItIsUnhealthy() {
        assertThat(afterFailures(box(false, true, "aa:bb:cc:dd:ee:ff", null), 2).status())
                .isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(afterFailures(box(true, false, "aa:bb:cc:dd:ee:ff", null), 2).status())
                .isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(afterFailures(box(true, true, null, null), 2).status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(afterFailures(box(true, true, null, "not-a-mac"), 2).status())
                .isEqualTo(BackendStatus.UNHEALTHY);
    }

    @Test
    void anAsleepBoxWakesAfterRecoveryThresholdSuccesses() {
        Backend b = afterFailures(box(true, true, "aa:bb:cc:dd:ee:ff", null), 2);
        HealthCounters c = HealthCounters.start(b.status());
        CheckResult ok = new CheckResult(CheckResult.Outcome.SUCCESS, List.of(), null, null, 3.0);
        HealthUpdate first = HealthUpdate.apply(b, ok, c, THRESHOLDS, NOW);
        assertThat(first.backend().status()).isEqualTo(BackendStatus.ASLEEP);
        HealthUpdate second = HealthUpdate.apply(
                first.backend(), ok, first.counters().against(first.backend().status()), THRESHOLDS, NOW);
        assertThat(second.backend().status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(second.cause()).isEqualTo("woke up");
    }

    @Test
    void configReadsTheWakeKeysAndNamesBadValues() throws ConfigException {
        NexusConfig c = ConfigLoader.parse("""
                [[backends]]
                url = "http://127.0.0.1:11434"
                mac = "AA-BB-CC-DD-EE-FF"
                wake_on_lan = true
                wake_broadcast = "127.0.0.1:40009"
                wake_timeout_seconds = 30
                """, Path.of("nexus.toml")).config();
        WakeOnLan w = c.backends().get(0).settings().wake();
        assertThat(w).isEqualTo(new WakeOnLan("aa:bb:cc:dd:ee:ff", true, "127.0.0.1:40009", 30));
        assertThat(ConfigLoader.parse("[[backends]]\nurl = \"http://127.0.0.1:1\"\n", Path.of("n.toml"))
                        .config()
                        .backends()
                        .get(0)
                        .settings()
                        .wake())
                .isNull();

        assertThatThrownBy(() -> ConfigLoader.parse("""
                [[backends]]
                url = "http://127.0.0.1:11434"
                mac = "aa:bb"
                wake_broadcast = "lan"
                """, Path.of("nexus.toml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mac")
                .hasMessageContaining("six hex pairs")
                .hasMessageContaining("wake_broadcast")
                .hasMessageContaining("IPv4 broadcast address");
    }
}
