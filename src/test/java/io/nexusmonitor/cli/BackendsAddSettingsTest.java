package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.api.ApiServer;
import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code backends add --max-concurrent N --weight W --api-key-env NAME}: the CLI reads the variable and sends the key. */
class BackendsAddSettingsTest {
    private static final String SECRET = "sk-from-the-cli-env";

    @TempDir
    Path stateDir;

    private NexusEngine engine;
    private ApiServer api;

    @BeforeEach
    void start() {
        NexusConfig config = io.nexusmonitor.api.TestConfigs.quiet();
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

    private static Consumer<CommandLine> env(Map<String, String> vars) {
        return cl -> ((BackendsCommand.AddCommand) cl.getSubcommands()
                                .get("backends")
                                .getSubcommands()
                                .get("add")
                                .getCommand())
                        .env =
                vars::get;
    }

    @Test
    void theKeyComesFromTheNamedVariableAndIsNeverPrinted() {
        CliRun run = CliRun.of(
                env(Map.of("GPU_KEY", SECRET)),
                "backends",
                "add",
                "http://127.0.0.1:9",
                "--type",
                "vllm",
                "--max-concurrent",
                "4",
                "--weight",
                "2",
                "--api-key-env",
                "GPU_KEY",
                "--api",
                api.address(),
                "--state-dir",
                stateDir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out() + run.err()).doesNotContain(SECRET);
        Backend b = engine.registry().all().get(0);
        assertThat(b.capacity()).isEqualTo(4);
        assertThat(b.settings().weight()).isEqualTo(2);
        assertThat(b.settings().credential().key()).isEqualTo(SECRET);
    }

    @Test
    void aMissingVariableIsAUsageErrorAndNothingIsAdded() {
        CliRun run = CliRun.of(
                env(Map.of()),
                "backends",
                "add",
                "http://127.0.0.1:9",
                "--api-key-env",
                "NOPE",
                "--api",
                api.address(),
                "--state-dir",
                stateDir.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("the environment variable NOPE is not set");
        assertThat(engine.registry().all()).isEmpty();
    }

    @Test
    void aKeyIsNotSentInClearTextToAnInstanceElsewhere() {
        // refused before any request: nothing listens there, and nothing is sent
        CliRun run = CliRun.of(
                env(Map.of("GPU_KEY", SECRET)),
                "backends",
                "add",
                "http://127.0.0.1:9",
                "--api-key-env",
                "GPU_KEY",
                "--api",
                "http://gpu-box.example:8000",
                "--token",
                "t");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not sending a key in clear text").doesNotContain(SECRET);
    }

    @Test
    void aBadCapacityIsRefusedByTheInstance() {
        CliRun run = CliRun.of(
                "backends",
                "add",
                "http://127.0.0.1:9",
                "--max-concurrent",
                "0",
                "--api",
                api.address(),
                "--state-dir",
                stateDir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("max_concurrent");
        assertThat(engine.registry().all()).isEmpty();
    }
}
