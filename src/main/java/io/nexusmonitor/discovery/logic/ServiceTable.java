package io.nexusmonitor.discovery.logic;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The services every browser (one per interface address) currently sees, merged into one event
 * stream: a service seen on two interfaces is one service, found when the first browser sees it
 * and removed when the last one loses it. Repeats are dropped, so the rules get each change once.
 * While paused, changes are tracked but not passed on; resuming passes on the difference.
 */
public final class ServiceTable {
    private final Consumer<DiscoveryEvent> sink;
    /** instance -> browser -> what that browser resolved, in the order browsers saw it. */
    private final Map<InstanceKey, Map<String, DiscoveryEvent.Found>> seen = new LinkedHashMap<>();

    private final Map<InstanceKey, DiscoveryEvent.Found> published = new LinkedHashMap<>();
    /** browser -> instances it saw before it was rebuilt and has not reported again since. */
    private final Map<String, Set<InstanceKey>> unconfirmed = new HashMap<>();

    private boolean paused;

    public ServiceTable(Consumer<DiscoveryEvent> sink) {
        this.sink = Objects.requireNonNull(sink);
    }

    public synchronized void found(String browser, DiscoveryEvent.Found f) {
        InstanceKey k = InstanceKey.of(f);
        seen.computeIfAbsent(k, x -> new LinkedHashMap<>()).put(browser, f);
        Set<InstanceKey> pending = unconfirmed.get(browser);
        if (pending != null) {
            pending.remove(k);
        }
        publish(k, RemovalReason.EXPIRED);
    }

    public synchronized void removed(String browser, InstanceKey k, RemovalReason reason) {
        Map<String, DiscoveryEvent.Found> byBrowser = seen.get(k);
        if (byBrowser == null || byBrowser.remove(browser) == null) {
            return;
        }
        if (byBrowser.isEmpty()) {
            seen.remove(k);
        }
        publish(k, reason);
    }

    /**
     * A browser is being rebuilt (its JmDNS lost its cache): what it saw stays as it is until
     * {@link #settle}, and each service it reports again meanwhile is confirmed, so nothing that
     * is still announced flickers away.
     */
    public synchronized void rebuilding(String browser) {
        Set<InstanceKey> pending = new HashSet<>();
        for (Map.Entry<InstanceKey, Map<String, DiscoveryEvent.Found>> e : seen.entrySet()) {
            if (e.getValue().containsKey(browser)) {
                pending.add(e.getKey());
            }
        }
        unconfirmed.put(browser, pending);
    }

    /** What a rebuilt browser saw before and has not reported again yet. */
    public synchronized List<DiscoveryEvent.Found> unconfirmed(String browser) {
        List<DiscoveryEvent.Found> out = new ArrayList<>();
        for (InstanceKey k : unconfirmed.getOrDefault(browser, Set.of())) {
            DiscoveryEvent.Found f = seen.getOrDefault(k, Map.of()).get(browser);
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The rebuilt browser had its time to hear every service again: what it has not reported
     * since {@link #rebuilding} has expired (the removal JmDNS can no longer deliver).
     *
     * @return how many services expired
     */
    public synchronized int settle(String browser) {
        Set<InstanceKey> pending = unconfirmed.remove(browser);
        if (pending == null) {
            return 0;
        }
        int n = 0;
        for (InstanceKey k : pending) {
            Map<String, DiscoveryEvent.Found> byBrowser = seen.get(k);
            if (byBrowser != null && byBrowser.remove(browser) != null) {
                n++;
                if (byBrowser.isEmpty()) {
                    seen.remove(k);
                }
                publish(k, RemovalReason.EXPIRED);
            }
        }
        return n;
    }

    /** A browser stopped (its interface went away): what only it saw has expired. */
    public synchronized void browserGone(String browser) {
        unconfirmed.remove(browser);
        for (InstanceKey k : new ArrayList<>(seen.keySet())) {
            Map<String, DiscoveryEvent.Found> byBrowser =
                    Objects.requireNonNull(seen.get(k)); // keys copied under this lock
            if (byBrowser.remove(browser) != null) {
                if (byBrowser.isEmpty()) {
                    seen.remove(k);
                }
                publish(k, RemovalReason.EXPIRED);
            }
        }
    }

    public synchronized void setPaused(boolean p) {
        boolean resumed = paused && !p;
        paused = p;
        if (resumed) {
            Set<InstanceKey> keys = new HashSet<>(seen.keySet());
            keys.addAll(published.keySet());
            for (InstanceKey k : keys) {
                publish(k, RemovalReason.EXPIRED);
            }
        }
    }

    public synchronized boolean paused() {
        return paused;
    }

    /** True while this instance is announced on some interface (acted on or not). */
    public synchronized boolean tracks(InstanceKey instance) {
        return seen.containsKey(instance);
    }

    private void publish(InstanceKey k, RemovalReason reason) {
        if (paused) {
            return;
        }
        DiscoveryEvent.Found now = merged(seen.get(k));
        DiscoveryEvent.Found before = published.get(k);
        if (now == null) {
            if (before != null) {
                published.remove(k);
                sink.accept(new DiscoveryEvent.Removed(before.instance(), before.serviceType(), reason));
            }
        } else if (!now.equals(before)) {
            published.put(k, now);
            sink.accept(now);
        }
    }

    /** The first browser's view, with the addresses every browser saw. */
    private static DiscoveryEvent.@Nullable Found merged(@Nullable Map<String, DiscoveryEvent.Found> byBrowser) {
        if (byBrowser == null || byBrowser.isEmpty()) {
            return null;
        }
        DiscoveryEvent.Found first = byBrowser.values().iterator().next();
        if (byBrowser.size() == 1) {
            return first;
        }
        List<InetAddress> addresses = new ArrayList<>(first.addresses());
        for (DiscoveryEvent.Found f : byBrowser.values()) {
            for (InetAddress a : f.addresses()) {
                if (!addresses.contains(a)) {
                    addresses.add(a);
                }
            }
        }
        return new DiscoveryEvent.Found(
                first.instance(), first.serviceType(), first.host(), addresses, first.port(), first.txt());
    }
}
