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
 * fix: a 23-character service name passed {@code config check} (exit 0) and the engine exited 1;
 * and the engine dropped a {@code [[backends]]} entry beyond {@code max_backends} and cut a name
 * longer than {@code max_name_length} that config check had passed.
 */
class ConfigCheckAgreesWithEngineTest {
    @TempDir
    Path state;

    private static final String SERVER = "[server]\nport = 0\n[health_check]\nenabled = false\n";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[discovery]\nservice_types = [\"_averyveryverylongname._tcp.local\"]\n",
                "[discovery]\nservice_types = [\"_-bad._tcp.local\"]\n",
                "[discovery]\nservice_types = [\"_ollama._sctp.local\"]\n",
                "[discovery]\nallow_subnets = [\"10.0.0.0/33\"]\n",
                "[discovery]\ngrace_period_seconds = -1\n",
                "[limits]\nmax_backends = 1\n[[backends]]\nurl = \"http://127.0.0.1:9\"\n[[backends]]\nurl = \"http://127.0.0.1:10\"\n",
                "[limits]\nmax_name_length = 8\n[[backends]]\nname = \"nine-char\"\nurl = \"http://127.0.0.1:9\"\n",
            })
    void whatTheEngineWouldRefuseConfigCheckRefusesWithAPosition(String section) {
        assertThatThrownBy(() -> ConfigLoader.parse(SERVER + section, null))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .allSatisfy(p -> assertThat(p.line()).isPositive()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
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
                })
                .doesNotThrowAnyException();
    }

    /**
     * Every section at the edges config check accepts (the smallest and the largest value of each
     * key, every word of each choice) starts an engine. Health checks run where the section is
     * {@code [health_check]}; {@code [[backends]]} point at loopback.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "[server]\nport = 0\nrequest_timeout_seconds = 1\nread_timeout_seconds = 1\nmax_connections = 1\n"
                        + "max_buffered_request_mb = 1\nguard_reads = true\napi_token = \"t\"\n",
                "[server]\nport = 0\nhost = \"::1\"\nrequest_timeout_seconds = 2147483647\nread_timeout_seconds = 3600\n"
                        + "max_connections = 1000000\nmax_buffered_request_mb = 1000000\n"
                        + "allowed_hosts = [\"nexus.lan\", \"198.18.0.7\"]\nallowed_origins = [\"http://nexus.lan:8000\"]\n",
                "[server]\nport = 0\n[discovery]\ngrace_period_seconds = 2147483647\ninterfaces = [\"127.0.0.1\"]\n"
                        + "allow_subnets = [\"0.0.0.0/0\", \"::/0\", \"198.18.0.7\"]\nrequire_approval = true\nallow_loopback = true\n",
                "[server]\nport = 0\n[discovery]\nenabled = false\nservice_types = []\n",
                "[server]\nport = 0\n[discovery]\nenabled = false\n[health_check]\ninterval_seconds = 1\ntimeout_seconds = 1\n"
                        + "failure_threshold = 1\nrecovery_threshold = 1\n[[backends]]\nurl = \"http://127.0.0.1:9\"\n",
                "[server]\nport = 0\n[discovery]\nenabled = false\n[health_check]\ninterval_seconds = 2147483647\n"
                        + "timeout_seconds = 2147483647\nfailure_threshold = 2147483647\nrecovery_threshold = 2147483647\n"
                        + "[[backends]]\nurl = \"http://127.0.0.1:9\"\n",
                "[server]\nport = 0\n[discovery]\nenabled = false\n[health_check]\nenabled = false\n"
                        + "[routing]\nstrategy = \"round_robin\"\nmax_retries = 0\ncold_start_seconds = 0\n"
                        + "trust_added_priority = true\n[routing.queue]\nmax_size = 0\nmax_wait_seconds = 1\n",
                "[server]\nport = 0\n[discovery]\nenabled = false\n[health_check]\nenabled = false\n"
                        + "[routing]\nstrategy = \"priority_only\"\nmax_retries = 100\ncold_start_seconds = 3600\n"
                        + "[routing.queue]\nmax_size = 100000\nmax_wait_seconds = 3600\n"
                        + "[routing.aliases]\n\"gpt-4\" = \"a\"\na = \"b\"\n[routing.fallbacks]\nb = [\"c\", \"d\"]\n",
                "[server]\nport = 0\n[discovery]\nenabled = false\n[health_check]\nenabled = false\n"
                        + "[routing]\nstrategy = \"random\"\n[notifications]\nenabled = false\non_found = false\non_removed = false\n"
                        + "[logging]\nlevel = \"trace\"\nformat = \"json\"\n",
                "[server]\nport = 0\n[discovery]\nenabled = false\n[health_check]\nenabled = false\n"
                        + "[[backends]]\nname = \"a\"\nurl = \"http://127.0.0.1:9\"\npriority = 0\nmax_concurrent = 1\nweight = 1\n"
                        + "[[backends]]\nname = \"b\"\nurl = \"http://[::1]:9\"\ntype = \"llamacpp\"\npriority = 2147483647\n"
                        + "max_concurrent = 100000\nweight = 1000000\napi_key = \"k\"\nforward_client_auth = false\n",
                "[server]\nport = 0\n[discovery]\nenabled = false\n[health_check]\nenabled = false\n"
                        + "[limits]\nmax_backends = 1\nmax_models_per_backend = 1\nmax_name_length = 8\nmax_model_id_length = 8\n"
                        + "[[backends]]\nname = \"eight-ch\"\nurl = \"http://127.0.0.1:9\"\n",
                "[server]\nport = 0\n[discovery]\nenabled = false\n[health_check]\nenabled = false\n"
                        + "[limits]\nmax_backends = 1000000\nmax_models_per_backend = 1000000\nmax_name_length = 4096\n"
                        + "max_model_id_length = 4096\n",
            })
    void everySectionAtItsEdgesStartsAnEngine(String toml) throws Exception {
        NexusConfig config = ConfigLoader.parse(toml, null).config();
        try (NexusEngine engine = new NexusEngine(config, new EngineOptions(state, true))) {
            assertThatCode(engine::start).doesNotThrowAnyException();
            assertThat(engine.registry().size()).isEqualTo(config.backends().size());
        }
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
