package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.api.ApiServer;
import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.stats.Outcome;
import io.nexusmonitor.stats.RequestRecord;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCommandTest {
    @TempDir
    Path stateDir;

    private NexusEngine engine;
    private ApiServer api;

    @BeforeEach
    void start() {
        NexusConfig config = io.nexusmonitor.api.TestConfigs.quiet()
                .withHealthCheck(NexusConfig.HealthCheck.defaults().withEnabled(false));
        engine = new NexusEngine(config, new EngineOptions(stateDir, false));
        engine.start();
        api = new ApiServer(engine, config, new io.nexusmonitor.metrics.NexusMetrics(engine.registry()), stateDir)
                .start();
    }

    @AfterEach
    void stop() {
        api.close();
        engine.close();
    }

    private void finished(String model, long ttftMs, int out, boolean estimated, Outcome outcome) {
        engine.telemetry()
                .listener()
                .finished(new RequestRecord(
                        "b",
                        "http://127.0.0.1:11434",
                        "gpu-box",
                        model,
                        System.currentTimeMillis(),
                        ttftMs * 1_000_000,
                        ttftMs * 1_000_000,
                        (ttftMs + 2000) * 1_000_000,
                        12,
                        out,
                        estimated,
                        outcome));
    }

    @Test
    void printsOneRowPerBackendAndModelAndATotal() {
        finished("llama3:8b", 120, 200, false, Outcome.OK);
        finished("llama3:8b", 180, 200, false, Outcome.OK);
        finished("qwen2:7b", 40, 50, true, Outcome.OK);
        finished("qwen2:7b", 40, -1, false, Outcome.SERVER_ERROR);

        CliRun run = CliRun.of("stats", "--api", api.address());

        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().split("\n");
        assertThat(lines[0])
                .contains(
                        "BACKEND",
                        "MODEL",
                        "REQUESTS",
                        "ERRORS",
                        "TOKENS IN",
                        "TOKENS OUT",
                        "TTFT P50",
                        "TTFT P95",
                        "TOKENS/S");
        assertThat(lines[1]).startsWith("gpu-box").contains("llama3:8b", " 2 ", " 24 ", " 400 ");
        assertThat(lines[2]).contains("qwen2:7b", "1 (50.0%)", "~50", "40 ms");
        assertThat(lines[3]).startsWith("all").contains(" 4 ", "~450");
        assertThat(run.out()).contains("last 1h", "~ = tokens counted from stream chunks");
    }

    @Test
    void jsonIsTheApiAnswerForTheWindowAsked() throws Exception {
        finished("llama3:8b", 120, 200, false, Outcome.OK);

        CliRun run = CliRun.of("stats", "--json", "--window", "15m", "--api", api.address());

        assertThat(run.exitCode()).isZero();
        var json = io.nexusmonitor.json.BackendJson.MAPPER.readTree(run.out());
        assertThat(json.path("window").asText()).isEqualTo("15m");
        assertThat(json.path("pairs").get(0).path("tokens_out").asLong()).isEqualTo(200);
    }

    @Test
    void saysSoWhenNothingWentThrough() {
        CliRun run = CliRun.of("stats", "--api", api.address());
        assertThat(run.out()).isEqualTo("no requests through the gateway in the last 1h\n");
    }

    @Test
    void aBadWindowIsAUsageError() {
        CliRun run = CliRun.of("stats", "--window", "week", "--api", api.address());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--window must be one of 1m, 15m, 1h, 24h; got 'week'");
    }
}
