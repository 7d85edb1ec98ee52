package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.api.ApiServer;
import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.BackendType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendsCommandTest {
    @TempDir
    Path stateDir;

    private NexusEngine engine;
    private ApiServer api;

    @BeforeEach
    void start() {
        // health checks off: the listing is checked with the backend still "unknown"
        NexusConfig config = io.nexusmonitor.api.TestConfigs.quiet()
                .withHealthCheck(NexusConfig.HealthCheck.defaults().withEnabled(false));
        engine = new NexusEngine(config, new EngineOptions(stateDir, false));
        engine.start();
        engine.addManual("http://127.0.0.1:11434", "gpu-box", BackendType.OLLAMA, 5);
        // as the engine serves it: the token is the state dir's api-token file, which the CLI reads
        api = new ApiServer(engine, config, new io.nexusmonitor.metrics.NexusMetrics(engine.registry()), stateDir)
                .start();
    }

    @AfterEach
    void stop() {
        api.close();
        engine.close();
    }

    @Test
    void listPrintsATableOfTheRunningInstance() {
        CliRun run = CliRun.of("backends", "list", "--api", api.address(), "--state-dir", stateDir.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains(
                        "NAME",
                        "STATUS",
                        "gpu-box",
                        "unknown",
                        "ollama",
                        "manual",
                        "http://127.0.0.1:11434",
                        "1 backend(s)");
    }

    @Test
    void listJsonPrintsTheApiAnswer() throws Exception {
        CliRun run = CliRun.of("backends", "list", "--json", "--api", api.address() + "/");

        assertThat(run.exitCode()).isZero();
        var json = io.nexusmonitor.json.BackendJson.MAPPER.readTree(run.out());
        assertThat(json.path("backends").get(0).path("name").asText()).isEqualTo("gpu-box");
    }

    @Test
    void listSaysClearlyWhenNothingAnswers() throws IOException {
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }

        CliRun run = CliRun.of("backends", "list", "--api", "http://127.0.0.1:" + freePort);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(run.err()).contains("no Nexus Monitor answers at http://127.0.0.1:" + freePort, "Is it running?");
    }

    @Test
    void addRemovePinAndUnpinChangeTheRunningInstance() {
        CliRun add = CliRun.of(
                "backends",
                "add",
                "http://127.0.0.1:8080",
                "--name",
                "box",
                "--type",
                "vllm",
                "--priority",
                "3",
                "--api",
                api.address(),
                "--state-dir",
                stateDir.toString());
        assertThat(add.exitCode()).isZero();
        assertThat(add.out()).contains("added box (http://127.0.0.1:8080), id ");
        String id = engine.registry()
                .findByUrl("http://127.0.0.1:8080")
                .orElseThrow()
                .id();
        assertThat(engine.registry().get(id).orElseThrow().priority()).isEqualTo(3);

        assertThat(CliRun.of("backends", "pin", id, "--api", api.address(), "--state-dir", stateDir.toString())
                        .exitCode())
                .isZero();
        assertThat(engine.registry().get(id).orElseThrow().pinned()).isTrue();
        assertThat(CliRun.of("backends", "unpin", id, "--api", api.address(), "--state-dir", stateDir.toString())
                        .exitCode())
                .isZero();
        assertThat(engine.registry().get(id).orElseThrow().pinned()).isFalse();

        CliRun remove = CliRun.of("backends", "remove", id, "--api", api.address(), "--state-dir", stateDir.toString());
        assertThat(remove.exitCode()).isZero();
        assertThat(remove.out()).contains("removed box");
        assertThat(engine.registry().get(id)).isEmpty();
    }

    @Test
    void refusedChangesPrintTheServersMessageAndExit1() {
        CliRun run = CliRun.of(
                "backends",
                "add",
                "http://127.0.0.1:11434",
                "--api",
                api.address(),
                "--state-dir",
                stateDir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(run.err()).contains("HTTP 409");
    }

    @Test
    void removeOfAnUnknownIdSaysSo() {
        CliRun run =
                CliRun.of("backends", "remove", "nope", "--api", api.address(), "--state-dir", stateDir.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(run.err()).contains("no backend with id 'nope'", "HTTP 404");
    }

    @Test
    void tokenIsSentAsBearer() {
        NexusConfig config = io.nexusmonitor.api.TestConfigs.quiet();
        io.nexusmonitor.api.ApiSettings s = io.nexusmonitor.api.ApiSettings.from(config.server())
                .withHost("0.0.0.0")
                .withApiToken("s3cret");
        try (ApiServer exposed = new ApiServer(
                        engine, s, config.routing(), new io.nexusmonitor.metrics.NexusMetrics(engine.registry()))
                .start()) {
            String url = "http://127.0.0.1:" + exposed.port();
            Path empty = stateDir.resolve("elsewhere");
            CliRun without = CliRun.of(
                    "backends", "add", "http://127.0.0.1:8090", "--api", url, "--state-dir", empty.toString());
            assertThat(without.exitCode()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
            assertThat(without.err()).contains("HTTP 401");
            assertThat(CliRun.of("backends", "add", "http://127.0.0.1:8090", "--api", url, "--token", "s3cret")
                            .exitCode())
                    .isZero();
        }
    }
}
