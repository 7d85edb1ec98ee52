package io.nexusmonitor.app;

import io.nexusmonitor.api.ApiServer;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.control.EngineStatus;
import io.nexusmonitor.discovery.MdnsDiscovery;
import io.nexusmonitor.discovery.SystemLocalNetwork;
import io.nexusmonitor.discovery.logic.AddressPolicy;
import io.nexusmonitor.discovery.logic.DiscoveryConfig;
import io.nexusmonitor.discovery.logic.DiscoveryEvent;
import io.nexusmonitor.discovery.logic.DiscoveryEventHandler;
import io.nexusmonitor.discovery.logic.ExecutorDeadlineScheduler;
import io.nexusmonitor.discovery.logic.ServiceAddresses;
import io.nexusmonitor.health.HealthChecker;
import io.nexusmonitor.health.logic.CheckResult;
import io.nexusmonitor.metrics.NexusMetrics;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.DuplicateBackendException;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryFullException;
import io.nexusmonitor.registry.RegistryLimits;
import io.nexusmonitor.registry.UrlNormalizer;
import io.nexusmonitor.state.PinPersistence;
import io.nexusmonitor.state.PinStore;
import io.nexusmonitor.wake.WakeSender;
import io.nexusmonitor.wake.Waker;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the parts together and owns their lifecycles: registry (with the config's static
 * backends), then the adapters. {@link #close()} stops them in reverse order. The same engine
 * runs behind the window and in {@code --no-gui} mode.
 */
public final class NexusEngine implements BackendControl, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NexusEngine.class);
    /** Longest URL a manual add accepts. */
    public static final int MAX_URL_LENGTH = 2048;

    private final NexusConfig config;
    private final EngineOptions options;
    private final Registry registry;
    /** The one scheduler for grace deadlines and health checks (docs/architecture.md, Threads). */
    private final ScheduledThreadPoolExecutor scheduler;
    /** Discovery's rules: found/removed, grace deadlines, pins. Exists even with discovery off (pins need it). */
    private final DiscoveryEventHandler discoveryHandler;

    private @Nullable PinPersistence pinPersistence;
    /** Null when discovery is off (--no-discovery, [discovery].enabled = false). */
    private volatile @Nullable MdnsDiscovery discovery;

    private volatile @Nullable Instant startedAt;
    private volatile boolean discoveryPaused;
    private volatile @Nullable ApiServer api;
    /** Null when health checks are off: backends then stay unknown. */
    private volatile @Nullable HealthChecker health;
    /** Sends magic packets and watches boxes wake (issue 17). */
    private final Waker waker;
    /** Learns a wakeable box's MAC from /proc/net/arp while it is up (issue 17). */
    private final io.nexusmonitor.wake.NeighbourMacs neighbourMacs;
    /** What GET /metrics shows; the gateway, health checks and discovery record into it. */
    private final NexusMetrics metrics;
    /** What the gateway and the health checks measured (API, metrics, window, history). */
    private final io.nexusmonitor.stats.Telemetry telemetry = new io.nexusmonitor.stats.Telemetry();

    private io.nexusmonitor.state.@Nullable StatsHistory statsHistory;
    /** {@code [federation]}: null without the section (then nothing connects anywhere). */
    private volatile io.nexusmonitor.federation.@Nullable Federation federation;

    private @Nullable AutoCloseable forgetBeats;

    public NexusEngine(NexusConfig config, EngineOptions options) {
        this(config, options, new Registry(Clock.systemUTC(), registryLimits(config.limits())));
    }

    /** {@code [limits]} as the registry holds them. */
    public static RegistryLimits registryLimits(NexusConfig.Limits l) {
        return new RegistryLimits(l.maxBackends(), l.maxModelsPerBackend(), l.maxNameLength(), l.maxModelIdLength());
    }

    public NexusEngine(NexusConfig config, EngineOptions options, Registry registry) {
        this.config = Objects.requireNonNull(config);
        this.options = Objects.requireNonNull(options);
        this.registry = Objects.requireNonNull(registry);
        this.metrics = new NexusMetrics(registry);
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "nexus-scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.discoveryHandler = new DiscoveryEventHandler(
                registry,
                DiscoveryConfig.from(config.discovery()),
                new ExecutorDeadlineScheduler(scheduler, registry.clock()),
                new SystemLocalNetwork());
        this.waker = new Waker(registry, new WakeSender(), scheduler, id -> {
            HealthChecker h = health;
            if (h != null) {
                var unused = h.checkNow(id); // the Waker watches the registry for the result
            }
        });
        this.neighbourMacs = new io.nexusmonitor.wake.NeighbourMacs(
                registry, io.nexusmonitor.wake.NeighbourTable.PROC_NET_ARP, scheduler);
    }

    /** The engine's single scheduler; tasks on it must be short and must not block. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public NexusMetrics metrics() {
        return metrics;
    }

    public NexusConfig config() {
        return config;
    }

    public EngineOptions options() {
        return options;
    }

    /** Starts every enabled part. Throws (after stopping what had started) when a part cannot start. */
    public synchronized void start() {
        startedAt = Instant.now();
        addStaticBackends();
        restorePins();
        startTelemetry();
        if (config.healthCheck().enabled()) {
            health = new HealthChecker(registry, config.healthCheck(), scheduler);
            if (config.federation() != null && !config.federation().checkRemote()) {
                health.skip(b -> b.source() == BackendSource.REMOTE); // their published status is shown
            }
            health.onResult(r -> metrics.recordHealthCheck(healthResultLabel(r)));
            health.onCheck((id, r) -> telemetry
                    .heartbeats()
                    .record(
                            id,
                            new io.nexusmonitor.stats.Heartbeats.Beat(
                                    registry.clock().millis(),
                                    io.nexusmonitor.stats.Heartbeats.Kind.valueOf(
                                            healthResultLabel(r).toUpperCase(java.util.Locale.ROOT)),
                                    r.latencyMs() == null ? Double.NaN : r.latencyMs())));
            health.start();
        }
        if (config.discovery().enabled()) {
            discovery = new MdnsDiscovery(
                    discoveryHandler.config(),
                    e -> {
                        metrics.recordDiscoveryEvent(discoveryKindLabel(e));
                        discoveryHandler.handle(e);
                    },
                    scheduler);
            discovery.start();
            if (discoveryPaused) {
                discovery.setPaused(true);
            }
        }
        NexusConfig.Federation fed = config.federation();
        if (fed != null) {
            io.nexusmonitor.federation.Federation f = new io.nexusmonitor.federation.Federation(
                            fed, registry, discoveryHandler, config.discovery().gracePeriod())
                    .start();
            federation = f;
            metrics.registerFederation(f::status);
        }
        if (options.api()) {
            try {
                api = new ApiServer(this, config, metrics, options.stateDir()).start();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
        log.info(
                "Nexus Monitor {} started with {} static backend(s)",
                Version.get(),
                config.backends().size());
    }

    /** The history database (read back, written once a minute); heartbeat strips go with their backend. */
    private void startTelemetry() {
        statsHistory = io.nexusmonitor.state.StatsHistory.start(options.stateDir(), telemetry.requests());
        forgetBeats = registry.subscribe(e -> {
            if (e.kind() == io.nexusmonitor.registry.RegistryEvent.Kind.BACKEND_REMOVED) {
                telemetry.heartbeats().forget(e.backend().id());
            }
        });
    }

    @Override
    public io.nexusmonitor.stats.Telemetry telemetry() {
        return telemetry;
    }

    /** {@code ok}, {@code loading}, {@code timeout} or {@code failed}: few values, as Prometheus labels should have. */
    static String healthResultLabel(CheckResult r) {
        return switch (r.outcome()) {
            case SUCCESS -> "ok";
            case LOADING -> "loading";
            case FAILURE -> r.cause() != null && r.cause().contains("timeout") ? "timeout" : "failed";
        };
    }

    /** {@code found}, {@code goodbye} or {@code expired}. */
    static String discoveryKindLabel(DiscoveryEvent e) {
        return e instanceof DiscoveryEvent.Removed r ? r.reason().wire() : "found";
    }

    private void addStaticBackends() {
        Instant now = registry.clock().instant();
        for (NexusConfig.StaticBackend s : config.backends()) {
            Backend template = Backend.create("", s.name(), s.url(), s.type(), BackendSource.STATIC, s.priority(), now)
                    .withConfigLocation(s.location())
                    .withSettings(s.settings());
            try {
                registry.add(template, "configured in " + s.location());
            } catch (DuplicateBackendException e) {
                log.warn(
                        "{}: backend '{}' has the same URL as '{}'; keeping the first",
                        s.location(),
                        LogText.of(s.name()),
                        LogText.of(e.existing().name()));
            } catch (RegistryFullException e) {
                log.warn("{}: backend '{}' not added: {}", s.location(), LogText.of(s.name()), e.getMessage());
            }
        }
    }

    /** Pinned backends from the last run come back with their last known data, status unknown. */
    private void restorePins() {
        PinStore store = new PinStore(options.stateDir());
        int skipped = 0;
        RegistryFullException full = null;
        for (Backend pinned : store.load(registry.clock().instant())) {
            try {
                registry.add(pinned, "restored pin");
            } catch (DuplicateBackendException e) {
                log.info(
                        "pinned backend {} is now in the config file; the config entry wins", LogText.of(pinned.url()));
            } catch (RegistryFullException e) {
                skipped++;
                full = e;
            }
        }
        if (full != null) {
            // one line, however many: a pins.json of 100 000 entries must not flood the log
            log.warn("{} pinned backend(s) not restored: {}", skipped, full.getMessage());
        }
        pinPersistence = new PinPersistence(registry, store);
    }

    @Override
    public synchronized void close() {
        // stop order: discovery -> health -> API (docs/architecture.md, Threads)
        waker.close();
        if (federation != null) {
            federation.close(); // first: a clean stop revokes the lease, so the others see a goodbye
            federation = null;
        }
        neighbourMacs.close();
        if (discovery != null) {
            discovery.close();
            discovery = null;
        }
        if (health != null) {
            health.close();
            health = null;
        }
        if (api != null) {
            api.close();
            api = null;
        }
        if (pinPersistence != null) {
            pinPersistence.close();
            pinPersistence = null;
        }
        if (statsHistory != null) {
            statsHistory.close(); // after the API: the last requests are in its final write
            statsHistory = null;
        }
        if (forgetBeats != null) {
            try {
                forgetBeats.close();
            } catch (Exception e) {
                log.debug("unsubscribing the heartbeats failed", e);
            }
            forgetBeats = null;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Nexus Monitor stopped");
    }

    // --- BackendControl -------------------------------------------------------------------------

    @Override
    public Registry registry() {
        return registry;
    }

    /**
     * Adds a backend by URL (API, window, CLI). Refused with a sentence: a URL that is not one,
     * longer than {@value #MAX_URL_LENGTH} characters, a name over {@code [limits] max_name_length},
     * a host that is unspecified, multicast or broadcast, or, with {@code [discovery] allow_subnets}
     * set, one that resolves outside it (loopback then needs a block holding it or
     * {@code allow_loopback}); a full registry is {@link ControlException.Reason#LIMIT_REACHED}.
     */
    @Override
    public Backend addManual(
            String url,
            @Nullable String name,
            @Nullable BackendType type,
            @Nullable Integer priority,
            @Nullable BackendSettings settings) {
        if (url != null && url.length() > MAX_URL_LENGTH) {
            throw new ControlException(
                    ControlException.Reason.INVALID,
                    "the URL is " + url.length() + " characters long; at most " + MAX_URL_LENGTH + " are accepted");
        }
        String normalized;
        try {
            normalized = UrlNormalizer.normalize(url);
        } catch (IllegalArgumentException e) {
            throw new ControlException(
                    ControlException.Reason.INVALID, Objects.requireNonNullElse(e.getMessage(), "not a valid URL"));
        }
        if (priority != null && priority < 0) {
            throw new ControlException(ControlException.Reason.INVALID, "priority must be 0 or more, got " + priority);
        }
        int maxName = registry.limits().maxNameLength();
        if (name != null && name.trim().length() > maxName) {
            throw new ControlException(
                    ControlException.Reason.INVALID,
                    "the name is " + name.trim().length() + " characters long; at most " + maxName
                            + " are accepted ([limits] max_name_length)");
        }
        String host = URI.create(normalized).getHost();
        checkManualHost(host);
        BackendType t = type != null ? type : guessType(normalized);
        String n = name != null && !name.isBlank() ? name.trim() : host;
        Backend template = Backend.create(
                        "",
                        n,
                        normalized,
                        t,
                        BackendSource.MANUAL,
                        priority != null ? priority : Backend.DEFAULT_PRIORITY,
                        registry.clock().instant())
                .withSettings(settings == null ? BackendSettings.DEFAULTS : settings);
        try {
            return registry.add(template, "added by user");
        } catch (DuplicateBackendException e) {
            throw new ControlException(
                    ControlException.Reason.CONFLICT,
                    Objects.requireNonNullElse(e.getMessage(), "the URL is already listed"));
        } catch (RegistryFullException e) {
            throw new ControlException(
                    ControlException.Reason.LIMIT_REACHED,
                    Objects.requireNonNullElse(e.getMessage(), "the registry is full"));
        }
    }

    /** The address rule of {@link AddressPolicy#manualRefusal}; names are resolved only when allow_subnets is set. */
    private void checkManualHost(String host) {
        AddressPolicy policy = discoveryHandler.config().addressPolicy();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses;
        Optional<InetAddress> literal = AddressPolicy.literal(bare);
        if (literal.isPresent()) {
            addresses = List.of(literal.get());
        } else if (policy.restrictsManualAdds()) {
            try {
                addresses = List.of(InetAddress.getAllByName(bare));
            } catch (UnknownHostException e) {
                throw new ControlException(
                        ControlException.Reason.INVALID,
                        "cannot resolve '" + bare
                                + "'; with [discovery] allow_subnets set, a host name must resolve to an address inside it");
            }
        } else {
            return; // a name, and no subnet rule: resolved when probed
        }
        for (InetAddress a : addresses) {
            Optional<String> why = policy.manualRefusal(a);
            if (why.isPresent()) {
                String shown = ServiceAddresses.text(a);
                throw new ControlException(
                        ControlException.Reason.INVALID,
                        "cannot add a backend at " + (shown.equals(bare) ? shown : bare + " (" + shown + ")")
                                + ": the address is " + why.get());
            }
        }
    }

    private static BackendType guessType(String normalizedUrl) {
        return URI.create(normalizedUrl).getPort() == 11434 ? BackendType.OLLAMA : BackendType.GENERIC;
    }

    @Override
    public Backend remove(String id) {
        Backend b = registry.get(id).orElseThrow(() -> ControlException.notFound(id));
        if (b.source() == BackendSource.STATIC) {
            throw new ControlException(
                    ControlException.Reason.CONFLICT,
                    "backend '" + b.name() + "' comes from the config file (" + b.configLocation()
                            + "); remove it there");
        }
        return registry.remove(id, "removed by user").orElseThrow(() -> ControlException.notFound(id));
    }

    @Override
    public Backend pin(String id) {
        return discoveryHandler.pin(id).orElseThrow(() -> ControlException.notFound(id));
    }

    @Override
    public Backend unpin(String id) {
        Backend b = registry.get(id).orElseThrow(() -> ControlException.notFound(id));
        if (b.source() == BackendSource.STATIC) {
            throw new ControlException(
                    ControlException.Reason.CONFLICT,
                    "backend '" + b.name() + "' is defined in " + b.configLocation()
                            + " and is always pinned; remove it from the file instead");
        }
        return discoveryHandler.unpin(id).orElseThrow(() -> ControlException.notFound(id));
    }

    @Override
    public void checkNow(String id) {
        if (registry.get(id).isEmpty()) {
            throw ControlException.notFound(id);
        }
        HealthChecker h = health;
        if (h != null) {
            h.checkNow(id);
        }
    }

    @Override
    public CompletableFuture<Boolean> wake(String id) {
        if (registry.get(id).isEmpty()) {
            throw ControlException.notFound(id);
        }
        try {
            return waker.wake(id);
        } catch (Waker.WakeException e) {
            throw new ControlException(
                    ControlException.Reason.CONFLICT,
                    Objects.requireNonNullElse(e.getMessage(), "the box cannot be woken"));
        }
    }

    @Override
    public void checkAll() {
        HealthChecker h = health;
        if (h != null) {
            h.checkAll();
        }
    }

    @Override
    public void setDiscoveryPaused(boolean paused) {
        discoveryPaused = paused;
        MdnsDiscovery d = discovery;
        if (d != null) {
            d.setPaused(paused);
        }
    }

    @Override
    public List<io.nexusmonitor.discovery.logic.InterfaceTraffic> mdnsTraffic() {
        MdnsDiscovery d = discovery;
        return d == null ? List.of() : d.traffic();
    }

    @Override
    public EngineStatus status() {
        MdnsDiscovery d = discovery;
        String state = !config.discovery().enabled() ? "off" : d == null ? "stopped" : d.state();
        List<String> interfaces = d == null ? List.of() : d.interfaces();
        ApiServer a = api;
        return new EngineStatus(
                Version.get(),
                startedAt,
                state,
                interfaces,
                a == null ? null : a.address(),
                config.healthCheck().enabled(),
                a == null ? 0 : a.queued(),
                federation == null ? null : federation.status());
    }
}
