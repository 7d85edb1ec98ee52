package io.nexusmonitor.api;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.http.IdleStackConnectionPool;
import io.nexusmonitor.http.LazyTlsClientConnector;
import io.nexusmonitor.metrics.NexusMetrics;
import io.nexusmonitor.routing.Circuit;
import io.nexusmonitor.routing.ModelRouter;
import io.nexusmonitor.routing.RequestQueue;
import io.nexusmonitor.routing.RouteStats;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API and OpenAI-compatible gateway on Jetty 12 (core handlers: no servlet layer, since
 * every endpoint is either a small JSON answer or an async stream). It acts only through
 * {@link BackendControl}, so the window and headless mode serve the same thing.
 * {@link #start()} binds; {@link #close()} ends event streams and stops server and client.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final BackendControl control;
    private final ApiSettings settings;
    private final NexusConfig.Routing routing;
    private final NexusMetrics metrics;
    private final TokenGuard guard;
    private final RequestBodies bodies;
    private final Server server;
    private final ServerConnector connector;
    private final HttpClient client;
    private final EventsEndpoint events;
    private final StatsEndpoint stats;
    private final LoopGuard loops;
    private final NexusConfig.HealthCheck health;
    private RequestQueue queue;
    private java.util.concurrent.ScheduledExecutorService queueTimer;
    private AutoCloseable forgetRemoved;
    /** The engine's telemetry, or this server's own when its control has none. */
    private final io.nexusmonitor.stats.Telemetry telemetry;
    /** This server's Prometheus series of every finished request (removed again at close). */
    private final io.nexusmonitor.stats.RequestListener metricsListener;

    /** A server with its own metrics (tests, tools). */
    public ApiServer(BackendControl control, NexusConfig config) {
        this(control, config, new NexusMetrics(control.registry()));
    }

    public ApiServer(BackendControl control, NexusConfig config, NexusMetrics metrics) {
        this(control, ApiSettings.from(config.server()), config.routing(), metrics, config.healthCheck());
    }

    /** As the engine runs it: the token is {@code [server].api_token} or the state dir's {@code api-token} file. */
    public ApiServer(BackendControl control, NexusConfig config, NexusMetrics metrics, java.nio.file.Path stateDir) {
        this(control, ApiSettings.from(config.server(), stateDir), config.routing(), metrics, config.healthCheck());
    }

    public ApiServer(BackendControl control, ApiSettings settings, NexusConfig.Routing routing, NexusMetrics metrics) {
        this(control, settings, routing, metrics, NexusConfig.HealthCheck.defaults());
    }

    /** @param health its {@code failure_threshold} and {@code recovery_threshold} also rule live traffic ({@link Circuit}) */
    @SuppressWarnings("NullAway.Init") // queue, queueTimer and forgetRemoved are set by routes(), called below
    public ApiServer(
            BackendControl control,
            ApiSettings settings,
            NexusConfig.Routing routing,
            NexusMetrics metrics,
            NexusConfig.HealthCheck health) {
        this.health = Objects.requireNonNull(health);
        this.control = Objects.requireNonNull(control);
        this.settings = Objects.requireNonNull(settings);
        this.routing = Objects.requireNonNull(routing);
        this.metrics = Objects.requireNonNull(metrics);
        this.telemetry = control.telemetry() != null ? control.telemetry() : new io.nexusmonitor.stats.Telemetry();
        this.metricsListener = this.metrics::recordFinished;
        telemetry.addListener(metricsListener);
        this.guard = TokenGuard.forBind(
                settings.host(), settings.apiToken(), settings.door().guardReads());
        this.bodies = new RequestBodies(
                settings.door().maxBufferedBytes(),
                settings.door().readTimeout(),
                Duration.ofMillis(Math.max(30_000, settings.requestTimeout().toMillis())));
        // resumes a keep-alive connection on the thread that completed its answer instead of waking
        // another thread for it (see the class)
        QueuedThreadPool pool = new ResumeInPlaceThreadPool(200, 4);
        pool.setName("nexus-api");
        pool.setDaemon(true);
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("nexus-api-scheduler", true);
        server = new Server(pool, scheduler, null);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setHeaderCacheSize(HEADER_CACHE);
        // an absolute-form target whose host differs from Host reaches the handler instead of
        // Jetty's bare 400, so HostAllowList checks both and answers 403 with its sentence
        http.setHttpCompliance(HttpCompliance.RFC9110.with(
                "NEXUS_AUTHORITY_CHECKED_BY_HOST_ALLOW_LIST", HttpCompliance.Violation.MISMATCHED_AUTHORITY));
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        // short while a request arrives and between requests; RequestBodies raises it to the
        // request timeout once a request is in (a streamed answer may pause while a model loads)
        connector.setIdleTimeout(settings.door().readTimeout().toMillis());
        // the kernel's queue of connections not yet accepted: Java's default of 50 overflowed at a
        // burst of new streams (1000 a second on a busy 2-core box: the acceptor thread waits for
        // CPU for a few tens of ms), and each dropped handshake costs its caller a 1 s SYN retry
        // (bench/streams.sh: TTFT p50 2.8 s with thousands of listen overflows). nginx listens
        // with 511; the kernel caps it at net.core.somaxconn.
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        server.addConnector(connector);
        // beyond this many open connections, new ones wait in the accept queue instead of each
        // taking a file descriptor and buffers; idle ones are then cut after the read timeout
        NetworkConnectionLimit limit =
                new NetworkConnectionLimit(settings.door().maxConnections(), connector);
        limit.setEndPointIdleTimeout(settings.door().readTimeout().toMillis());
        server.addBean(limit);
        client = newClient(settings, pool);
        // the gateway never proxies to this server itself; its port is known once started
        loops = new LoopGuard(settings.host(), connector::getLocalPort);
        client.setSocketAddressResolver(loops.resolver(client));
        server.addBean(client); // started and stopped with the server
        stats = new StatsEndpoint(control, telemetry);
        events = new EventsEndpoint(
                control,
                scheduler,
                settings.heartbeat(),
                settings.eventBuffer(),
                telemetry::version,
                () -> stats.statsJson(io.nexusmonitor.stats.Window.M1, false).toString());
        server.setErrorHandler(new JsonErrorHandler());
        server.setHandler(new ApiHandler(
                routes(),
                new HostAllowList(settings.host(), settings.door().allowedHosts(), this::port),
                new OriginPolicy(settings.door().allowedOrigins()),
                guard,
                bodies));
        // stop at once: a stream in flight is cut (its client sees the connection close), not awaited
        server.setStopTimeout(0);
    }

    /** Connections waiting to be accepted, at most (the listen backlog). */
    static final int ACCEPT_QUEUE = 4096;

    /**
     * Entries of Jetty's per-connection cache of header lines (server and client; Jetty's default
     * 1024). The cache saves a few small objects per request on a long keep-alive connection, but
     * each new connection allocated a 100 KB table for it on its first request: at 1000 new
     * streams a second that was over half of all bytes the gateway allocated
     * ({@code bench/streams.sh}, async-profiler), and GC was a third of its CPU. Jetty's static
     * cache of common header fields still applies.
     */
    static final int HEADER_CACHE = 0;

    /** Connections (and the client's own queue) per backend: above any capacity a LAN box has. */
    static final int MAX_CONNECTIONS_PER_BACKEND = 8192;

    private static HttpClient newClient(ApiSettings settings, QueuedThreadPool pool) {
        // TLS is set up on the first https:// backend, not on the path to the first /health answer
        LazyTlsClientConnector connector = new LazyTlsClientConnector();
        // the thread that reads a backend's answer also writes it to the client and, in place,
        // takes that connection's next request (ResumeInPlaceThreadPool): with Jetty's default of
        // one client selector, that one thread was the gateway's bottleneck while the machine had
        // idle CPU. One selector per core (at most 4) spreads the answers.
        connector.setSelectors(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
        // idle connections on a stack instead of Jetty's default pool, which scans every open
        // connection on each acquire (2000 held streams: 3 % of the gateway's CPU); see the class
        transport.setConnectionPoolFactory(IdleStackConnectionPool.factory(MAX_CONNECTIONS_PER_BACKEND));
        // no per-connection header cache: see HEADER_CACHE
        transport.setHeaderCacheSize(HEADER_CACHE);
        HttpClient c = new HttpClient(transport);
        // one pool for server and client: a proxied request hops between them, and fewer idle
        // threads to wake means fewer context switches per request
        c.setExecutor(pool);
        // our response listeners never block (they hand chunks to async writes), so the client may
        // call them on the thread that read the response instead of dispatching to another one
        c.getHttpClientTransport()
                .setInvocationType(org.eclipse.jetty.util.thread.Invocable.InvocationType.NON_BLOCKING);
        // requests wait in the gateway's own queue (RequestQueue: bounded, visible in /api/queue and
        // /metrics), which holds them back once a backend's capacity is known; the client's pool and
        // its hidden per-destination queue are set high enough never to be where they wait
        c.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_BACKEND);
        c.setMaxRequestsQueuedPerDestination(MAX_CONNECTIONS_PER_BACKEND);
        c.setConnectTimeout(Math.min(5_000, settings.requestTimeout().toMillis()));
        c.setIdleTimeout(settings.requestTimeout().toMillis());
        c.setFollowRedirects(false);
        // pass bytes through as the backend sent them (gzip included) instead of decoding and re-encoding
        c.getContentDecoderFactories().clear();
        c.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "nexus-monitor"));
        // a proxy must not keep one user's backend cookies and send them with the next user's
        // request; without a store the client also stops building a URI per request to match them
        c.setHttpCookieStore(new HttpCookieStore.Empty());
        // 100-continue, redirects and 401/407 authentication are the end client's business: pass
        // those answers through instead of looking each response up against the handlers
        c.getProtocolHandlers().clear();
        return c;
    }

    private RouteTable routes() {
        BackendEndpoints backends = new BackendEndpoints(control);
        RouteStats stats = new RouteStats(control.registry());
        // a removed backend's learned figures go with it (discovery may come and go all day)
        forgetRemoved = control.registry().subscribe(e -> {
            if (e.kind() == io.nexusmonitor.registry.RegistryEvent.Kind.BACKEND_REMOVED) {
                stats.forget(e.backend().id());
            }
        });
        ModelRouter router = new ModelRouter(control.registry(), routing, stats);
        queueTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nexus-queue");
            t.setDaemon(true);
            return t;
        });
        queue = new RequestQueue(
                router,
                routing.queue(),
                queueTimer,
                nanos -> metrics.recordQueueWait(nanos / 1e9),
                new SleepingBoxWakes(control));
        Circuit circuit = new Circuit(control.registry(), health.failureThreshold(), health.recoveryThreshold());
        ProxyExchange.Scheduling scheduling = new ProxyExchange.Scheduling(
                stats,
                circuit,
                id -> {
                    try {
                        control.checkNow(id);
                    } catch (RuntimeException gone) {
                        // removed meanwhile: nothing to refresh
                    }
                },
                telemetry.listener());
        GatewayEndpoint gateway =
                new GatewayEndpoint(control, router, client, metrics, settings, loops, queue, scheduling);
        metrics.registerQueue(
                () -> {
                    Map<String, Integer> depths = new java.util.TreeMap<>();
                    for (RequestQueue.ModelQueue q : queue.snapshot()) {
                        depths.put(q.model(), q.depth());
                    }
                    return depths;
                },
                () -> {
                    Map<String, Integer> in = new java.util.TreeMap<>();
                    for (var b : control.registry().all()) {
                        in.merge(b.name(), stats.inFlight(b.id()), Integer::sum);
                    }
                    return in;
                });
        QueueEndpoint queueEndpoint = new QueueEndpoint(control, queue, stats);
        WebFiles web = new WebFiles();
        return new RouteTable()
                .add("GET", "/health", new HealthEndpoint(control))
                .add("GET", "/v1/models", new ModelsEndpoint(control))
                .add("POST", "/v1/chat/completions", gateway)
                .add("POST", "/v1/completions", gateway)
                .add("POST", "/v1/embeddings", gateway)
                .add("GET", "/api/backends", backends::list)
                .add("POST", "/api/backends", backends::add)
                .add("GET", "/api/backends/{id}", ex -> backends.get(ex, this.stats::backendStats))
                .add("DELETE", "/api/backends/{id}", backends::remove)
                .add("POST", "/api/backends/{id}/pin", backends::pin)
                .add("POST", "/api/backends/{id}/unpin", backends::unpin)
                .add("POST", "/api/backends/{id}/wake", backends::wake)
                .add("POST", "/api/backends/{id}/check", backends::check)
                .add("GET", "/api/events", events)
                .add("GET", "/api/queue", queueEndpoint)
                .add("GET", "/api/stats", this.stats)
                .add("GET", "/metrics", new MetricsEndpoint(metrics))
                .add("GET", "/", web)
                .add("GET", "/ui/{file}", web);
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException with the address and the reason when it cannot listen
     */
    public ApiServer start() {
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw new IllegalStateException(
                    "cannot serve the HTTP API on " + settings.host() + ":" + settings.port() + ": " + e.getMessage()
                            + " (choose another with --port or [server].port)",
                    e);
        }
        // what counts as this server's own address, read here and on the queue's timer, never on a request
        if (loops.refresh()) {
            queueTimer.scheduleWithFixedDelay(
                    loops::refresh,
                    LoopGuard.REFRESH_SECONDS,
                    LoopGuard.REFRESH_SECONDS,
                    java.util.concurrent.TimeUnit.SECONDS);
        }
        log.info("HTTP API listening on {}", address());
        if (!guard.tokenConfigured()) {
            log.warn("the HTTP API has no token: changes through it (adding, removing, pinning backends) are refused "
                    + "with 403. Set api_token under [server], or let the state dir's api-token file be written.");
        } else if (guard.guardsReads()) {
            log.info(
                    "every request to the HTTP API but /health needs 'Authorization: Bearer <token>' (guard_reads{})",
                    guard.exposed() ? ", on since it listens on a non-loopback address" : "");
        }
        if (guard.exposed() && !guard.guardsReads()) {
            log.warn(
                    "the HTTP API listens on {}, which is not loopback, with guard_reads = false: anyone who can reach "
                            + "it can list backends and use the gateway",
                    settings.host());
        }
        return this;
    }

    /** The port it listens on (the chosen one when configured as 0), or -1 before start. */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:8000}, with the real port. */
    public String address() {
        String h = settings.host();
        if (h.contains(":") && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port();
    }

    public ApiSettings settings() {
        return settings;
    }

    /** Request body bytes the front door holds right now, across all requests. */
    public long bufferedRequestBytes() {
        return bodies.inUse();
    }

    /** Requests waiting in the gateway's queue now. */
    public int queued() {
        RequestQueue q = queue;
        return q == null ? 0 : q.waiting();
    }

    /** What this server's gateway measured (the engine's telemetry when it has one). */
    public io.nexusmonitor.stats.Telemetry telemetry() {
        return telemetry;
    }

    /** How many {@code /api/events} clients are connected. */
    public int eventSubscribers() {
        return events.subscriberCount();
    }

    @Override
    public void close() {
        telemetry.removeListener(metricsListener);
        events.closeAll();
        if (queueTimer != null) {
            queueTimer.shutdownNow();
        }
        try {
            forgetRemoved.close();
        } catch (Exception e) {
            log.debug("unsubscribing the route stats failed", e);
        }
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("HTTP API did not stop cleanly: {}", e.toString());
        }
    }
}
