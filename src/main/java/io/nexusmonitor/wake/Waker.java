package io.nexusmonitor.wake;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import io.nexusmonitor.registry.WakeOnLan;
import io.nexusmonitor.registry.WakeTargets;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes sleeping boxes: sends the magic packet to a backend's MAC and, while someone waits for it,
 * health-checks it every {@link #RECHECK} until it is healthy or its {@code wake_timeout_seconds}
 * pass. One wake per backend at a time: requests that arrive while it is waking share it.
 */
public final class Waker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Waker.class);
    /** How often a waking box is checked: a box that boots in 30 s is found within 2 s of answering. */
    static final Duration RECHECK = Duration.ofSeconds(2);

    /** Why a wake could not start. */
    public static final class WakeException extends Exception {
        private static final long serialVersionUID = 1L;

        public WakeException(String message) {
            super(message);
        }
    }

    private final Registry registry;
    private final WakeSender sender;
    private final ScheduledExecutorService scheduler;
    private final Consumer<String> checkNow;
    private final Duration recheck;
    private final Map<String, CompletableFuture<Boolean>> waking = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;

    /**
     * @param checkNow health-checks a backend by id now (asynchronously)
     */
    public Waker(Registry registry, WakeSender sender, ScheduledExecutorService scheduler, Consumer<String> checkNow) {
        this(registry, sender, scheduler, checkNow, RECHECK);
    }

    Waker(
            Registry registry,
            WakeSender sender,
            ScheduledExecutorService scheduler,
            Consumer<String> checkNow,
            Duration recheck) {
        this.registry = Objects.requireNonNull(registry);
        this.sender = Objects.requireNonNull(sender);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.checkNow = Objects.requireNonNull(checkNow);
        this.recheck = recheck;
        this.subscription = registry.subscribe(this::onEvent);
    }

    /**
     * Sends the magic packet now and starts checking the box (once per wake; a wake already under way
     * is joined and the packet sent again).
     *
     * @return completes true once the backend is healthy, false when its wake timeout passes or it is removed
     * @throws WakeException when no MAC is known for it or the packet cannot be sent
     */
    public CompletableFuture<Boolean> wake(String id) throws WakeException {
        Backend b = registry.get(id).orElseThrow(() -> new WakeException("no backend with id '" + id + "'"));
        String mac = WakeOnLan.effectiveMac(b);
        if (mac == null) {
            throw new WakeException("backend '" + b.name() + "' has no MAC address: set [[backends]] mac, "
                    + "'backends pin --mac', or let its announce publish TXT mac");
        }
        WakeTargets.Target target = WakeTargets.of(b);
        try {
            sender.send(mac, target);
        } catch (IOException | RuntimeException e) {
            throw new WakeException("the Wake-on-LAN packet for '" + b.name() + "' could not be sent to "
                    + target.host() + ":" + target.port());
        }
        log.info("sent Wake-on-LAN to {} ({}) via {}:{}", LogText.of(b.name()), mac, target.host(), target.port());
        if (b.status() == BackendStatus.HEALTHY) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> f = waking.putIfAbsent(id, mine);
        if (f != null) {
            return f;
        }
        ScheduledFuture<?> poll = scheduler.scheduleWithFixedDelay(
                () -> checkNow.accept(id), 0, recheck.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> timeout =
                scheduler.schedule(() -> mine.complete(false), WakeOnLan.timeoutSeconds(b), TimeUnit.SECONDS);
        var unused = mine.whenComplete((ok, e) -> {
            poll.cancel(false);
            timeout.cancel(false);
            waking.remove(id, mine);
            if (!Boolean.TRUE.equals(ok)) {
                log.warn("{} did not wake within {} s", LogText.of(b.name()), WakeOnLan.timeoutSeconds(b));
            }
        });
        // it may have become healthy between the read above and the registration
        if (registry.get(id).map(x -> x.status() == BackendStatus.HEALTHY).orElse(false)) {
            mine.complete(true);
        }
        return mine;
    }

    /** True while a wake of this backend is under way. */
    public boolean waking(String id) {
        return waking.containsKey(id);
    }

    private void onEvent(RegistryEvent e) {
        CompletableFuture<Boolean> f = waking.get(e.backend().id());
        if (f == null) {
            return;
        }
        if (e.kind() == RegistryEvent.Kind.BACKEND_REMOVED) {
            f.complete(false);
        } else if (e.backend().status() == BackendStatus.HEALTHY) {
            f.complete(true);
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("unsubscribing the waker failed", e);
        }
        waking.values().forEach(f -> f.complete(false));
    }
}
