package io.nexusmonitor.config;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The whole configuration, immutable. {@link #defaults()} is what runs with no file at all;
 * {@link ConfigLoader} builds one from TOML. Keys and defaults are those of the README's 'Configuration'.
 *
 * @param source the file it was read from, null for built-in defaults
 */
public record NexusConfig(
        Server server,
        Discovery discovery,
        HealthCheck healthCheck,
        Routing routing,
        Notifications notifications,
        Logging logging,
        List<StaticBackend> backends,
        @Nullable Path source,
        Limits limits,
        @Nullable Federation federation) {

    public NexusConfig {
        backends = List.copyOf(backends);
        limits = limits == null ? Limits.defaults() : limits;
    }

    /** Without a {@code [federation]} section: this monitor shares nothing. */
    public NexusConfig(
            Server server,
            Discovery discovery,
            HealthCheck healthCheck,
            Routing routing,
            Notifications notifications,
            Logging logging,
            List<StaticBackend> backends,
            @Nullable Path source,
            Limits limits) {
        this(server, discovery, healthCheck, routing, notifications, logging, backends, source, limits, null);
    }

    /** Without a {@code [limits]} section: the default caps. */
    public NexusConfig(
            Server server,
            Discovery discovery,
            HealthCheck healthCheck,
            Routing routing,
            Notifications notifications,
            Logging logging,
            List<StaticBackend> backends,
            @Nullable Path source) {
        this(server, discovery, healthCheck, routing, notifications, logging, backends, source, Limits.defaults());
    }

    public static NexusConfig defaults() {
        return new NexusConfig(
                Server.defaults(),
                Discovery.defaults(),
                HealthCheck.defaults(),
                Routing.defaults(),
                Notifications.defaults(),
                Logging.defaults(),
                List.of(),
                null);
    }

    /**
     * {@code [limits]}: how much the registry holds, whatever the LAN announces or backends answer.
     *
     * @param maxBackends         backends in the registry, of every source
     * @param maxModelsPerBackend models kept per backend; the rest of a longer list is dropped
     * @param maxNameLength       characters of a backend name (longer: refused for manual adds, cut for discovered)
     * @param maxModelIdLength    characters of a model id (longer ones are dropped from a model list)
     */
    public record Limits(int maxBackends, int maxModelsPerBackend, int maxNameLength, int maxModelIdLength) {
        public static Limits defaults() {
            return new Limits(1000, 2000, 128, 256);
        }
    }

    /**
     * @param apiToken          the bearer token for changes (and guarded reads); null = the generated
     *                          {@code api-token} file in the state dir is used
     * @param allowedHosts      Host header names accepted besides loopback and {@code host} ({@link HostNames} form)
     * @param allowedOrigins    browser origins allowed to call the API ({@link HostNames#origin} form)
     * @param guardReads        reads, events, metrics and the gateway need the token too; null = only when
     *                          {@code host} is not loopback
     * @param readTimeoutSeconds how long a request's headers or body may stall before the connection is cut
     * @param maxConnections    open connections at most; more wait in the accept queue
     * @param maxBufferedRequestMb request bodies held in memory at once, across all requests, in MiB
     */
    public record Server(
            String host,
            int port,
            int requestTimeoutSeconds,
            @Nullable String apiToken,
            List<String> allowedHosts,
            List<String> allowedOrigins,
            @Nullable Boolean guardReads,
            int readTimeoutSeconds,
            int maxConnections,
            int maxBufferedRequestMb) {
        public static final int DEFAULT_READ_TIMEOUT_SECONDS = 20;
        public static final int DEFAULT_MAX_CONNECTIONS = 1000;
        public static final int DEFAULT_MAX_BUFFERED_REQUEST_MB = 256;

        public Server {
            allowedHosts = List.copyOf(allowedHosts);
            allowedOrigins = List.copyOf(allowedOrigins);
        }

        /** The four keys the README's 'Configuration' names, the front door's keys at their defaults. */
        public Server(String host, int port, int requestTimeoutSeconds, @Nullable String apiToken) {
            this(
                    host,
                    port,
                    requestTimeoutSeconds,
                    apiToken,
                    List.of(),
                    List.of(),
                    null,
                    DEFAULT_READ_TIMEOUT_SECONDS,
                    DEFAULT_MAX_CONNECTIONS,
                    DEFAULT_MAX_BUFFERED_REQUEST_MB);
        }

        public static Server defaults() {
            return new Server("127.0.0.1", 8000, 300, null);
        }

        public Server withHost(String h) {
            return new Server(
                    h,
                    port,
                    requestTimeoutSeconds,
                    apiToken,
                    allowedHosts,
                    allowedOrigins,
                    guardReads,
                    readTimeoutSeconds,
                    maxConnections,
                    maxBufferedRequestMb);
        }

        public Server withPort(int p) {
            return new Server(
                    host,
                    p,
                    requestTimeoutSeconds,
                    apiToken,
                    allowedHosts,
                    allowedOrigins,
                    guardReads,
                    readTimeoutSeconds,
                    maxConnections,
                    maxBufferedRequestMb);
        }
    }

    /**
     * {@code [discovery]}, checked by {@link ConfigLoader}: every value here is one the engine runs with.
     *
     * @param serviceTypes  distinct, normalised by {@link ServiceTypes}: {@code _ollama._tcp.local.}
     * @param gracePeriod   how long a backend no longer announced stays; zero or more
     * @param interfaces    names or addresses; empty = every up, multicast-capable, non-loopback interface
     * @param allowSubnets  the blocks announced addresses must lie in; empty = any
     */
    public record Discovery(
            boolean enabled,
            List<String> serviceTypes,
            Duration gracePeriod,
            List<String> interfaces,
            List<Cidr> allowSubnets,
            boolean requireApproval,
            boolean allowLoopback) {
        public Discovery {
            serviceTypes = List.copyOf(serviceTypes);
            interfaces = List.copyOf(interfaces);
            allowSubnets = List.copyOf(allowSubnets);
            java.util.Objects.requireNonNull(gracePeriod, "gracePeriod");
        }

        /** With {@code allow_loopback = false}, the default. */
        public Discovery(
                boolean enabled,
                List<String> serviceTypes,
                Duration gracePeriod,
                List<String> interfaces,
                List<Cidr> allowSubnets,
                boolean requireApproval) {
            this(enabled, serviceTypes, gracePeriod, interfaces, allowSubnets, requireApproval, false);
        }

        public static Discovery defaults() {
            return new Discovery(
                    true,
                    List.of("_ollama._tcp.local.", "_llm._tcp.local."),
                    Duration.ofSeconds(60),
                    List.of(),
                    List.of(),
                    false,
                    false);
        }

        public Discovery withEnabled(boolean e) {
            return new Discovery(
                    e, serviceTypes, gracePeriod, interfaces, allowSubnets, requireApproval, allowLoopback);
        }

        public Discovery withInterfaces(List<String> i) {
            return new Discovery(enabled, serviceTypes, gracePeriod, i, allowSubnets, requireApproval, allowLoopback);
        }

        public Discovery withAllowLoopback(boolean a) {
            return new Discovery(enabled, serviceTypes, gracePeriod, interfaces, allowSubnets, requireApproval, a);
        }

        public Discovery withAllowSubnets(List<Cidr> s) {
            return new Discovery(enabled, serviceTypes, gracePeriod, interfaces, s, requireApproval, allowLoopback);
        }
    }

    public record HealthCheck(
            boolean enabled, int intervalSeconds, int timeoutSeconds, int failureThreshold, int recoveryThreshold) {
        public static HealthCheck defaults() {
            return new HealthCheck(true, 30, 5, 3, 2);
        }

        public HealthCheck withEnabled(boolean e) {
            return new HealthCheck(e, intervalSeconds, timeoutSeconds, failureThreshold, recoveryThreshold);
        }
    }

    public enum Strategy {
        SMART,
        ROUND_ROBIN,
        PRIORITY_ONLY,
        RANDOM;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param aliases            requested model -> model to serve it with (chains allowed, no loops)
     * @param fallbacks          model -> models to try, in order, when no healthy backend has it
     * @param trustAddedPriority whether backends added through the API or discovered may outrank
     *                           {@code [[backends]]} by their priority (false: config backends come first)
     * @param coldStartSeconds   {@code smart}'s guess of a model load before one has been observed on that backend
     * @param queue              {@code [routing.queue]}: the gateway's wait line when every backend is busy
     */
    public record Routing(
            Strategy strategy,
            int maxRetries,
            Map<String, String> aliases,
            Map<String, List<String>> fallbacks,
            boolean trustAddedPriority,
            double coldStartSeconds,
            Queue queue) {
        public static final double DEFAULT_COLD_START_SECONDS = 10;

        public Routing {
            aliases = Map.copyOf(aliases);
            fallbacks = Map.copyOf(fallbacks);
            queue = queue == null ? Queue.defaults() : queue;
        }

        public Routing(
                Strategy strategy,
                int maxRetries,
                Map<String, String> aliases,
                Map<String, List<String>> fallbacks,
                boolean trustAddedPriority) {
            this(
                    strategy,
                    maxRetries,
                    aliases,
                    fallbacks,
                    trustAddedPriority,
                    DEFAULT_COLD_START_SECONDS,
                    Queue.defaults());
        }

        /** Added and discovered backends never outrank config backends (the default). */
        public Routing(
                Strategy strategy, int maxRetries, Map<String, String> aliases, Map<String, List<String>> fallbacks) {
            this(strategy, maxRetries, aliases, fallbacks, false);
        }

        public static Routing defaults() {
            return new Routing(Strategy.SMART, 2, Map.of(), Map.of(), false);
        }

        public Routing withQueue(Queue q) {
            return new Routing(strategy, maxRetries, aliases, fallbacks, trustAddedPriority, coldStartSeconds, q);
        }

        public Routing withColdStartSeconds(double s) {
            return new Routing(strategy, maxRetries, aliases, fallbacks, trustAddedPriority, s, queue);
        }
    }

    /**
     * {@code [routing.queue]}: requests wait here, per model, when every backend for their model is
     * at capacity (or waiting is cheaper than loading the model elsewhere).
     *
     * @param maxSize        waiting requests per model; one more is refused with 429 {@code queue_full}
     * @param maxWaitSeconds how long one may wait; then 503 {@code queue_timeout}
     */
    public record Queue(int maxSize, int maxWaitSeconds) {
        public static Queue defaults() {
            return new Queue(256, 60);
        }
    }

    /**
     * @param onDegraded             a notice when a backend's error rate or p95 time to first token over the
     *                               last 15 minutes crosses these thresholds
     * @param degradedErrorPercent   5xx and timeouts, percent of requests (1 to 100)
     * @param degradedTtftP95Seconds p95 time to first token, seconds (1 to 3600)
     */
    public record Notifications(
            boolean enabled,
            boolean onFound,
            boolean onRemoved,
            boolean onDegraded,
            int degradedErrorPercent,
            int degradedTtftP95Seconds) {
        public Notifications(boolean enabled, boolean onFound, boolean onRemoved) {
            this(enabled, onFound, onRemoved, true, 20, 10);
        }

        public static Notifications defaults() {
            return new Notifications(true, true, true);
        }
    }

    public enum LogFormat {
        PRETTY,
        JSON
    }

    /** @param level trace | debug | info | warn | error */
    public record Logging(String level, LogFormat format) {
        public static Logging defaults() {
            return new Logging("info", LogFormat.PRETTY);
        }
    }

    /**
     * One {@code [[backends]]} entry.
     *
     * @param location {@code nexus.toml:42}, where the entry starts, for messages ("defined in ...")
     * @param settings {@code max_concurrent} (capacity, source config), {@code weight}, and the credential from
     *                 {@code api_key} / {@code api_key_env} / {@code forward_client_auth}
     */
    public record StaticBackend(
            String name, String url, BackendType type, int priority, String location, BackendSettings settings) {
        public static final int DEFAULT_PRIORITY = Backend.DEFAULT_PRIORITY;

        public StaticBackend {
            settings = settings == null ? BackendSettings.DEFAULTS : settings;
        }

        /** Without capacity, weight or key. */
        public StaticBackend(String name, String url, BackendType type, int priority, String location) {
            this(name, url, type, priority, location, BackendSettings.DEFAULTS);
        }

        /** {@code max_concurrent}, null when not set. */
        public @Nullable Integer maxConcurrent() {
            return settings.capacity();
        }

        public int weight() {
            return settings.weight();
        }
    }

    public NexusConfig withServer(Server s) {
        return new NexusConfig(
                s, discovery, healthCheck, routing, notifications, logging, backends, source, limits, federation);
    }

    public NexusConfig withDiscovery(Discovery d) {
        return new NexusConfig(
                server, d, healthCheck, routing, notifications, logging, backends, source, limits, federation);
    }

    public NexusConfig withHealthCheck(HealthCheck h) {
        return new NexusConfig(
                server, discovery, h, routing, notifications, logging, backends, source, limits, federation);
    }

    public NexusConfig withLimits(Limits l) {
        return new NexusConfig(
                server, discovery, healthCheck, routing, notifications, logging, backends, source, l, federation);
    }

    public NexusConfig withFederation(@Nullable Federation f) {
        return new NexusConfig(
                server, discovery, healthCheck, routing, notifications, logging, backends, source, limits, f);
    }

    /**
     * {@code [federation]}: share this monitor's backends with monitors of other segments through
     * etcd, and import theirs. Absent: nothing is shared and no connection is made.
     *
     * @param etcdEndpoints  {@code http://host:port} or {@code https://host:port}, at least one
     * @param site           this monitor's name among the others (default: the host name)
     * @param prefix         the etcd key prefix, starting and ending with {@code /}
     * @param publish        write this monitor's own backends to etcd
     * @param importRemote   read the other sites' backends into the registry
     * @param routeRemote    route requests to imported backends
     * @param checkRemote    probe imported backends from here too (else their published status is shown)
     * @param caFile         PEM file of the CA that signed etcd's server certificate, null: the JDK's
     * @param certFile       PEM client certificate (with {@code keyFile}), null: none
     * @param keyFile        PEM PKCS#8 private key of {@code certFile}
     * @param username       etcd user, null: no authentication
     * @param password       that user's password, read from {@code password_env}; never logged
     * @param passwordEnv    the environment variable it came from, for messages
     */
    public record Federation(
            List<String> etcdEndpoints,
            String site,
            String prefix,
            boolean publish,
            boolean importRemote,
            boolean routeRemote,
            boolean checkRemote,
            @Nullable Path caFile,
            @Nullable Path certFile,
            @Nullable Path keyFile,
            @Nullable String username,
            @Nullable String password,
            @Nullable String passwordEnv) {
        public static final String DEFAULT_PREFIX = "/nexus-monitor/";

        public Federation {
            etcdEndpoints = List.copyOf(etcdEndpoints);
        }

        /** Endpoints on loopback, everything else at its default: for tests and the bench. */
        public static Federation of(List<String> endpoints, String site) {
            return new Federation(
                    endpoints, site, DEFAULT_PREFIX, true, true, true, true, null, null, null, null, null, null);
        }

        public Federation withFlags(boolean publish, boolean importRemote, boolean routeRemote, boolean checkRemote) {
            return new Federation(
                    etcdEndpoints,
                    site,
                    prefix,
                    publish,
                    importRemote,
                    routeRemote,
                    checkRemote,
                    caFile,
                    certFile,
                    keyFile,
                    username,
                    password,
                    passwordEnv);
        }

        public Federation withPrefix(String p) {
            return new Federation(
                    etcdEndpoints,
                    site,
                    p,
                    publish,
                    importRemote,
                    routeRemote,
                    checkRemote,
                    caFile,
                    certFile,
                    keyFile,
                    username,
                    password,
                    passwordEnv);
        }

        /** The password never reaches a log line or an exception text. */
        @Override
        public String toString() {
            return "Federation[endpoints=" + etcdEndpoints + ", site=" + site + ", prefix=" + prefix + ", publish="
                    + publish + ", import=" + importRemote + ", route_remote=" + routeRemote + ", check_remote="
                    + checkRemote + ", user=" + username + (password == null ? "" : ", password=(set)") + "]";
        }
    }
}
