package io.nexusmonitor.config;

import static io.nexusmonitor.config.ConfigFixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.BackendType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per key of the README's 'Configuration': the key is read, with its value, into the records. */
class ConfigLoaderKeysTest {

    private static Arguments key(String key, String toml, Function<NexusConfig, Object> get, Object expected) {
        return Arguments.of(key, toml, get, expected);
    }

    static Stream<Arguments> everyKey() {
        return Stream.of(
                key(
                        "server.host",
                        "[server]\nhost = \"0.0.0.0\"",
                        c -> c.server().host(),
                        "0.0.0.0"),
                key("server.port", "[server]\nport = 9000", c -> c.server().port(), 9000),
                key(
                        "server.request_timeout_seconds",
                        "[server]\nrequest_timeout_seconds = 60",
                        c -> c.server().requestTimeoutSeconds(),
                        60),
                key(
                        "server.api_token",
                        "[server]\napi_token = \"s3cret\"",
                        c -> c.server().apiToken(),
                        "s3cret"),
                key(
                        "server.allowed_hosts",
                        "[server]\nallowed_hosts = [\"Nexus.LAN\", \"fd00::5\", \"box:8443\"]",
                        c -> c.server().allowedHosts(),
                        List.of("nexus.lan", "[fd00::5]", "box:8443")),
                key(
                        "server.allowed_origins",
                        "[server]\nallowed_origins = [\"HTTP://LocalHost:80\", \"https://ui.lan:8443/\"]",
                        c -> c.server().allowedOrigins(),
                        List.of("http://localhost", "https://ui.lan:8443")),
                key(
                        "server.guard_reads",
                        "[server]\nguard_reads = false",
                        c -> c.server().guardReads(),
                        false),
                key(
                        "server.read_timeout_seconds",
                        "[server]\nread_timeout_seconds = 5",
                        c -> c.server().readTimeoutSeconds(),
                        5),
                key(
                        "server.max_connections",
                        "[server]\nmax_connections = 50",
                        c -> c.server().maxConnections(),
                        50),
                key(
                        "server.max_buffered_request_mb",
                        "[server]\nmax_buffered_request_mb = 64",
                        c -> c.server().maxBufferedRequestMb(),
                        64),
                key(
                        "discovery.enabled",
                        "[discovery]\nenabled = false",
                        c -> c.discovery().enabled(),
                        false),
                key(
                        "discovery.service_types",
                        "[discovery]\nservice_types = [\"_vllm._tcp.local\", \"_Exo._TCP.local.\"]",
                        c -> c.discovery().serviceTypes(),
                        List.of("_vllm._tcp.local.", "_exo._tcp.local.")),
                key(
                        "discovery.grace_period_seconds",
                        "[discovery]\ngrace_period_seconds = 0",
                        c -> c.discovery().gracePeriod(),
                        java.time.Duration.ZERO),
                key(
                        "discovery.interfaces",
                        "[discovery]\ninterfaces = [\"lo\", \"127.0.0.1\"]",
                        c -> c.discovery().interfaces(),
                        List.of("lo", "127.0.0.1")),
                key(
                        "discovery.allow_subnets",
                        "[discovery]\nallow_subnets = [\"192.168.1.7/24\", \"FD00::/8\", \"10.0.0.5\"]",
                        c -> c.discovery().allowSubnets(),
                        List.of(Cidr.parse("192.168.1.0/24"), Cidr.parse("fd00::/8"), Cidr.parse("10.0.0.5/32"))),
                key(
                        "discovery.require_approval",
                        "[discovery]\nrequire_approval = true",
                        c -> c.discovery().requireApproval(),
                        true),
                key(
                        "discovery.allow_loopback",
                        "[discovery]\nallow_loopback = true",
                        c -> c.discovery().allowLoopback(),
                        true),
                key(
                        "limits.max_backends",
                        "[limits]\nmax_backends = 5",
                        c -> c.limits().maxBackends(),
                        5),
                key(
                        "limits.max_models_per_backend",
                        "[limits]\nmax_models_per_backend = 10",
                        c -> c.limits().maxModelsPerBackend(),
                        10),
                key(
                        "limits.max_name_length",
                        "[limits]\nmax_name_length = 64",
                        c -> c.limits().maxNameLength(),
                        64),
                key(
                        "limits.max_model_id_length",
                        "[limits]\nmax_model_id_length = 100",
                        c -> c.limits().maxModelIdLength(),
                        100),
                key(
                        "health_check.enabled",
                        "[health_check]\nenabled = false",
                        c -> c.healthCheck().enabled(),
                        false),
                key(
                        "health_check.interval_seconds",
                        "[health_check]\ninterval_seconds = 1",
                        c -> c.healthCheck().intervalSeconds(),
                        1),
                key(
                        "health_check.timeout_seconds",
                        "[health_check]\ntimeout_seconds = 2",
                        c -> c.healthCheck().timeoutSeconds(),
                        2),
                key(
                        "health_check.failure_threshold",
                        "[health_check]\nfailure_threshold = 5",
                        c -> c.healthCheck().failureThreshold(),
                        5),
                key(
                        "health_check.recovery_threshold",
                        "[health_check]\nrecovery_threshold = 1",
                        c -> c.healthCheck().recoveryThreshold(),
                        1),
                key(
                        "routing.strategy",
                        "[routing]\nstrategy = \"round_robin\"",
                        c -> c.routing().strategy(),
                        NexusConfig.Strategy.ROUND_ROBIN),
                key(
                        "routing.max_retries",
                        "[routing]\nmax_retries = 0",
                        c -> c.routing().maxRetries(),
                        0),
                key(
                        "routing.trust_added_priority",
                        "[routing]\ntrust_added_priority = true",
                        c -> c.routing().trustAddedPriority(),
                        true),
                key(
                        "routing.cold_start_seconds",
                        "[routing]\ncold_start_seconds = 3",
                        c -> c.routing().coldStartSeconds(),
                        3.0),
                key(
                        "routing.queue",
                        "[routing.queue]\nmax_size = 8",
                        c -> c.routing().queue().maxSize(),
                        8),
                key(
                        "routing.queue.max_size",
                        "[routing.queue]\nmax_size = 0",
                        c -> c.routing().queue().maxSize(),
                        0),
                key(
                        "routing.queue.max_wait_seconds",
                        "[routing.queue]\nmax_wait_seconds = 5",
                        c -> c.routing().queue().maxWaitSeconds(),
                        5),
                key(
                        "routing.aliases",
                        "[routing.aliases]\n\"gpt-4\" = \"llama3:70b\"\n\"llama3.1\" = \"gpt-4\"",
                        c -> c.routing().aliases(),
                        Map.of("gpt-4", "llama3:70b", "llama3.1", "gpt-4")),
                key(
                        "routing.fallbacks",
                        "[routing.fallbacks]\n\"llama3:70b\" = [\"qwen2:72b\", \"llama3:8b\"]",
                        c -> c.routing().fallbacks(),
                        Map.of("llama3:70b", List.of("qwen2:72b", "llama3:8b"))),
                key(
                        "notifications.enabled",
                        "[notifications]\nenabled = false",
                        c -> c.notifications().enabled(),
                        false),
                key(
                        "notifications.on_found",
                        "[notifications]\non_found = false",
                        c -> c.notifications().onFound(),
                        false),
                key(
                        "notifications.on_degraded",
                        "[notifications]\non_degraded = false",
                        c -> c.notifications().onDegraded(),
                        false),
                key(
                        "notifications.degraded_error_percent",
                        "[notifications]\ndegraded_error_percent = 5",
                        c -> c.notifications().degradedErrorPercent(),
                        5),
                key(
                        "notifications.degraded_ttft_p95_seconds",
                        "[notifications]\ndegraded_ttft_p95_seconds = 30",
                        c -> c.notifications().degradedTtftP95Seconds(),
                        30),
                key(
                        "notifications.on_removed",
                        "[notifications]\non_removed = false",
                        c -> c.notifications().onRemoved(),
                        false),
                key(
                        "logging.level",
                        "[logging]\nlevel = \"DEBUG\"",
                        c -> c.logging().level(),
                        "debug"),
                key(
                        "logging.format",
                        "[logging]\nformat = \"json\"",
                        c -> c.logging().format(),
                        NexusConfig.LogFormat.JSON),
                key(
                        "backends[].name",
                        "[[backends]]\nname = \"gpu\"\nurl = \"http://a\"",
                        c -> c.backends().get(0).name(),
                        "gpu"),
                key(
                        "backends[].url",
                        "[[backends]]\nurl = \"HTTP://GPU-Box:80/\"",
                        c -> c.backends().get(0).url(),
                        "http://gpu-box"),
                key(
                        "backends[].type",
                        "[[backends]]\nurl = \"http://a\"\ntype = \"llama.cpp\"",
                        c -> c.backends().get(0).type(),
                        BackendType.LLAMACPP),
                key(
                        "backends[].priority",
                        "[[backends]]\nurl = \"http://a\"\npriority = 0",
                        c -> c.backends().get(0).priority(),
                        0),
                key(
                        "backends[].max_concurrent",
                        "[[backends]]\nurl = \"http://a\"\nmax_concurrent = 4",
                        c -> c.backends().get(0).maxConcurrent(),
                        4),
                key(
                        "backends[].weight",
                        "[[backends]]\nurl = \"http://a\"\nweight = 2",
                        c -> c.backends().get(0).weight(),
                        2),
                key(
                        "backends[].api_key",
                        "[[backends]]\nurl = \"http://a\"\napi_key = \"sk-1\"",
                        c -> c.backends().get(0).settings().credential().key(),
                        "sk-1"),
                // HOME: a variable every test machine has
                key(
                        "backends[].api_key_env",
                        "[[backends]]\nurl = \"http://a\"\napi_key_env = \"HOME\"",
                        c -> c.backends().get(0).settings().credential().env(),
                        "HOME"),
                key(
                        "backends[].forward_client_auth",
                        "[[backends]]\nurl = \"http://a\"\nforward_client_auth = true",
                        c -> c.backends().get(0).settings().forwardsClientAuth(),
                        true),
                key(
                        "backends[].mac",
                        "[[backends]]\nurl = \"http://a\"\nmac = \"AA:BB:CC:DD:EE:FF\"",
                        c -> c.backends().get(0).settings().wake().mac(),
                        "aa:bb:cc:dd:ee:ff"),
                key(
                        "backends[].wake_on_lan",
                        "[[backends]]\nurl = \"http://a\"\nwake_on_lan = true",
                        c -> c.backends().get(0).settings().wake().enabled(),
                        true),
                key(
                        "backends[].wake_broadcast",
                        "[[backends]]\nurl = \"http://a\"\nwake_broadcast = \"10.0.0.255\"",
                        c -> c.backends().get(0).settings().wake().broadcast(),
                        "10.0.0.255"),
                key(
                        "backends[].wake_timeout_seconds",
                        "[[backends]]\nurl = \"http://a\"\nwake_timeout_seconds = 30",
                        c -> c.backends().get(0).settings().wake().timeoutSeconds(),
                        30),
                key(
                        "federation.etcd_endpoints",
                        "[federation]\netcd_endpoints = [\"127.0.0.1:2379\", \"https://198.18.0.5:2379\"]",
                        c -> c.federation().etcdEndpoints(),
                        List.of("http://127.0.0.1:2379", "https://198.18.0.5:2379")),
                key(
                        "federation.site",
                        F + "site = \"gpu-lab\"",
                        c -> c.federation().site(),
                        "gpu-lab"),
                key(
                        "federation.prefix",
                        F + "prefix = \"/lab/nexus/\"",
                        c -> c.federation().prefix(),
                        "/lab/nexus/"),
                key(
                        "federation.publish",
                        F + "publish = false",
                        c -> c.federation().publish(),
                        false),
                key(
                        "federation.import",
                        F + "import = false",
                        c -> c.federation().importRemote(),
                        false),
                key(
                        "federation.route_remote",
                        F + "route_remote = false",
                        c -> c.federation().routeRemote(),
                        false),
                key(
                        "federation.check_remote",
                        F + "check_remote = false",
                        c -> c.federation().checkRemote(),
                        false),
                key(
                        "federation.ca_file",
                        F + "ca_file = \"/etc/ca.pem\"",
                        c -> c.federation().caFile(),
                        Path.of("/etc/ca.pem")),
                key(
                        "federation.cert_file",
                        F + "cert_file = \"/etc/c.pem\"\nkey_file = \"/etc/k.pem\"",
                        c -> c.federation().certFile(),
                        Path.of("/etc/c.pem")),
                key(
                        "federation.key_file",
                        F + "cert_file = \"/etc/c.pem\"\nkey_file = \"/etc/k.pem\"",
                        c -> c.federation().keyFile(),
                        Path.of("/etc/k.pem")),
                key(
                        "federation.username",
                        F + "username = \"nexus\"\npassword_env = \"PATH\"",
                        c -> c.federation().username(),
                        "nexus"),
                key(
                        "federation.password_env",
                        F + "username = \"nexus\"\npassword_env = \"PATH\"",
                        c -> c.federation().password(),
                        System.getenv("PATH")));
    }

    /** The start of a [federation] section with its one required key. */
    private static final String F = "[federation]\netcd_endpoints = [\"http://127.0.0.1:2379\"]\n";

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKey")
    void readsKey(String key, String toml, Function<NexusConfig, Object> get, Object expected) {
        LoadedConfig lc = load(toml);
        assertThat(get.apply(lc.config())).isEqualTo(expected);
        assertThat(lc.warnings()).isEmpty();
    }

    @Test
    void everyKnownKeyHasARowAbove() {
        Set<String> covered = everyKey().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        Set<String> sections = Set.of(
                "server",
                "discovery",
                "health_check",
                "routing",
                "notifications",
                "logging",
                "backends",
                "limits",
                "federation");
        assertThat(covered)
                .containsExactlyInAnyOrderElementsOf(ConfigLoader.knownKeys().stream()
                        .filter(k -> !sections.contains(k))
                        .toList());
    }

    @Test
    void emptyFileGivesProductDefaults() {
        NexusConfig c = load("").config();
        NexusConfig d = NexusConfig.defaults();
        assertThat(c.server()).isEqualTo(d.server());
        assertThat(c.discovery()).isEqualTo(d.discovery());
        assertThat(c.healthCheck()).isEqualTo(d.healthCheck());
        assertThat(c.routing()).isEqualTo(d.routing());
        assertThat(c.notifications()).isEqualTo(d.notifications());
        assertThat(c.logging()).isEqualTo(d.logging());
        assertThat(c.limits()).isEqualTo(new NexusConfig.Limits(1000, 2000, 128, 256));
        assertThat(c.backends()).isEmpty();
        assertThat(c.source()).isEqualTo(ConfigFixtures.FILE);
    }

    @Test
    void defaultsAreThoseOfTheProductContract() {
        NexusConfig d = NexusConfig.defaults();
        assertThat(d.server()).isEqualTo(new NexusConfig.Server("127.0.0.1", 8000, 300, null));
        assertThat(d.discovery())
                .isEqualTo(new NexusConfig.Discovery(
                        true,
                        List.of("_ollama._tcp.local.", "_llm._tcp.local."),
                        java.time.Duration.ofSeconds(60),
                        List.of(),
                        List.of(),
                        false));
        assertThat(d.healthCheck()).isEqualTo(new NexusConfig.HealthCheck(true, 30, 5, 3, 2));
        assertThat(d.routing().strategy()).isEqualTo(NexusConfig.Strategy.SMART);
        assertThat(d.routing().maxRetries()).isEqualTo(2);
        assertThat(d.logging()).isEqualTo(new NexusConfig.Logging("info", NexusConfig.LogFormat.PRETTY));
    }

    @Test
    void staticBackendGetsDefaultsAndItsFileAndLine() {
        NexusConfig c = load("[server]\nport = 1\n\n[[backends]]\nurl = \"http://gpu-box:11434/\"\n\n"
                        + "[[backends]]\nurl = \"http://198.18.0.2:8080\"\n")
                .config();
        assertThat(c.backends())
                .containsExactly(
                        new NexusConfig.StaticBackend(
                                "gpu-box:11434", "http://gpu-box:11434", BackendType.OLLAMA, 50, "nexus.toml:4"),
                        new NexusConfig.StaticBackend(
                                "198.18.0.2:8080", "http://198.18.0.2:8080", BackendType.GENERIC, 50, "nexus.toml:7"));
    }

    @Test
    void inlineTablesWorkLikeSections() {
        NexusConfig c = load("server = { port = 1234 }\nbackends = [{ url = \"http://a\", name = \"x\" }]\n")
                .config();
        assertThat(c.server().port()).isEqualTo(1234);
        assertThat(c.backends()).extracting(NexusConfig.StaticBackend::name).containsExactly("x");
    }

    @Test
    void aliasChainsAreAllowed() {
        NexusConfig c = load("[routing.aliases]\na = \"b\"\nb = \"c\"\nc = \"llama3:8b\"\n")
                .config();
        assertThat(c.routing().aliases()).containsEntry("a", "b").containsEntry("c", "llama3:8b");
    }

    @Test
    void apiTokenIsOptional() {
        assertThat(load("[server]\nport = 8000\n").config().server().apiToken()).isNull();
    }
}
