package io.nexusmonitor.health;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.health.logic.CheckResult;
import io.nexusmonitor.health.logic.HealthCounters;
import io.nexusmonitor.health.logic.HealthThresholds;
import io.nexusmonitor.health.logic.HealthUpdate;
import io.nexusmonitor.health.logic.LatencyEstimate;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.LogOnce;
import io.nexusmonitor.registry.LogText;
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
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
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
 * <p>Resources: one non-blocking HTTP client ({@link Prober}) on a small thread pool, its timers on
 * the engine's scheduler, at most {@link Limits#maxConcurrent} requests in flight (the rest wait in a
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
    private final Limits limits;
    private final HealthThresholds thresholds;
    private final Prober prober;
    /** The announcer's status endpoint, polled after each check (issue 17). */
    private final GpuStatusPoller gpuStatus;

    private final CheckRounds rounds;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    /** Backends whose model list was cut, warned about once each (bounded). */
    private final LogOnce truncationsLogged = new LogOnce(4096);

    private final Semaphore permits;
    private final Queue<Slot> waiting = new ConcurrentLinkedQueue<>();
    private volatile boolean running;
    private @Nullable AutoCloseable subscription;

    /** One backend's check state. */
    private static final class Slot {
        final String id;
        /** The check in flight or waiting for a permit; null when idle. Guarded by this. */
        @Nullable
        CompletableFuture<Optional<Backend>> current;
        /** True once {@link #current} has sent its first request. Guarded by this. */
        boolean started;
        /**
         * A check asked for after {@link #current} started: it runs when that one ends, so a "check
         * now" never gets an answer read before it was asked. At most one. Guarded by this.
         */
        @Nullable
        CompletableFuture<Optional<Backend>> followUp;
        /** Consecutive results; touched only by the one check in flight. */
        @Nullable
        HealthCounters counters;
        /** The latency to show, and the URL its samples were taken from; touched only by the one check in flight. */
        LatencyEstimate latency = new LatencyEstimate();

        @Nullable
        String latencyUrl;

        volatile long lastStartNanos;

        Slot(String id) {
            this.id = id;
        }
    }

    private volatile Consumer<CheckResult> resultListener = r -> {};
    /** Backends this checker leaves alone ({@code [federation] check_remote = false}); none by default. */
    private volatile java.util.function.Predicate<Backend> skipped = b -> false;

    /** Leaves these backends unchecked (their status is set by someone else); set before {@link #start()}. */
    public void skip(java.util.function.Predicate<Backend> which) {
        this.skipped = Objects.requireNonNull(which);
    }

    public HealthChecker(Registry registry, NexusConfig.HealthCheck settings, ScheduledExecutorService scheduler) {
        this(registry, settings, scheduler, Limits.defaults());
    }

    public HealthChecker(
            Registry registry, NexusConfig.HealthCheck settings, ScheduledExecutorService scheduler, Limits limits) {
        this.registry = Objects.requireNonNull(registry);
        this.settings = Objects.requireNonNull(settings);
        Objects.requireNonNull(scheduler);
        this.limits = Objects.requireNonNull(limits);
        this.thresholds = new HealthThresholds(settings.failureThreshold(), settings.recoveryThreshold());
        this.permits = new Semaphore(limits.maxConcurrent());
        this.prober = new Prober(
                settings.timeoutSeconds(),
                settings.intervalSeconds(),
                limits.maxBodyBytes(),
                registry.limits().maxModelsPerBackend(),
                scheduler);
        this.gpuStatus = new GpuStatusPoller(registry, prober, settings.timeoutSeconds());
        this.rounds = new CheckRounds(
                scheduler,
                TimeUnit.SECONDS.toNanos(settings.intervalSeconds()),
                this::periodicCandidates,
                this::periodic);
    }

    /** Receives every check's result (for metrics); set before {@link #start()}; must be quick. */
    public void onResult(Consumer<CheckResult> listener) {
        this.resultListener = Objects.requireNonNull(listener);
    }

    private volatile java.util.function.BiConsumer<String, CheckResult> checkListener = (id, r) -> {};

    /** Receives every check's result with its backend's id (the heartbeat strip); set before {@link #start()}; must be quick. */
    public void onCheck(java.util.function.BiConsumer<String, CheckResult> listener) {
        this.checkListener = Objects.requireNonNull(listener);
    }

    /** Starts the client, checks every backend already registered, and starts the periodic rounds. */
    public synchronized void start() {
        if (running) {
            return;
        }
        prober.start();
        running = true;
        subscription = registry.subscribe(this::onEvent);
        checkAll();
        rounds.start();
        log.info(
                "health checks every {} s (timeout {} s, unhealthy after {} failure(s), healthy again after {} success(es))",
                settings.intervalSeconds(),
                settings.timeoutSeconds(),
                settings.failureThreshold(),
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
            Objects.requireNonNull(subscription).close(); // set by start(), as running is
        } catch (Exception e) {
            log.debug("unsubscribing the health checker failed", e);
        }
        try {
            prober.close();
        } catch (Exception e) {
            log.warn("stopping the health-check HTTP client failed", e);
        }
        // checks still waiting for a permit will never run: let whoever waits on them go
        for (Slot s; (s = waiting.poll()) != null; ) {
            abandon(s);
        }
    }

    private static void abandon(Slot s) {
        CompletableFuture<Optional<Backend>> f;
        CompletableFuture<Optional<Backend>> g;
        synchronized (s) {
            f = s.current;
            g = s.followUp;
            s.current = null;
            s.followUp = null;
        }
        if (f != null) {
            f.complete(Optional.empty());
        }
        if (g != null) {
            g.complete(Optional.empty());
        }
    }

    /**
     * Checks one backend now. A check of it still waiting to start is joined; one already sending
     * gets a single follow-up after it, so the answer is never older than the call. Either way a
     * backend never has more than one check in flight.
     *
     * @return completes after the result is written: the backend as it is then, empty when it is gone
     *         (or the checker stopped)
     */
    public CompletableFuture<Optional<Backend>> checkNow(String id) {
        return request(id, true);
    }

    /**
     * @param fresh false: a check already running will do (the periodic rounds); true: see {@link #checkNow}
     */
    private CompletableFuture<Optional<Backend>> request(String id, boolean fresh) {
        if (!running) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Slot slot = slots.computeIfAbsent(id, Slot::new);
        CompletableFuture<Optional<Backend>> f;
        synchronized (slot) {
            if (slot.current != null) {
                if (!slot.started || !fresh) {
                    return slot.current;
                }
                if (slot.followUp == null) {
                    slot.followUp = new CompletableFuture<>();
                }
                return slot.followUp;
            }
            f = new CompletableFuture<>();
            slot.current = f;
            slot.started = false;
        }
        waiting.add(slot);
        pump();
        return f;
    }

    /** Checks every backend now (bounded by {@link Limits#maxConcurrent}, the rest queue). */
    public CompletableFuture<Void> checkAll() {
        List<CompletableFuture<Optional<Backend>>> all = new ArrayList<>();
        for (Backend b : registry.all()) {
            if (!skipped.test(b)) {
                all.add(checkNow(b.id()));
            }
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /** Checks running or waiting right now (for the bench and the status bar). */
    public int checksInFlight() {
        return limits.maxConcurrent() - permits.availablePermits() + waiting.size();
    }

    /** Threads the checker's HTTP client has right now (at most 8). */
    public int threads() {
        return prober.threads();
    }

    // --- triggers -------------------------------------------------------------------------------

    private void onEvent(RegistryEvent e) {
        switch (e.kind()) {
            case STATUS_CHANGED:
            case BACKEND_UPDATED:
                if (e.previous() == null
                        || e.previous().url().equals(e.backend().url())) {
                    break;
                }
            // moved to another URL (Registry.relocate): check the new address at once; fall through
            case BACKEND_ADDED:
            case GRACE_CANCELLED:
                // the listener runs on the thread that changed the registry: hand off, never block it
                if (skipped.test(e.backend())) {
                    break;
                }
                String id = e.backend().id();
                try {
                    prober.execute(() -> checkNow(id));
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
            if (!b.inGrace() && !skipped.test(b)) { // in grace: discovery says it is gone; status stays unknown
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
        request(id, false);
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
        synchronized (s) {
            s.started = true;
        }
        if (!b.get().url().equals(s.latencyUrl)) { // first check, or moved: another server's answer times
            s.latency = new LatencyEstimate();
            s.latencyUrl = b.get().url();
        }
        prober.probe(b.get(), s.latency.empty()).whenComplete((result, error) -> finish(s, result, error));
    }

    /** Writes a result and ends the check; the check always ends, or its backend would never be checked again. */
    private void finish(Slot s, CheckResult result, Throwable error) {
        Optional<Backend> after = Optional.empty();
        try {
            if (error == null) {
                after = write(s, result);
            } else {
                log.warn("health check of {} failed unexpectedly", s.id, error);
            }
        } catch (RuntimeException e) {
            log.warn("writing the health of {} failed", s.id, e);
        } finally {
            end(s, after.isPresent() ? after : registry.get(s.id));
        }
        after.ifPresent(b -> {
            try {
                gpuStatus.afterCheck(b);
            } catch (RuntimeException e) {
                log.warn("polling the GPU status of {} failed", s.id, e);
            }
        });
    }

    private Optional<Backend> write(Slot s, CheckResult r) {
        Optional<Backend> snapshot = running ? registry.get(s.id) : Optional.empty();
        if (snapshot.isEmpty()) {
            return Optional.empty(); // removed while being checked, or stopping
        }
        Backend before = snapshot.get();
        resultListener.accept(r);
        checkListener.accept(s.id, r);
        HealthCounters counters = s.counters == null ? HealthCounters.start(before.status()) : s.counters;
        var now = registry.clock().instant();
        Double shown = r.outcome() == CheckResult.Outcome.SUCCESS && r.latencyMs() != null
                ? s.latency.add(r.latencyMs())
                : null;
        HealthUpdate planned = HealthUpdate.apply(before, r, counters, thresholds, now, shown);
        // the registry may have changed since the snapshot (discovery, a user): re-apply to what it holds
        Optional<Backend> after = registry.update(
                s.id,
                planned.cause(),
                current -> HealthUpdate.apply(current, r, counters, thresholds, now, shown)
                        .backend());
        after.ifPresent(a -> {
            s.counters = planned.counters().against(a.status());
            log(before, a, planned.cause(), r);
            if (r.modelsDropped() > 0 && truncationsLogged.first(a.id(), log, "backends with truncated model lists")) {
                log.warn("backend {} ({}) {}", LogText.of(a.name()), LogText.of(a.url()), LogText.of(r.error(), 400));
            }
        });
        return after;
    }

    private static void log(Backend before, Backend after, String cause, CheckResult r) {
        if (after.status() != before.status()) {
            String why = r.error() != null ? r.error() : cause;
            log.info(
                    "backend {} ({}) {} -> {}: {}",
                    LogText.of(after.name()),
                    LogText.of(after.url()),
                    before.status().wire(),
                    after.status().wire(),
                    LogText.of(why, 400));
        } else if (log.isDebugEnabled()) {
            log.debug(
                    "backend {} ({}) {}: {} model(s){}{}",
                    LogText.of(after.name()),
                    LogText.of(after.url()),
                    after.status().wire(),
                    after.models().size(),
                    r.latencyMs() == null ? "" : String.format(" in %.1f ms", r.latencyMs()),
                    r.error() == null ? "" : "; " + LogText.of(r.error(), 400));
        }
    }

    /** A check ended (or could not start): free its permit, start its follow-up if one was asked for. */
    private void end(Slot s, Optional<Backend> result) {
        CompletableFuture<Optional<Backend>> f;
        CompletableFuture<Optional<Backend>> dropped = null;
        boolean again;
        synchronized (s) {
            f = s.current;
            again = s.followUp != null && running;
            if (!again) {
                dropped = s.followUp; // stopping: it will never run
            }
            s.current = again ? s.followUp : null;
            s.followUp = null;
            s.started = false;
        }
        permits.release();
        if (again) {
            waiting.add(s);
        }
        pump();
        if (f != null) {
            f.complete(result);
        }
        if (dropped != null) {
            dropped.complete(Optional.empty());
        }
    }
}
