package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.api.ApiServer;
import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.metrics.NexusMetrics;
import io.nexusmonitor.state.ApiTokenFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI finds the token the engine wrote, by the same state dir rule, and sends it only to loopback. */
class CliTokenTest {
    @TempDir
    Path stateDir;

    private NexusEngine engine;
    private ApiServer api;

    @BeforeEach
    void start() {
        NexusConfig config = io.nexusmonitor.api.TestConfigs.quiet();
        engine = new NexusEngine(config, new EngineOptions(stateDir, false));
        engine.start();
        api = new ApiServer(engine, config, new NexusMetrics(engine.registry()), stateDir).start();
    }

    @AfterEach
    void stop() {
        api.close();
        engine.close();
    }

    @Test
    void addUsesTheTokenFileOfTheStateDir() {
        CliRun add = CliRun.of(
                "backends", "add", "http://127.0.0.1:8091", "--api", api.address(), "--state-dir", stateDir.toString());

        assertThat(add.exitCode()).isZero();
        assertThat(engine.registry().findByUrl("http://127.0.0.1:8091")).isPresent();
    }

    @Test
    void withoutATokenFileTheChangeIsRefusedWithTheServersHint() {
        CliRun add = CliRun.of(
                "backends",
                "add",
                "http://127.0.0.1:8092",
                "--api",
                api.address(),
                "--state-dir",
                stateDir.resolve("empty").toString());

        assertThat(add.exitCode()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(add.err()).contains("HTTP 401", "api-token");
        assertThat(engine.registry().findByUrl("http://127.0.0.1:8092")).isEmpty();
    }

    @Test
    void anExplicitTokenWinsOverTheFile() {
        CliRun add = CliRun.of(
                "backends",
                "add",
                "http://127.0.0.1:8093",
                "--api",
                api.address(),
                "--state-dir",
                stateDir.toString(),
                "--token",
                "not-the-token-of-this-server");

        assertThat(add.exitCode()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(add.err()).contains("HTTP 401");
    }

    @Test
    void theDefaultStateDirIsTheEnginesAndTheFileGoesOnlyToLoopback() throws Exception {
        Path data = stateDir.resolve("xdg-data");
        Locations locations =
                new Locations(Map.of("XDG_DATA_HOME", data.toString()), stateDir.resolve("home"), stateDir);
        Path engineDir = locations.defaultStateDir();
        String token = ApiTokenFile.readOrCreate(engineDir);
        assertThat(Files.exists(data.resolve("nexus-monitor").resolve("api-token")))
                .isTrue();

        ApiOptions options = new ApiOptions();
        options.locations = locations;
        for (String loopback : new String[] {
            "http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000", "http://127.0.0.5:1"
        }) {
            options.api = loopback;
            assertThat(options.effectiveToken()).as(loopback).isEqualTo(token);
        }
        for (String remote : new String[] {"http://192.168.1.10:8000", "http://gpu-box.lan:8000", "not a url"}) {
            options.api = remote;
            assertThat(options.effectiveToken()).as(remote).isNull();
        }
    }
}
