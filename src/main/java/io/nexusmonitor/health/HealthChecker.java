package io.nexusmonitor.health;

import io.nexusmonitor.app.Version;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.health.logic.CheckResult;
import io.nexusmonitor.health.logic.HealthCounters;
import io.nexusmonitor.health.logic.HealthThresholds;
import io.nexusmonitor.health.logic.HealthUpdate;
import io.nexusmonitor.health.logic.ProbeRun;
import io.nexusmonitor.health.logic.ProbeStep;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every backend in the registry and writes what it finds back: status (through
 * {@link HealthThresholds}), models, latency, last check and last error.
 *
 * <p>Timing: a backend is checked at once when it is added (found, added by a user, restored) or
 * comes back from its grace period; then periodically in {@link CheckRounds}, spread over the
 * interval. A backend has at most one check in flight: a check due while the previous one still
 * hangs is skipped, so hanging servers never pile up work.
 *
 * <p>Resources: one non-blocking Jetty {@link HttpClient} on a small thread pool, its timers on the
 * engine's scheduler, at most {@link Limits#maxConcurrent} requests in flight (the rest wait in a
 * queue that holds each backend at most once), and bodies read up to {@link Limits#maxBodyBytes}.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    /**
     * @param maxConcurrent checks in flight at once; 256 keeps up with 1000 backends at 30 s even when
     *                      every one of them hangs for a 5 s timeout (1000 / 30 * 5 = 167)
     * @param maxBodyBytes  largest answer read; a model list is kilobytes, 4 MB allows thousands of models
     */
    public record Limits(int maxConcurrent, int maxBodyBytes) {
        public static Limits defaults() {
            return new Limits(256, 4 * 1024 * 1024);
        }
    }

    private final Registry registry;
    private final NexusConfig.HealthCheck settings;
    private final ScheduledExecutorService scheduler;
    private final Limits limits;
    private final HealthThresholds thresholds;
    private final HttpClient client;
    private final QueuedThreadPool pool;
    private final CheckRounds rounds;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Semaphore permits;
    private final Queue<Slot> waiting = new ConcurrentLinkedQueue<>();
    private volatile boolean running;
    private AutoCloseable subscription;

    /** One backend's check state. */
    private static final class Slot {
        final String id;
        /** The check in flight or waiting for a permit; null when idle. Guarded by this. */
        CompletableFuture<Optional<Backend>> current;
        /** Consecutive results; touched only by the one check in flight. */
        HealthCounters counters;
        volatile long lastStartNanos;

        Slot(String id) {
            this.id = id;
        }
    }

    public HealthChecker(Registry registry, NexusConfig.HealthCheck settings, ScheduledExecutorService scheduler) {
        this(registry, settings, scheduler, Limits.defaults());
    }

    public HealthChecker(Registry registry, NexusConfig.HealthCheck settings, ScheduledExecutorService scheduler,
                         Limits limits) {
        this.registry = Objects.requireNonNull(registry);
        this.settings = Objects.requireNonNull(settings);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.limits = Objects.requireNonNull(limits);
        this.thresholds = new HealthThresholds(settings.failureThreshold(), settings.recoveryThreshold());
        this.permits = new Semaphore(limits.maxConcurrent());
        this.pool = newPool();
        this.client = newClient(settings, scheduler, pool);
        this.rounds = new CheckRounds(scheduler, TimeUnit.SECONDS.toNanos(settings.intervalSeconds()),
                this::periodicCandidates, this::periodic);
    }

    /** The client's threads: its selector and the completions; a fixed few, whatever the number of backends. */
    private static QueuedThreadPool newPool() {
        QueuedThreadPool p = new QueuedThreadPool(8, 2);
        p.setName("nexus-health");
        p.setDaemon(true);
        p.setReservedThreads(0);
        return p;
    }

    private static HttpClient newClient(NexusConfig.HealthCheck settings, ScheduledExecutorService scheduler,
                                        QueuedThreadPool pool) {
        HttpClient c = new HttpClient();
        c.setExecutor(pool);
        c.setScheduler(new SharedScheduler(scheduler));
        c.setName("nexus-health");
        c.setConnectTimeout(TimeUnit.SECONDS.toMillis(settings.timeoutSeconds()));
        // connections outlive a check only briefly: at a 30 s interval a kept one would be stale
        // anyway, and 1000 idle sockets would only cost file descriptors
        c.setIdleTimeout(TimeUnit.SECONDS.toMillis(Math.max(1, Math.min(5, settings.intervalSeconds() / 2))));
        c.setFollowRedirects(true);
        c.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "nexus-monitor/" + Version.get()));
        return c;
    }

    /** Starts the client, checks every backend already registered, and starts the periodic rounds. */
    public synchronized void start() {
        if (running) {
            return;
        }
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the health-check HTTP client: " + e.getMessage(), e);
        }
        running = true;
        subscription = registry.subscribe(this::onEvent);
        checkAll();
        rounds.start();
        log.info("health checks every {} s (timeout {} s, unhealthy after {} failure(s), healthy again after {} success(es))",
                settings.intervalSeconds(), settings.timeoutSeconds(), settings.failureThreshold(),
                settings.recoveryThreshold());
    }

    /** Stops checking; checks in flight are aborted and not written. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        rounds.stop();
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("unsubscribing the health checker failed", e);
        }
        try {
            client.stop();
        } catch (Exception e) {
            log.warn("stopping the health-check HTTP client failed", e);
        }
        // checks still waiting for a permit will never run: let whoever waits on them go
        for (Slot s; (s = waiting.poll()) != null; ) {
            CompletableFuture<Optional<Backend>> f;
            synchronized (s) {
                f = s.current;
                s.current = null;
            }
            if (f != null) {
                f.complete(Optional.empty());
            }
        }
    }

    /**
     * Checks one backend now. When a check of it is already running or waiting, returns that one
     * instead of starting another.
     *
     * @return completes after the result is written: the backend as it is then, empty when it is gone
     *         (or the checker stopped)
     */
    public CompletableFuture<Optional<Backend>> checkNow(String id) {
        if (!running) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Slot slot = slots.computeIfAbsent(id, Slot::new);
        CompletableFuture<Optional<Backend>> f;
        synchronized (slot) {
            if (slot.current != null) {
                return slot.current;
            }
            f = new CompletableFuture<>();
            slot.current = f;
        }
        waiting.add(slot);
        pump();
        return f;
    }

    /** Checks every backend now (bounded by {@link Limits#maxConcurrent}, the rest queue). */
    public CompletableFuture<Void> checkAll() {
        List<CompletableFuture<Optional<Backend>>> all = new ArrayList<>();
        for (Backend b : registry.all()) {
            all.add(checkNow(b.id()));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /** Checks running or waiting right now (for the bench and the status bar). */
    public int checksInFlight() {
        return limits.maxConcurrent() - permits.availablePermits() + waiting.size();
    }

    /** Threads the checker's HTTP client has right now (at most 8). */
    public int threads() {
        return pool.getThreads();
    }

    // --- triggers -------------------------------------------------------------------------------

    private void onEvent(RegistryEvent e) {
        switch (e.kind()) {
            case BACKEND_ADDED:
            case GRACE_CANCELLED:
                // the listener runs on the thread that changed the registry: hand off, never block it
                String id = e.backend().id();
                try {
                    scheduler.execute(() -> checkNow(id));
                } catch (RejectedExecutionException ex) {
                    log.debug("not checking {}: shutting down", id);
                }
                break;
            case BACKEND_REMOVED:
                slots.remove(e.backend().id());
                break;
            default:
                break;
        }
    }

    private List<String> periodicCandidates() {
        List<String> ids = new ArrayList<>();
        for (Backend b : registry.all()) {
            if (!b.inGrace()) { // discovery says it is gone; its status stays unknown until it returns or expires
                ids.add(b.id());
            }
        }
        return ids;
    }

    /** A periodic turn: skipped when this backend was checked in the last half interval (added, check now). */
    private void periodic(String id) {
        Slot s = slots.get(id);
        long halfInterval = TimeUnit.SECONDS.toNanos(settings.intervalSeconds()) / 2;
        if (s != null && s.lastStartNanos != 0 && System.nanoTime() - s.lastStartNanos < halfInterval) {
            return;
        }
        checkNow(id);
    }

    // --- running checks -------------------------------------------------------------------------

    /** Starts waiting checks while permits last. */
    private void pump() {
        while (!waiting.isEmpty() && permits.tryAcquire()) {
            Slot s = waiting.poll();
            if (s == null) {
                permits.release();
                return;
            }
            begin(s);
        }
    }

    private void begin(Slot s) {
        Optional<Backend> b = running ? registry.get(s.id) : Optional.empty();
        if (b.isEmpty()) {
            slots.remove(s.id, s);
            end(s, Optional.empty());
            return;
        }
        s.lastStartNanos = System.nanoTime();
        ProbeRun run = ProbeRun.forBackend(b.get(), settings.timeoutSeconds());
        send(s, run);
    }

    private void send(Slot s, ProbeRun run) {
        ProbeStep step = run.current();
        CappedBody body = new CappedBody(limits.maxBodyBytes());
        long t0 = System.nanoTime();
        body.future().whenComplete((answer, error) -> {
            try {
                if (error != null) {
                    run.onFailure(error);
                } else {
                    run.onAnswer(answer.status(), answer.reason(), answer.body(), (System.nanoTime() - t0) / 1e6);
                }
                if (run.done()) {
                    end(s, write(s, run.result()));
                } else {
                    send(s, run);
                }
            } catch (RuntimeException e) {
                log.warn("health check of {} failed unexpectedly", s.id, e);
                end(s, registry.get(s.id));
            }
        });
        try {
            client.newRequest(step.url())
                    .method(HttpMethod.GET)
                    .headers(h -> h.put(HttpHeader.ACCEPT, "application/json"))
                    .timeout(settings.timeoutSeconds(), TimeUnit.SECONDS)
                    .send(body);
        } catch (RuntimeException e) {
            body.future().completeExceptionally(e);
        }
    }

    private Optional<Backend> write(Slot s, CheckResult r) {
        Optional<Backend> snapshot = running ? registry.get(s.id) : Optional.empty();
        if (snapshot.isEmpty()) {
            return Optional.empty(); // removed while being checked, or stopping
        }
        Backend before = snapshot.get();
        HealthCounters counters = s.counters == null ? HealthCounters.start(before.status()) : s.counters;
        var now = registry.clock().instant();
        HealthUpdate planned = HealthUpdate.apply(before, r, counters, thresholds, now);
        // the registry may have changed since the snapshot (discovery, a user): re-apply to what it holds
        Optional<Backend> after = registry.update(s.id, planned.cause(),
                current -> HealthUpdate.apply(current, r, counters, thresholds, now).backend());
        after.ifPresent(a -> {
            s.counters = planned.counters().against(a.status());
            log(before, a, planned.cause(), r);
        });
        return after;
    }

    private static void log(Backend before, Backend after, String cause, CheckResult r) {
        if (after.status() != before.status()) {
            String why = r.error() != null ? r.error() : cause;
            log.info("backend {} ({}) {} -> {}: {}", after.name(), after.url(), before.status().wire(),
                    after.status().wire(), why);
        } else if (log.isDebugEnabled()) {
            log.debug("backend {} ({}) {}: {} model(s){}{}", after.name(), after.url(), after.status().wire(),
                    after.models().size(), r.latencyMs() == null ? "" : String.format(" in %.1f ms", r.latencyMs()),
                    r.error() == null ? "" : "; " + r.error());
        }
    }

    private void end(Slot s, Optional<Backend> result) {
        CompletableFuture<Optional<Backend>> f;
        synchronized (s) {
            f = s.current;
            s.current = null;
        }
        permits.release();
        pump();
        if (f != null) {
            f.complete(result);
        }
    }
}
