package io.nexusmonitor.wake;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import io.nexusmonitor.registry.WakeOnLan;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns a box's MAC from the neighbour table while it is up: when a pinned backend marked {@code
 * wake_on_lan = true} with no MAC from the user or its announcement turns healthy, its IPv4
 * address is looked up in {@code /proc/net/arp} and the MAC found is kept with its Wake-on-LAN
 * settings (and in {@code pins.json}), so it can be woken once it sleeps.
 */
public final class NeighbourMacs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NeighbourMacs.class);

    private final Registry registry;
    private final Path table;
    private final Executor executor;
    private final AutoCloseable subscription;

    /** @param executor runs the file read, off the thread that changed the registry */
    public NeighbourMacs(Registry registry, Path table, Executor executor) {
        this.registry = registry;
        this.table = table;
        this.executor = executor;
        this.subscription = registry.subscribe(this::onEvent);
    }

    /** Whether the neighbour table is the only source left for this backend's MAC. */
    static boolean wanted(Backend b) {
        WakeOnLan w = b.settings().wake();
        return b.pinned() && w != null && w.enabled() && WakeOnLan.effectiveMac(b) == null;
    }

    /** The backend's IPv4 addresses: its URL's host when it is one, then those it announced. */
    static List<String> ipv4Addresses(Backend b) {
        List<String> out = new ArrayList<>();
        String host = URI.create(b.url()).getHost();
        if (host != null && host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            out.add(host);
        }
        MdnsInfo md = b.mdns();
        if (md != null) {
            for (String a : md.addresses()) {
                if (a.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !out.contains(a)) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /** The MAC the table has for one of the backend's addresses; null when none. */
    static @Nullable String lookUp(Backend b, Map<String, String> neighbours) {
        for (String ip : ipv4Addresses(b)) {
            String mac = NeighbourTable.macOf(neighbours, ip);
            if (mac != null) {
                return mac;
            }
        }
        return null;
    }

    private void onEvent(RegistryEvent e) {
        Backend b = e.backend();
        if (e.kind() == RegistryEvent.Kind.BACKEND_REMOVED || b.status() != BackendStatus.HEALTHY || !wanted(b)) {
            return;
        }
        try {
            executor.execute(() -> learn(b.id()));
        } catch (RejectedExecutionException stopping) {
            // shutting down
        }
    }

    /** Reads the table and keeps the MAC found for the backend, if it still needs one. */
    void learn(String id) {
        Backend b = registry.get(id).orElse(null);
        if (b == null || !wanted(b)) {
            return;
        }
        String mac = lookUp(b, NeighbourTable.read(table));
        if (mac == null) {
            return;
        }
        registry.update(id, "MAC from the neighbour table", x -> {
            WakeOnLan w = x.settings().wake();
            return w == null || !wanted(x) ? x : x.withSettings(x.settings().withWake(w.withNeighbourMac(mac)));
        });
        log.info("{}: MAC {} from the neighbour table, for Wake-on-LAN", LogText.of(b.name()), mac);
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("unsubscribing failed", e);
        }
    }
}
