package io.nexusmonitor.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlVersion;

/**
 * Reads a TOML config file into a {@link NexusConfig}. Nothing is half-applied: either the whole
 * file is usable (warnings aside) or {@link ConfigException} lists every problem found, each with
 * its key path, line:column and what was expected. Keys and defaults are those of the README's 'Configuration';
 * {@code nexus.example.toml} documents them.
 */
public final class ConfigLoader {
    private static final Map<String, String> LEVELS = new LinkedHashMap<>();
    private static final Map<String, NexusConfig.LogFormat> FORMATS = new LinkedHashMap<>();

    static {
        for (String l : new String[] {"trace", "debug", "info", "warn", "error"}) {
            LEVELS.put(l, l);
        }
        for (NexusConfig.LogFormat f : NexusConfig.LogFormat.values()) {
            FORMATS.put(f.name().toLowerCase(Locale.ROOT), f);
        }
    }

    private ConfigLoader() {}

    public static LoadedConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), "", 0, 0, "no such file")));
        } catch (IOException e) {
            throw new ConfigException(
                    List.of(new ConfigProblem(file.toString(), "", 0, 0, "cannot read the file: " + e.getMessage())));
        }
        return parse(text, file);
    }

    /** @param file where the text came from, for messages and {@link NexusConfig#source()}; may be null */
    public static LoadedConfig parse(String text, Path file) throws ConfigException {
        return parse(text, file, System::getenv);
    }

    /**
     * @param env the environment {@code [[backends]] api_key_env} names are read from (the process's
     *            own, or a map in tests)
     */
    public static LoadedConfig parse(String text, Path file, java.util.function.Function<String, String> env)
            throws ConfigException {
        Diagnostics d = new Diagnostics(file == null ? "<config>" : file.toString());
        NexusConfig config = read(text, file, d, env);
        if (!d.errors().isEmpty()) {
            throw new ConfigException(sorted(d.errors()), sorted(d.warnings()));
        }
        return new LoadedConfig(config, sorted(d.warnings()));
    }

    /**
     * Every key path this loader reads ({@code server.port}, {@code backends[].url},
     * {@code routing.aliases}); the example file is checked against it.
     */
    public static Set<String> knownKeys() {
        // The tables are read only when present: find them first, then read a file that has them all.
        Diagnostics sections = new Diagnostics("<schema>");
        read("", null, sections, name -> null);
        StringBuilder all = new StringBuilder();
        for (String section : sections.knownKeys()) {
            all.append(
                    section.equals("backends") ? "[[backends]]\nurl = \"http://localhost\"\n" : "[" + section + "]\n");
        }
        Diagnostics d = new Diagnostics("<schema>");
        read(all.toString(), null, d, name -> null);
        return Set.copyOf(d.knownKeys());
    }

    private static NexusConfig read(
            String text, @Nullable Path file, Diagnostics d, java.util.function.Function<String, String> env) {
        TomlParseResult toml = Toml.parse(text, TomlVersion.V1_0_0);
        for (TomlParseError e : toml.errors()) {
            d.syntaxError(e.position(), Objects.requireNonNullElse(e.getMessage(), "not valid TOML"));
        }
        TableReader root = new TableReader(d, toml, "", "", null);
        NexusConfig.Server server =
                root.table("server").map(ConfigLoader::server).orElse(NexusConfig.Server.defaults());
        NexusConfig.Discovery discovery =
                root.table("discovery").map(ConfigLoader::discovery).orElse(NexusConfig.Discovery.defaults());
        NexusConfig.HealthCheck health =
                root.table("health_check").map(ConfigLoader::healthCheck).orElse(NexusConfig.HealthCheck.defaults());
        NexusConfig.Routing routing =
                root.table("routing").map(RoutingReader::read).orElse(NexusConfig.Routing.defaults());
        NexusConfig.Notifications notifications = root.table("notifications")
                .map(ConfigLoader::notifications)
                .orElse(NexusConfig.Notifications.defaults());
        NexusConfig.Logging logging =
                root.table("logging").map(ConfigLoader::logging).orElse(NexusConfig.Logging.defaults());
        NexusConfig.Limits limits =
                root.table("limits").map(ConfigLoader::limits).orElse(NexusConfig.Limits.defaults());
        List<NexusConfig.StaticBackend> backends = BackendsReader.read(root, env, limits);
        NexusConfig.Federation federation =
                root.table("federation").map(t -> FederationReader.read(t, env)).orElse(null);
        root.warnUnknownKeys();
        return new NexusConfig(
                server, discovery, health, routing, notifications, logging, backends, file, limits, federation);
    }

    private static NexusConfig.Server server(TableReader t) {
        NexusConfig.Server d = NexusConfig.Server.defaults();
        String host = t.string("host", d.host()).trim();
        if (host.isEmpty() || host.contains("/") || host.chars().anyMatch(Character::isWhitespace)) {
            t.error(
                    "host",
                    "expected a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0, found \"" + host
                            + "\"");
            host = d.host();
        }
        int port = t.integer("port", d.port(), 0, 65535);
        int timeout = t.integer("request_timeout_seconds", d.requestTimeoutSeconds(), 1, Integer.MAX_VALUE);
        String token = t.optionalString("api_token").orElse(null);
        if (token != null && token.isBlank()) {
            t.error("api_token", "expected a non-empty token, or leave the key out");
            token = null;
        }
        List<String> hosts = t.strings("allowed_hosts", d.allowedHosts(), ConfigLoader::allowedHost);
        List<String> origins = t.strings("allowed_origins", d.allowedOrigins(), ConfigLoader::allowedOrigin);
        boolean guard = t.bool("guard_reads", false);
        Boolean guardReads = t.raw("guard_reads") instanceof Boolean ? Boolean.valueOf(guard) : d.guardReads();
        int readTimeout = t.integer("read_timeout_seconds", d.readTimeoutSeconds(), 1, 3600);
        int connections = t.integer("max_connections", d.maxConnections(), 1, 1_000_000);
        int buffered = t.integer("max_buffered_request_mb", d.maxBufferedRequestMb(), 1, 1_000_000);
        t.warnUnknownKeys();
        return new NexusConfig.Server(
                host, port, timeout, token, hosts, origins, guardReads, readTimeout, connections, buffered);
    }

    private static TableReader.Checked allowedHost(String s) {
        return HostNames.authority(s)
                .map(a -> TableReader.Checked.ok(a.toString()))
                .orElse(TableReader.Checked.bad("expected a host name or address as a browser sends it in the Host "
                        + "header, like \"nexus.lan\", \"nexus.lan:8443\" or \"[fd00::5]\", found \"" + s + "\""));
    }

    private static TableReader.Checked allowedOrigin(String s) {
        return HostNames.origin(s)
                .map(TableReader.Checked::ok)
                .orElse(TableReader.Checked.bad(
                        "expected an origin: scheme://host[:port] with http or https and no path, "
                                + "like \"http://localhost:3000\", found \"" + s + "\""));
    }

    private static NexusConfig.Discovery discovery(TableReader t) {
        NexusConfig.Discovery d = NexusConfig.Discovery.defaults();
        boolean enabled = t.bool("enabled", d.enabled());
        List<String> types = t.strings("service_types", d.serviceTypes(), ConfigLoader::serviceType);
        if (enabled && t.raw("service_types") instanceof TomlArray a && a.isEmpty()) {
            t.error(
                    "service_types",
                    "expected at least one service type such as \"_ollama._tcp.local\""
                            + " (to switch discovery off, set enabled = false)");
        }
        List<String> distinct = types.stream().distinct().toList();
        if (distinct.size() < types.size()) {
            t.error("service_types", "a service type is listed twice (after adding the trailing dot): " + types);
        }
        int grace = t.integer("grace_period_seconds", (int) d.gracePeriod().toSeconds(), 0, Integer.MAX_VALUE);
        List<String> interfaces = t.strings(
                "interfaces",
                d.interfaces(),
                s -> s.isBlank()
                        ? TableReader.Checked.bad("expected an interface name or address, found an empty string")
                        : TableReader.Checked.ok(s.trim()));
        List<Cidr> subnets = t
                .strings(
                        "allow_subnets",
                        d.allowSubnets().stream().map(Cidr::toString).toList(),
                        ConfigLoader::subnet)
                .stream()
                .map(Cidr::parse)
                .toList(); // each one checked (and written canonically) by subnet()
        boolean approval = t.bool("require_approval", d.requireApproval());
        boolean loopback = t.bool("allow_loopback", d.allowLoopback());
        t.warnUnknownKeys();
        return new NexusConfig.Discovery(
                enabled, distinct, Duration.ofSeconds(grace), interfaces, subnets, approval, loopback);
    }

    private static NexusConfig.Limits limits(TableReader t) {
        NexusConfig.Limits d = NexusConfig.Limits.defaults();
        int backends = t.integer("max_backends", d.maxBackends(), 1, 1_000_000);
        int models = t.integer("max_models_per_backend", d.maxModelsPerBackend(), 1, 1_000_000);
        int name = t.integer("max_name_length", d.maxNameLength(), 8, 4096);
        int modelId = t.integer("max_model_id_length", d.maxModelIdLength(), 8, 4096);
        t.warnUnknownKeys();
        return new NexusConfig.Limits(backends, models, name, modelId);
    }

    /** Normalised to lower case with the trailing dot JmDNS uses: {@code _ollama._tcp.local.} ({@link ServiceTypes}). */
    static TableReader.Checked serviceType(String s) {
        try {
            return TableReader.Checked.ok(ServiceTypes.normalize(s));
        } catch (IllegalArgumentException e) {
            return TableReader.Checked.bad(Objects.requireNonNullElse(e.getMessage(), "not a service type"));
        }
    }

    private static TableReader.Checked subnet(String s) {
        try {
            return TableReader.Checked.ok(Cidr.parse(s).toString());
        } catch (IllegalArgumentException e) {
            return TableReader.Checked.bad("invalid subnet: " + e.getMessage());
        }
    }

    private static NexusConfig.HealthCheck healthCheck(TableReader t) {
        NexusConfig.HealthCheck d = NexusConfig.HealthCheck.defaults();
        boolean enabled = t.bool("enabled", d.enabled());
        int interval = t.integer("interval_seconds", d.intervalSeconds(), 1, Integer.MAX_VALUE);
        int timeout = t.integer("timeout_seconds", d.timeoutSeconds(), 1, Integer.MAX_VALUE);
        int failures = t.integer("failure_threshold", d.failureThreshold(), 1, Integer.MAX_VALUE);
        int recoveries = t.integer("recovery_threshold", d.recoveryThreshold(), 1, Integer.MAX_VALUE);
        t.warnUnknownKeys();
        return new NexusConfig.HealthCheck(enabled, interval, timeout, failures, recoveries);
    }

    private static NexusConfig.Notifications notifications(TableReader t) {
        NexusConfig.Notifications d = NexusConfig.Notifications.defaults();
        boolean enabled = t.bool("enabled", d.enabled());
        boolean found = t.bool("on_found", d.onFound());
        boolean removed = t.bool("on_removed", d.onRemoved());
        boolean degraded = t.bool("on_degraded", d.onDegraded());
        int errorPercent = t.integer("degraded_error_percent", d.degradedErrorPercent(), 1, 100);
        int ttftSeconds = t.integer("degraded_ttft_p95_seconds", d.degradedTtftP95Seconds(), 1, 3600);
        t.warnUnknownKeys();
        return new NexusConfig.Notifications(enabled, found, removed, degraded, errorPercent, ttftSeconds);
    }

    private static NexusConfig.Logging logging(TableReader t) {
        NexusConfig.Logging d = NexusConfig.Logging.defaults();
        String level = t.word("level", d.level(), LEVELS);
        NexusConfig.LogFormat format = t.word("format", d.format(), FORMATS);
        t.warnUnknownKeys();
        return new NexusConfig.Logging(level, format);
    }

    /** By position, so the list reads top to bottom like the file. */
    private static List<ConfigProblem> sorted(List<ConfigProblem> problems) {
        return problems.stream()
                .sorted(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column))
                .toList();
    }
}
