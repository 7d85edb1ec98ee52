package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.api.ApiServer;
import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.WakeOnLan;
import io.nexusmonitor.wake.MagicPacket;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backends pin --mac} and {@code backends wake} against a running instance; the packet goes to 127.0.0.1 only. */
class BackendsWakeCommandTest {
    @TempDir
    Path stateDir;

    private NexusEngine engine;
    private ApiServer api;
    private Backend box;

    @BeforeEach
    void start() {
        NexusConfig config = io.nexusmonitor.api.TestConfigs.quiet()
                .withHealthCheck(NexusConfig.HealthCheck.defaults().withEnabled(false));
        engine = new NexusEngine(config, new EngineOptions(stateDir, false));
        engine.start();
        box = engine.addManual("http://127.0.0.1:11434", "gpu-box", BackendType.OLLAMA, 5);
        api = new ApiServer(engine, config, new io.nexusmonitor.metrics.NexusMetrics(engine.registry()), stateDir)
                .start();
    }

    @AfterEach
    void stop() {
        api.close();
        engine.close();
    }

    @Test
    void pinWithAMacMakesItWakeableAndWakeSendsThePacket() throws Exception {
        try (DatagramSocket nic = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            nic.setSoTimeout(5000);
            CliRun pin = CliRun.of(
                    "backends",
                    "pin",
                    box.id(),
                    "--mac",
                    "AA-BB-CC-DD-EE-01",
                    "--wake-broadcast",
                    "127.0.0.1:" + nic.getLocalPort(),
                    "--api",
                    api.address(),
                    "--state-dir",
                    stateDir.toString());
            assertThat(pin.exitCode()).as(pin.err()).isZero();
            assertThat(pin.out()).contains("pinned gpu-box", "wakeable (aa:bb:cc:dd:ee:01)");
            Backend b = engine.registry().get(box.id()).orElseThrow();
            assertThat(WakeOnLan.wakeable(b)).isTrue();

            CliRun wake =
                    CliRun.of("backends", "wake", box.id(), "--api", api.address(), "--state-dir", stateDir.toString());
            assertThat(wake.exitCode()).as(wake.err()).isZero();
            assertThat(wake.out()).contains("sent a Wake-on-LAN packet to gpu-box");
            DatagramPacket got = new DatagramPacket(new byte[512], 512);
            nic.receive(got);
            assertThat(Arrays.copyOf(got.getData(), got.getLength())).isEqualTo(MagicPacket.of("aa:bb:cc:dd:ee:01"));
        }
    }

    @Test
    void aBadMacIsRefusedWithASentence() {
        CliRun pin = CliRun.of(
                "backends",
                "pin",
                box.id(),
                "--mac",
                "aa:bb",
                "--api",
                api.address(),
                "--state-dir",
                stateDir.toString());
        assertThat(pin.exitCode()).isNotZero();
        assertThat(pin.err()).contains("six hex pairs");
        assertThat(engine.registry().get(box.id()).orElseThrow().pinned()).isFalse();
    }
}
