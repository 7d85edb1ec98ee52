package io.nexusmonitor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nexusmonitor.config.ConfigException;
import io.nexusmonitor.config.ConfigLoader;
import io.nexusmonitor.config.NexusConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code config check} and the engine never disagree: a file the loader accepts starts an engine,
 * and what the engine would refuse the loader refuses first, with a position. Reproduced before the
 * fix: a 23-character service name passed {@code config check} (exit 0) and the engine exited 1.
 */
class ConfigCheckAgreesWithEngineTest {
    @TempDir
    Path state;

    private static final String SERVER = "[server]\nport = 0\n[health_check]\nenabled = false\n";

    @ParameterizedTest
    @ValueSource(strings = {
        "[discovery]\nservice_types = [\"_averyveryverylongname._tcp.local\"]\n",
        "[discovery]\nservice_types = [\"_-bad._tcp.local\"]\n",
        "[discovery]\nservice_types = [\"_ollama._sctp.local\"]\n",
        "[discovery]\nallow_subnets = [\"10.0.0.0/33\"]\n",
        "[discovery]\ngrace_period_seconds = -1\n",
    })
    void whatTheEngineWouldRefuseConfigCheckRefusesWithAPosition(String section) {
        assertThatThrownBy(() -> ConfigLoader.parse(SERVER + section, null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .allSatisfy(p -> assertThat(p.line()).isPositive()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[discovery]\nservice_types = [\"_fifteencharsab._tcp.local\"]\n",
        "[discovery]\nservice_types = [\"_OLLAMA._TCP.LOCAL.\", \"_llm._udp.local\"]\n",
        "[discovery]\nallow_subnets = [\"127.0.0.0/8\", \"::1/128\"]\ngrace_period_seconds = 0\n",
        "",
    })
    void whatConfigCheckAcceptsStartsAnEngine(String section) throws Exception {
        NexusConfig config = ConfigLoader.parse(SERVER + section, null).config();
        // mDNS stays on 127.0.0.1 in tests (-Dnexus.mdns.loopback-only=true, set by the build)
        assertThatCode(() -> {
            try (NexusEngine engine = new NexusEngine(config, new EngineOptions(state, true))) {
                engine.start();
            }
        }).doesNotThrowAnyException();
    }

    @org.junit.jupiter.api.Test
    void theExampleConfigStartsAnEngine() throws Exception {
        String example = Files.readString(Path.of("nexus.example.toml"));
        NexusConfig config = ConfigLoader.parse(example, null).config();
        NexusConfig quiet = config.withServer(config.server().withPort(0));
        try (NexusEngine engine = new NexusEngine(quiet, new EngineOptions(state, true))) {
            assertThatCode(engine::start).doesNotThrowAnyException();
        }
    }
}
