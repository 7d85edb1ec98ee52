package io.nexusmonitor.discovery;

import io.nexusmonitor.discovery.logic.DiscoveryConfig;
import io.nexusmonitor.discovery.logic.DiscoveryEvent;
import io.nexusmonitor.discovery.logic.InstanceKey;
import io.nexusmonitor.discovery.logic.InterfaceChoice;
import io.nexusmonitor.discovery.logic.ServiceTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mDNS / DNS-SD discovery with JmDNS: one browser per chosen interface address, their events
 * merged by a {@link ServiceTable} and handed to the rules as {@link DiscoveryEvent}s.
 *
 * <p>The interfaces are looked at again every few seconds on the engine's scheduler: one that
 * comes up is browsed, one that goes away is dropped (what only it saw expires, so those backends
 * enter their grace period rather than vanish). If no interface can be used, one warning says so
 * and everything else keeps running. JmDNS is opened and closed on one thread of our own, never on
 * the scheduler, because both can take a moment.
 */
public final class MdnsDiscovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MdnsDiscovery.class);
    static final long INTERFACE_POLL_MS = 5000;
    static final long REAP_INTERVAL_MS = 100;
    /**
     * After a browser was rebuilt, how long its new JmDNS has to hear every service again (its
     * queries go out within the first second, answers and the TXT wait take another); what it has
     * not heard by then expired while the old one was deaf.
     */
    static final long RESYNC_MS = 8000;
    /** How long a direct question about a service not heard again gets before it expires. */
    static final long ASK_AGAIN_MS = 3000;

    private static final String HOST_NAME = "nexus-monitor";
    /** System property that confines mDNS to loopback addresses (set for the test suite). */
    public static final String LOOPBACK_ONLY = "nexus.mdns.loopback-only";

    private final DiscoveryConfig config;
    private final ScheduledExecutorService scheduler;
    private final Supplier<List<InterfaceChoice.Nic>> nics;
    private final ServiceTable table;
    private final Map<InterfaceChoice.Target, InterfaceBrowser> browsers =
            Collections.synchronizedMap(new LinkedHashMap<>());
    private final Set<String> failuresLogged = new HashSet<>();
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nexus-mdns");
        t.setDaemon(true);
        return t;
    });
    private volatile @Nullable String unavailable;
    private boolean unavailableLogged;
    private @Nullable ScheduledFuture<?> poll;
    private @Nullable ScheduledFuture<?> reaper;
    private volatile boolean closed;

    public MdnsDiscovery(DiscoveryConfig config, Consumer<DiscoveryEvent> sink, ScheduledExecutorService scheduler) {
        this(config, sink, scheduler, SystemInterfaces::list);
    }

    MdnsDiscovery(
            DiscoveryConfig config,
            Consumer<DiscoveryEvent> sink,
            ScheduledExecutorService scheduler,
            Supplier<List<InterfaceChoice.Nic>> nics) {
        this.config = Objects.requireNonNull(config);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.nics = nics;
        this.table = new ServiceTable(sink);
    }

    /** Opens the browsers (waiting for the first round, so the state is known) and starts polling. */
    public synchronized void start() {
        try {
            io.submit(this::refresh).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            log.warn("mDNS discovery is slow to start ({}); it goes on in the background", e.toString());
        }
        poll = scheduler.scheduleWithFixedDelay(
                () -> io.execute(this::refresh), INTERFACE_POLL_MS, INTERFACE_POLL_MS, TimeUnit.MILLISECONDS);
        reaper =
                scheduler.scheduleAtFixedRate(this::reapAll, REAP_INTERVAL_MS, REAP_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** {@code running}, {@code paused} or {@code unavailable: <why>}. */
    public String state() {
        String u = unavailable;
        if (u != null) {
            return "unavailable: " + u;
        }
        return table.paused() ? "paused" : "running";
    }

    /** The interface addresses browsed now, {@code eth0 192.168.1.5}. */
    public List<String> interfaces() {
        List<String> out = new ArrayList<>();
        synchronized (browsers) {
            for (InterfaceChoice.Target t : browsers.keySet()) {
                out.add(t.label());
            }
        }
        return out;
    }

    /** What each browsed interface address has heard (any mDNS answer at all), in interface order. */
    public List<io.nexusmonitor.discovery.logic.InterfaceTraffic> traffic() {
        List<io.nexusmonitor.discovery.logic.InterfaceTraffic> out = new ArrayList<>();
        synchronized (browsers) {
            for (InterfaceBrowser b : browsers.values()) {
                out.add(b.traffic());
            }
        }
        return out;
    }

    /** True while this instance is announced on some interface (acted on or not). */
    boolean tracks(InstanceKey instance) {
        return table.tracks(instance);
    }

    /** Paused: announcements are tracked but not acted on; resuming acts on what changed meanwhile. */
    public void setPaused(boolean paused) {
        table.setPaused(paused);
        log.info("mDNS discovery {}", paused ? "paused" : "resumed");
    }

    private void refresh() {
        if (closed) {
            return;
        }
        List<InterfaceChoice.Target> wanted =
                loopbackOnlyInTests(InterfaceChoice.choose(nics.get(), config.interfaces()));
        List<InterfaceChoice.Target> gone;
        synchronized (browsers) {
            gone = new ArrayList<>(browsers.keySet());
        }
        gone.removeAll(wanted);
        for (InterfaceChoice.Target t : gone) {
            InterfaceBrowser b = browsers.remove(t);
            if (b != null) {
                log.info("mDNS: {} went away; stopped browsing there", t.label());
                b.close();
                table.browserGone(b.key());
            }
        }
        List<String> errors = new ArrayList<>();
        for (InterfaceChoice.Target t : wanted) {
            if (browsers.containsKey(t) || closed) {
                continue;
            }
            try {
                InterfaceBrowser b = InterfaceBrowser.open(t, HOST_NAME, config.serviceTypes(), table, io);
                browsers.put(t, b);
                failuresLogged.remove(t.label());
                log.info("mDNS discovery on {} for {}", t.label(), config.serviceTypes());
            } catch (IOException | RuntimeException e) {
                errors.add(t.label() + ": " + e.getMessage());
                if (failuresLogged.add(t.label())) {
                    log.warn("mDNS cannot run on {}: {}", t.label(), e.getMessage());
                }
            }
        }
        updateAvailability(wanted, errors);
    }

    /**
     * The test suite runs with {@value #LOOPBACK_ONLY}=true (pom.xml): a test that starts discovery
     * by mistake with the defaults then still never sends mDNS beyond 127.0.0.1.
     */
    public static List<InterfaceChoice.Target> loopbackOnlyInTests(List<InterfaceChoice.Target> targets) {
        if (!Boolean.getBoolean(LOOPBACK_ONLY)) {
            return targets;
        }
        List<InterfaceChoice.Target> out = new ArrayList<>(targets);
        out.removeIf(t -> !t.address().isLoopbackAddress());
        return out;
    }

    private void updateAvailability(List<InterfaceChoice.Target> wanted, List<String> errors) {
        if (!browsers.isEmpty()) {
            if (unavailable != null && unavailableLogged) {
                log.info("mDNS discovery is running now, on {}", interfaces());
            }
            unavailable = null;
            unavailableLogged = false;
            return;
        }
        String why;
        if (!errors.isEmpty()) {
            why = String.join("; ", errors);
        } else if (config.interfaces().isEmpty()) {
            why = "no up, multicast-capable, non-loopback network interface (choose one with --interface)";
        } else {
            why = "none of the interfaces " + config.interfaces() + " is up";
        }
        unavailable = why;
        if (!unavailableLogged) {
            unavailableLogged = true;
            log.warn(
                    "mDNS discovery is unavailable: {}. Static and manual backends keep working; "
                            + "interfaces are checked again every {} s.",
                    why,
                    INTERFACE_POLL_MS / 1000);
        }
    }

    private void reapAll() {
        List<InterfaceBrowser> list;
        synchronized (browsers) {
            list = new ArrayList<>(browsers.values());
        }
        for (InterfaceBrowser b : list) {
            try {
                b.reap();
                if (b.needsRebuild()) {
                    io.execute(() -> rebuild(b));
                }
            } catch (RuntimeException e) {
                log.debug("mDNS cache clean-up on {} failed: {}", b.key(), e.toString());
            }
        }
    }

    /**
     * Replaces a browser whose JmDNS went through its recovery (which empties the cache without
     * telling anyone) by a new one on the same address. What the old one had found stays until
     * the new one had {@value #RESYNC_MS} ms to hear it again; the rest expires then, so its
     * backends get their grace period and removal as usual. If the address cannot be opened now,
     * everything the old one saw expires and the next interface poll tries again.
     * A service not heard by then is first asked for directly; only if that brings no answer
     * within {@value #ASK_AGAIN_MS} ms does it expire.
     */
    private void rebuild(InterfaceBrowser old) {
        InterfaceChoice.Target t = old.target();
        synchronized (browsers) {
            if (closed || browsers.get(t) != old) {
                return; // rebuilt already, or gone
            }
            browsers.remove(t);
        }
        table.rebuilding(old.key());
        CompletableFuture.runAsync(old::close); // never wait on the broken one
        try {
            InterfaceBrowser b = InterfaceBrowser.open(t, HOST_NAME, config.serviceTypes(), table, io);
            synchronized (browsers) {
                if (closed) {
                    b.close();
                    return;
                }
                browsers.put(t, b);
            }
            // what it has not heard by RESYNC_MS is asked for directly, and expires only if that
            // brings no answer either
            scheduler.schedule(
                    () -> io.execute(() -> table.unconfirmed(b.key()).forEach(b::askAgain)),
                    RESYNC_MS,
                    TimeUnit.MILLISECONDS);
            scheduler.schedule(
                    () -> io.execute(() -> {
                        table.unconfirmed(b.key()).forEach(b::askAgain);
                        int expired = table.settle(b.key());
                        if (expired > 0) {
                            log.info(
                                    "mDNS on {}: {} service(s) found before the reset are no longer announced",
                                    t.label(),
                                    expired);
                        }
                    }),
                    RESYNC_MS + ASK_AGAIN_MS,
                    TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "mDNS cannot run on {} after its reset: {}; trying again in {} s",
                    t.label(),
                    e.getMessage(),
                    INTERFACE_POLL_MS / 1000);
            table.browserGone(old.key());
        }
    }

    /** The browser on the interface address with this label ({@code lo 127.0.0.1}), or null; for tests. */
    @Nullable
    InterfaceBrowser browser(String label) {
        synchronized (browsers) {
            for (InterfaceBrowser b : browsers.values()) {
                if (b.key().equals(label)) {
                    return b;
                }
            }
        }
        return null;
    }

    /** Stops browsing and closes every JmDNS, in parallel, waiting a few seconds at most. */
    @Override
    public synchronized void close() {
        closed = true;
        if (poll != null) {
            poll.cancel(false);
        }
        if (reaper != null) {
            reaper.cancel(false);
        }
        List<InterfaceBrowser> list;
        synchronized (browsers) {
            list = new ArrayList<>(browsers.values());
            browsers.clear();
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (InterfaceBrowser b : list) {
            closing.add(CompletableFuture.runAsync(b::close));
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture<?>[]::new))
                    .get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            log.warn("mDNS did not close cleanly within 3 s: {}", e.toString());
        }
        io.shutdownNow();
    }
}
