package io.nexusmonitor.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.control.FederationStatus;
import io.nexusmonitor.discovery.logic.DiscoveryEventHandler;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code [federation]}: monitors of several segments share one registry through etcd.
 *
 * <p>One thread ({@code nexus-federation}) does everything but read the watch stream: connect,
 * keep the lease alive, claim the site, write ({@link Publisher}) and apply what others wrote
 * ({@link Importer}). Registry listeners only mark backends dirty, so the registry never waits for
 * etcd.
 *
 * <ul>
 *   <li>Lease: {@value #LEASE_TTL_SECONDS} s, kept alive every second; every key this monitor
 *       writes carries it, so a monitor that dies ({@code kill -9}) loses its keys within the TTL
 *       and the others start their grace periods.</li>
 *   <li>Site claim: {@code <prefix>sites/<site>} created with the lease only if absent. A second
 *       monitor with the same site name publishes nothing (one warning, in {@code /health} too) and
 *       retries every second, so it takes over when the first stops. It still imports.</li>
 *   <li>etcd out of reach: one warning; local discovery, health checks and the gateway go on;
 *       remote backends keep their last state and, after {@code grace_period_seconds}, enter their
 *       grace period. Reconnecting resumes the watch after the last revision seen (no event
 *       twice, none lost); when that revision was compacted, or the backends were let go, a range
 *       read resyncs instead.</li>
 * </ul>
 */
public final class Federation implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Federation.class);
    static final int LEASE_TTL_SECONDS = 5;
    /** Writes of one backend are at least this far apart; the first change of a quiet spell goes at once. */
    static final long COALESCE_MS = 100;

    private static final long RETRY_MS = 1000;
    private static final int PAGE = 1000;

    private final NexusConfig.Federation config;
    private final Registry registry;
    private final DiscoveryEventHandler grace;
    private final Duration gracePeriod;
    private final String backendsPrefix;
    private final String siteKey;
    private final String instance = UUID.randomUUID().toString();
    private final Publisher publisher;
    private final Importer importer;
    private final ScheduledThreadPoolExecutor thread;
    private final EtcdGateway etcd;

    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();

    // federation thread only, volatile where status() reads it
    private volatile String state = "connecting";
    private volatile @Nullable String lastProblem;
    private volatile @Nullable Instant unreachableSince;
    private volatile int members;
    private volatile @Nullable String conflict;
    private long lease;
    private boolean claimHeld;
    private long lastRevision;
    private boolean resyncNeeded = true;
    private int watchGeneration;
    private EtcdGateway.@Nullable Watch watch;
    private @Nullable ScheduledFuture<?> pendingFlush;
    private long lastFlushNanos;
    private @Nullable ScheduledFuture<?> partitionGrace;
    private @Nullable ScheduledFuture<?> pendingRetry;
    private @Nullable AutoCloseable subscription;
    private volatile boolean closed;

    public Federation(
            NexusConfig.Federation config, Registry registry, DiscoveryEventHandler grace, Duration gracePeriod) {
        this.config = Objects.requireNonNull(config);
        this.registry = Objects.requireNonNull(registry);
        this.grace = Objects.requireNonNull(grace);
        this.gracePeriod = Objects.requireNonNull(gracePeriod);
        this.backendsPrefix = config.prefix() + "backends/";
        this.siteKey = config.prefix() + "sites/" + config.site();
        this.publisher = new Publisher(registry, backendsPrefix, config.site());
        this.importer = new Importer(registry, grace, backendsPrefix, config.routeRemote(), config.checkRemote());
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "nexus-federation");
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        this.etcd = new EtcdGateway(
                config.etcdEndpoints(),
                TlsFiles.context(config),
                config.username(),
                config.password(),
                Duration.ofSeconds(2));
    }

    /** Connects in the background; never throws for an etcd that is not there (that is a partition). */
    public Federation start() {
        try {
            etcd.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the etcd client: " + EtcdGateway.reason(e), e);
        }
        grace.setPublished(importer::publishes);
        if (config.publish()) {
            subscription = registry.subscribe(this::onRegistryEvent);
        }
        thread.execute(this::connect);
        thread.scheduleWithFixedDelay(this::tick, 1000, 1000, TimeUnit.MILLISECONDS);
        log.info(
                "federation: site {} through etcd at {} (publish {}, import {})",
                config.site(),
                String.join(", ", config.etcdEndpoints()),
                config.publish(),
                config.importRemote());
        return this;
    }

    @Override
    public void close() {
        closed = true;
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.debug("unsubscribing the federation failed", e);
            }
        }
        try {
            thread.submit(() -> {
                        closeWatch();
                        if (lease != 0 && "connected".equals(state)) {
                            try {
                                // our keys go now, not a TTL later: a clean stop is a goodbye
                                etcd.call(
                                        "/v3/lease/revoke",
                                        EtcdGateway.MAPPER.createObjectNode().put("ID", lease));
                            } catch (EtcdGateway.EtcdException e) {
                                log.debug("revoking the lease failed: {}", e.getMessage());
                            }
                        }
                    })
                    .get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("federation stop: {}", EtcdGateway.reason(e));
        }
        thread.shutdownNow();
        etcd.close();
    }

    public FederationStatus status() {
        int sites = importer.otherSites();
        int remote = importer.remoteBackends();
        String s = state;
        String text;
        if (s.equals("connected")) {
            text = "connected to " + members + " etcd endpoint" + (members == 1 ? "" : "s") + ", " + sites
                    + " other site" + (sites == 1 ? "" : "s") + ", " + remote + " remote backend"
                    + (remote == 1 ? "" : "s");
        } else if (s.equals("unreachable")) {
            text = "etcd unreachable since " + unreachableSince + " (" + lastProblem + "); " + remote
                    + " remote backend" + (remote == 1 ? "" : "s") + " kept";
        } else {
            text = "connecting to etcd at " + String.join(", ", config.etcdEndpoints());
        }
        String c = conflict;
        if (c != null) {
            text += "; " + c;
        }
        return new FederationStatus(
                s,
                text,
                config.site(),
                members,
                sites,
                remote,
                publisher.published(),
                c,
                writes.get(),
                events.get(),
                reconnects.get());
    }

    // --- connection -----------------------------------------------------------------------------

    private void connect() {
        pendingRetry = null;
        if (closed || state.equals("connected")) {
            return;
        }
        try {
            members = Math.max(
                    1,
                    etcd.call("/v3/cluster/member/list", EtcdGateway.MAPPER.createObjectNode())
                            .path("members")
                            .size());
            if (config.publish()) {
                keepOrGrantLease();
                claimSite();
            }
            if (config.importRemote()) {
                if (resyncNeeded) {
                    resync();
                }
                startWatch();
            }
            boolean again = unreachableSince != null;
            state = "connected";
            unreachableSince = null;
            lastProblem = null;
            if (partitionGrace != null) {
                partitionGrace.cancel(false);
                partitionGrace = null;
            }
            if (again) {
                reconnects.incrementAndGet();
                log.info("federation: etcd reachable again at {}; {}", etcd.endpoint(), status().text());
            } else {
                log.info("federation: {}", status().text());
            }
            flushNow();
        } catch (EtcdGateway.EtcdException e) {
            lost(e.getMessage());
        }
    }

    private void lost(@Nullable String why) {
        closeWatch();
        if (closed) {
            return;
        }
        boolean wasUp = !state.equals("unreachable");
        state = "unreachable";
        lastProblem = why;
        if (unreachableSince == null) {
            unreachableSince = Instant.now();
        }
        if (wasUp) {
            // one warning per outage, not one per retry
            log.warn(
                    "federation: etcd unreachable ({}); local discovery and routing go on, remote backends keep"
                            + " their last state and enter their grace period after {} s; retrying every {} s",
                    LogText.of(Objects.requireNonNullElse(why, "no answer")),
                    gracePeriod.toSeconds(),
                    RETRY_MS / 1000);
            if (partitionGrace == null && config.importRemote()) {
                partitionGrace = thread.schedule(this::letRemoteGo, gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (pendingRetry == null || pendingRetry.isDone()) {
            // one retry chain, however many parts noticed the outage
            pendingRetry = thread.schedule(this::connect, RETRY_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void letRemoteGo() {
        partitionGrace = null;
        if (state.equals("connected")) {
            return;
        }
        importer.forgetAll("etcd unreachable for " + gracePeriod.toSeconds() + " s");
        resyncNeeded = true; // what is still published is known again only from a range read
    }

    private void keepOrGrantLease() throws EtcdGateway.EtcdException {
        if (lease != 0 && keepAlive()) {
            return;
        }
        JsonNode r = etcd.call(
                "/v3/lease/grant", EtcdGateway.MAPPER.createObjectNode().put("TTL", LEASE_TTL_SECONDS));
        lease = r.path("ID").asLong();
        claimHeld = false;
        publisher.forgetWritten();
    }

    /** @return false when the lease is gone (expired while etcd was out of reach, or etcd lost it) */
    private boolean keepAlive() throws EtcdGateway.EtcdException {
        JsonNode r = etcd.call(
                "/v3/lease/keepalive", EtcdGateway.MAPPER.createObjectNode().put("ID", lease));
        return r.path("result").path("TTL").asLong(0) > 0;
    }

    private void claimSite() throws EtcdGateway.EtcdException {
        ObjectNode value = EtcdGateway.MAPPER
                .createObjectNode()
                .put("instance", instance)
                .put("since", Instant.now().toString());
        ObjectNode txn = EtcdGateway.MAPPER.createObjectNode();
        txn.putArray("compare")
                .addObject()
                .put("key", EtcdGateway.b64(siteKey))
                .put("target", "CREATE")
                .put("create_revision", "0");
        txn.putArray("success")
                .addObject()
                .putObject("request_put")
                .put("key", EtcdGateway.b64(siteKey))
                .put("value", EtcdGateway.b64(value.toString()))
                .put("lease", Long.toString(lease));
        txn.putArray("failure").addObject().putObject("request_range").put("key", EtcdGateway.b64(siteKey));
        JsonNode r = etcd.call("/v3/kv/txn", txn);
        boolean held;
        if (r.path("succeeded").asBoolean(false)) {
            held = true;
        } else {
            JsonNode kv = r.path("responses")
                    .path(0)
                    .path("response_range")
                    .path("kvs")
                    .path(0);
            held = kv.path("lease").asLong() == lease;
        }
        if (held && !claimHeld) {
            if (conflict != null) {
                log.info("federation: site {} is free again; publishing this monitor's backends", config.site());
            }
            conflict = null;
            publisher.forgetWritten();
        } else if (!held && conflict == null) {
            conflict = "another monitor publishes as site " + config.site()
                    + "; this one publishes nothing until it stops (give each monitor its own [federation] site)";
            log.warn("federation: {}", conflict);
        }
        claimHeld = held;
    }

    // --- import ---------------------------------------------------------------------------------

    private void resync() throws EtcdGateway.EtcdException {
        Map<String, String> now = new LinkedHashMap<>();
        String from = EtcdGateway.b64(backendsPrefix);
        String end = EtcdGateway.rangeEnd(backendsPrefix);
        long revision = 0;
        while (true) {
            ObjectNode q = EtcdGateway.MAPPER
                    .createObjectNode()
                    .put("key", from)
                    .put("range_end", end)
                    .put("limit", PAGE);
            if (revision != 0) {
                q.put("revision", revision); // every page from the same snapshot
            }
            JsonNode r = etcd.call("/v3/kv/range", q);
            if (revision == 0) {
                revision = r.path("header").path("revision").asLong();
            }
            String last = null;
            for (JsonNode kv : r.path("kvs")) {
                last = EtcdGateway.unb64(kv.path("key").asText());
                if (!own(last, kv)) {
                    now.put(last, EtcdGateway.unb64(kv.path("value").asText("")));
                }
            }
            if (!r.path("more").asBoolean(false) || last == null) {
                break;
            }
            from = EtcdGateway.b64(last + "\0");
        }
        importer.resync(now);
        events.addAndGet(now.size());
        lastRevision = revision;
        resyncNeeded = false;
    }

    /**
     * This monitor's own key, never imported: written with its lease, or under its site while it
     * holds the site (a key of its own from before a new lease, about to expire).
     */
    private boolean own(String key, JsonNode kv) {
        return (lease != 0 && kv.path("lease").asLong() == lease) || (claimHeld && key.startsWith(publisher.keyOf("")));
    }

    private void startWatch() {
        closeWatch();
        int generation = ++watchGeneration;
        ObjectNode create = EtcdGateway.MAPPER
                .createObjectNode()
                .put("key", EtcdGateway.b64(backendsPrefix))
                .put("range_end", EtcdGateway.rangeEnd(backendsPrefix))
                .put("start_revision", lastRevision + 1)
                .put("progress_notify", true);
        watch = etcd.watch(
                create,
                m -> thread.execute(() -> onWatch(generation, m)),
                why -> thread.execute(() -> {
                    if (generation == watchGeneration && state.equals("connected")) {
                        lost(why);
                    }
                }));
    }

    private void closeWatch() {
        watchGeneration++;
        EtcdGateway.Watch w = watch;
        watch = null;
        if (w != null) {
            w.close();
        }
    }

    private void onWatch(int generation, JsonNode m) {
        if (generation != watchGeneration) {
            return;
        }
        if (m.path("compact_revision").asLong(0) > 0) {
            // the revision to resume from is gone: what etcd holds now, from a range read
            log.info("federation: etcd compacted past revision {}; reading the whole registry again", lastRevision);
            try {
                resync();
                startWatch();
            } catch (EtcdGateway.EtcdException e) {
                lost(e.getMessage());
            }
            return;
        }
        JsonNode evs = m.path("events");
        if (evs.isEmpty()) {
            long rev = m.path("header").path("revision").asLong(0);
            if (!m.path("created").asBoolean(false) && rev > lastRevision) {
                lastRevision = rev; // a progress notice: nothing happened up to here
            }
            return;
        }
        for (JsonNode e : evs) {
            JsonNode kv = e.path("kv");
            String key = EtcdGateway.unb64(kv.path("key").asText());
            long rev = kv.path("mod_revision").asLong(0);
            if ("DELETE".equals(e.path("type").asText())) {
                importer.delete(key);
            } else if (!own(key, kv)) {
                importer.put(key, EtcdGateway.unb64(kv.path("value").asText("")));
            }
            events.incrementAndGet();
            lastRevision = Math.max(lastRevision, rev);
        }
    }

    // --- publish --------------------------------------------------------------------------------

    private void onRegistryEvent(RegistryEvent e) {
        Backend b = e.backend();
        Backend before = e.previous();
        if (Publisher.owned(b) || (before != null && Publisher.owned(before))) {
            if (publisher.markDirty(b.id()) && !closed) {
                thread.execute(this::scheduleFlush);
            }
        }
    }

    /** At most one write per {@value #COALESCE_MS} ms: the first change of a quiet spell goes at once. */
    private void scheduleFlush() {
        if (pendingFlush != null) {
            return;
        }
        long wait = COALESCE_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFlushNanos);
        if (wait <= 0) {
            flushNow();
        } else {
            pendingFlush = thread.schedule(
                    () -> {
                        pendingFlush = null;
                        flushNow();
                    },
                    wait,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void flushNow() {
        if (!config.publish() || !claimHeld || !state.equals("connected") || !publisher.hasDirty()) {
            return;
        }
        lastFlushNanos = System.nanoTime();
        try {
            writes.addAndGet(publisher.flush(etcd, lease));
        } catch (EtcdGateway.EtcdException e) {
            lost(e.getMessage());
        }
    }

    private void tick() {
        if (closed || !state.equals("connected")) {
            return;
        }
        try {
            if (config.publish()) {
                if (!keepAlive()) {
                    log.warn("federation: the etcd lease expired; publishing again under a new one");
                    lease = 0;
                    keepOrGrantLease();
                }
                if (!claimHeld) {
                    claimSite();
                }
                publisher.markAllOwned(); // in-flight counts change without a registry event
                scheduleFlush();
            }
        } catch (EtcdGateway.EtcdException e) {
            lost(e.getMessage());
        }
    }
}
