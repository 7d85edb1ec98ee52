package io.nexusmonitor.discovery.logic;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.DuplicateBackendException;
import io.nexusmonitor.registry.LogOnce;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import io.nexusmonitor.registry.RegistryFullException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies discovery events to the registry by the rules of the README's 'Discovery', and owns the grace
 * periods and the pin rules that interact with them.
 *
 * <ul>
 *   <li>Identity is the normalised URL. A static or manual backend at the URL of a found service
 *       wins: it gets the mDNS data attached and stays what it is.</li>
 *   <li>Found: added with status {@code unknown} (the health checker probes it at once).</li>
 *   <li>Removed (goodbye or expiry): status {@code unknown}, the deadline is put on the backend and
 *       its removal scheduled for exactly then. Found again before it: the removal is called off,
 *       the id (derived from the URL) stays.</li>
 *   <li>Found at another URL (new address or port, or a better address: IPv4 after IPv6
 *       link-local): the discovered backend it alone feeds moves in place ({@link Registry#relocate})
 *       and keeps its id, one instance one row. If a static or manual backend holds the new URL,
 *       that one gets the announcement and the old one its grace period.</li>
 *   <li>Pinned backends are never removed; unpinning one that is no longer announced starts its
 *       grace period.</li>
 *   <li>Announced addresses that are unspecified, multicast, broadcast, loopback (unless
 *       {@code allow_loopback}) or outside {@code allow_subnets} are dropped ({@link AddressPolicy});
 *       an announcement with none left is ignored, logged once per instance; with
 *       {@code require_approval} a new backend is listed but not approved until pinned.</li>
 *   <li>A full registry ({@code [limits] max_backends}) ignores new announcements, logged once; so
 *       do more than four live instances per allowed backend.</li>
 * </ul>
 *
 * <p>Events, pins and deadlines are serialised on this object; registry listeners never take its lock.
 */
public final class DiscoveryEventHandler {
    private static final Logger log = LoggerFactory.getLogger(DiscoveryEventHandler.class);

    private final Registry registry;
    private final DiscoveryConfig config;
    private final DeadlineScheduler deadlines;
    /** Live announcements by lower-cased instance name, and the backend each one feeds. */
    private final Map<InstanceKey, DiscoveryEvent.Found> live = new HashMap<>();

    private final Map<InstanceKey, String> backendOfInstance = new HashMap<>();
    private final Map<String, DeadlineScheduler.Cancellable> removals = new ConcurrentHashMap<>();
    private final AddressPolicy addresses;
    /** Refusals already logged, by kind and instance; bounded, so made-up instance names cannot grow it. */
    private final LogOnce refusalsLogged = new LogOnce(1024);
    /** Whether some site publishes this backend now ({@code [federation]}); none without federation. */
    private volatile java.util.function.Predicate<String> published = id -> false;

    /**
     * The health checker probes a backend at once on {@code backend_added} and {@code grace_cancelled},
     * which is how a found or returning backend gets checked immediately.
     */
    public DiscoveryEventHandler(Registry registry, DiscoveryConfig config, DeadlineScheduler deadlines) {
        this(registry, config, deadlines, LocalNetwork.NONE);
    }

    /** @param local this machine's addresses: announcements of them count as loopback */
    public DiscoveryEventHandler(
            Registry registry, DiscoveryConfig config, DeadlineScheduler deadlines, LocalNetwork local) {
        this.registry = Objects.requireNonNull(registry);
        this.config = Objects.requireNonNull(config);
        this.deadlines = Objects.requireNonNull(deadlines);
        this.addresses = config.addressPolicy(local);
        // a backend removed by anyone (user, expiry) needs no pending removal any more
        registry.subscribe(this::onRegistryEvent);
    }

    public DiscoveryConfig config() {
        return config;
    }

    public synchronized void handle(DiscoveryEvent event) {
        if (log.isDebugEnabled()) {
            log.debug("{}", LogText.of(event, 1000));
        }
        if (event instanceof DiscoveryEvent.Found f) {
            found(f);
        } else if (event instanceof DiscoveryEvent.Removed r) {
            removed(r);
        }
    }

    /** True while at least one live announcement points at this backend. */
    public synchronized boolean isAnnounced(String backendId) {
        return backendOfInstance.containsValue(backendId);
    }

    // --- found ----------------------------------------------------------------------------------

    private void found(DiscoveryEvent.Found f) {
        InstanceKey key = InstanceKey.of(f);
        int maxInstances = 4 * registry.limits().maxBackends();
        if (!live.containsKey(key) && live.size() >= maxInstances) {
            // many names for few URLs would otherwise grow these maps without bound
            if (refusalsLogged.first("instances " + key, log, "announcements refused")) {
                log.warn(
                        "ignoring {}: {} announcements are tracked already, the most for [limits] max_backends = {}",
                        LogText.of(f.instance()),
                        live.size(),
                        registry.limits().maxBackends());
            }
            return;
        }
        AddressPolicy.Sorted sorted = addresses.announced(f.addresses());
        List<InetAddress> allowed = sorted.usable();
        if (allowed.isEmpty() && !f.addresses().isEmpty()) {
            if (refusalsLogged.first("refused " + key, log, "announcements refused")) {
                log.warn(
                        "ignoring {}: none of its addresses may be used: {}{}",
                        LogText.of(f.instance()),
                        LogText.of(dropped(sorted), 400),
                        loopbackHint(sorted));
            }
            forgetInstance(key, RemovalReason.EXPIRED);
            return;
        }
        refusalsLogged.forget("refused " + key);
        if (!sorted.dropped().isEmpty() && refusalsLogged.first("dropped " + key, log, "announcements refused")) {
            log.warn(
                    "{}: not using {}{}",
                    LogText.of(f.instance()),
                    LogText.of(dropped(sorted), 400),
                    loopbackHint(sorted));
        }
        DiscoveryEvent.Found usable =
                new DiscoveryEvent.Found(f.instance(), f.serviceType(), f.host(), allowed, f.port(), f.txt());
        Instant now = registry.clock().instant();
        Optional<Backend> mapped = BackendMapper.toBackend(usable, now);
        if (mapped.isEmpty()) {
            if (refusalsLogged.first("unusable " + key, log, "announcements refused")) {
                log.warn(
                        "{} has no usable address or port ({} port {}); waiting for a better announcement",
                        LogText.of(f.instance()),
                        LogText.of(f.addresses(), 400),
                        f.port());
            }
            return;
        }
        refusalsLogged.forget("unusable " + key);
        Backend template = mapped.get();
        String previousId = backendOfInstance.get(key);
        Optional<Backend> existing = registry.findByUrl(template.url());
        if (previousId != null && existing.map(b -> !b.id().equals(previousId)).orElse(true)) {
            // the same instance now points at another URL (address, port, or a better address)
            existing = existing.isEmpty() ? relocate(key, previousId, template.url()) : Optional.empty();
            if (existing.isEmpty()) {
                // another backend is at the new URL, or the old one is not this instance's alone:
                // the old backend loses this announcement
                backendOfInstance.remove(key);
                live.remove(key);
                withdraw(previousId, RemovalReason.EXPIRED, "moved to " + template.url());
                existing = registry.findByUrl(template.url());
            }
        }
        Backend backend = existing.isPresent() ? refound(existing.get(), template, usable, now) : added(key, template);
        if (backend == null) {
            return;
        }
        live.put(key, usable);
        backendOfInstance.put(key, backend.id());
    }

    /**
     * Moves the discovered backend this instance alone feeds to the instance's new URL, keeping its
     * id: one instance is one row. Empty when it is not movable (static or manual, shared with
     * another instance, gone) or the URL is taken meanwhile.
     */
    private Optional<Backend> relocate(InstanceKey key, String id, String url) {
        Optional<Backend> current = registry.get(id);
        if (current.isEmpty() || current.get().source() != BackendSource.MDNS) {
            return Optional.empty();
        }
        for (Map.Entry<InstanceKey, String> e : backendOfInstance.entrySet()) {
            if (e.getValue().equals(id) && !e.getKey().equals(key)) {
                return Optional.empty();
            }
        }
        try {
            Optional<Backend> moved = registry.relocate(id, url, "moved to " + url);
            moved.ifPresent(b -> log.info(
                    "{} moved from {} to {}",
                    LogText.of(b.name()),
                    LogText.of(current.get().url()),
                    LogText.of(b.url())));
            return moved;
        } catch (DuplicateBackendException e) {
            return Optional.empty();
        }
    }

    private @Nullable Backend added(InstanceKey key, Backend template) {
        Backend t = template.withApproved(!config.requireApproval());
        try {
            Backend b = registry.add(t, "found");
            refusalsLogged.forget("full " + key);
            log.info(
                    "found {} ({}) at {}{}",
                    LogText.of(b.name()),
                    b.type().wire(),
                    LogText.of(b.url()),
                    b.approved() ? "" : "; not routed to until pinned (require_approval)");
            return b;
        } catch (RegistryFullException e) {
            if (refusalsLogged.first("full " + key, log, "announcements refused")) {
                log.warn(
                        "ignoring {} at {}: {}",
                        LogText.of(Objects.requireNonNull(template.mdns()).instance()),
                        LogText.of(template.url()),
                        e.getMessage());
            }
            return null;
        } catch (DuplicateBackendException e) {
            // added by someone else since we looked: treat it as the existing backend
            return refound(e.existing(), template, null, registry.clock().instant());
        }
    }

    private @Nullable Backend refound(
            Backend existing, Backend template, DiscoveryEvent.@Nullable Found f, Instant now) {
        cancelRemoval(existing.id());
        MdnsInfo incoming = Objects.requireNonNull(template.mdns()); // a template made from an announcement
        MdnsInfo before = existing.mdns();
        Instant firstSeen = before != null
                        && InstanceKey.of(incoming.instance(), incoming.serviceType())
                                .equals(InstanceKey.of(before.instance(), before.serviceType()))
                        && before.firstSeen() != null
                ? before.firstSeen()
                : now;
        MdnsInfo merged = new MdnsInfo(
                incoming.instance(),
                incoming.serviceType(),
                incoming.host(),
                incoming.addresses(),
                incoming.txt(),
                firstSeen,
                now);
        boolean wasInGrace = existing.inGrace();
        // a backend another site published and this segment announces too: local wins, it becomes ours
        boolean discovered = existing.source() == BackendSource.MDNS || existing.source() == BackendSource.REMOTE;
        String cause = wasInGrace
                ? "found again"
                : discovered ? "announced" : "announced (" + existing.source().wire() + " backend keeps its settings)";
        Optional<Backend> updated = registry.update(existing.id(), cause, b -> {
            Backend n = b.withMdns(merged).withGraceDeadline(null);
            // TXT max_concurrent for every source: a capacity from the config file is stronger and stays
            n = n.withSettings(n.settings().offerCapacity(template.capacity(), BackendSettings.CapacitySource.MDNS));
            if (discovered) {
                // a discovered backend follows its announcement; static and manual ones keep what the user set
                n = n.withName(template.name()).withType(template.type());
                n = n.withProfile(n.profile().withSource(BackendSource.MDNS));
                if (b.models().isEmpty()) {
                    n = n.withModels(template.models());
                }
            }
            return n;
        });
        if (updated.isEmpty()) {
            return null;
        }
        if (wasInGrace) {
            log.info("{} is back at {}; removal called off", LogText.of(existing.name()), LogText.of(existing.url()));
        } else if (before == null && f != null) {
            log.info(
                    "{} backend {} at {} is also announced as {}",
                    existing.source().wire(),
                    LogText.of(existing.name()),
                    LogText.of(existing.url()),
                    LogText.of(incoming.instance()));
        }
        return updated.get();
    }

    // --- removed --------------------------------------------------------------------------------

    private void removed(DiscoveryEvent.Removed r) {
        forgetInstance(InstanceKey.of(r), r.reason());
    }

    private void forgetInstance(InstanceKey key, RemovalReason reason) {
        live.remove(key);
        String id = backendOfInstance.remove(key);
        if (id == null) {
            return; // not ours, or already handled: removals repeat (PTR and SRV both expire)
        }
        for (Map.Entry<InstanceKey, String> e : backendOfInstance.entrySet()) {
            if (e.getValue().equals(id)) {
                // still announced under another instance: show that one's data, keep the backend
                DiscoveryEvent.Found other = live.get(e.getKey());
                if (other == null) {
                    continue; // that instance is not live either
                }
                Instant now = registry.clock().instant();
                registry.update(id, "announced", b -> b.withMdns(BackendMapper.mdnsInfo(other, now, now)));
                return;
            }
        }
        withdraw(id, reason, reason.wire());
    }

    /** The backend is no longer announced: unknown, and for a discovered, unpinned one, a grace period. */
    private void withdraw(String id, RemovalReason reason, String cause) {
        Optional<Backend> current = registry.get(id);
        if (current.isEmpty()) {
            return;
        }
        Backend b = current.get();
        if (!losable(b)) {
            log.info(
                    "{} backend {} is no longer announced ({}); it stays",
                    b.source().wire(),
                    LogText.of(b.name()),
                    LogText.of(cause));
            return;
        }
        if (b.pinned()) {
            registry.update(id, cause, x -> x.withStatus(BackendStatus.UNKNOWN));
            log.info("{} is no longer announced ({}); pinned, so it stays", LogText.of(b.name()), LogText.of(cause));
            return;
        }
        if (b.inGrace()) {
            return;
        }
        startGrace(id, cause);
        log.info(
                "{} at {} is gone ({}); removing it in {} s unless it comes back",
                LogText.of(b.name()),
                LogText.of(b.url()),
                b.source() == BackendSource.REMOTE ? LogText.of(cause) : reason.wire(),
                config.gracePeriod().toSeconds());
    }

    /** Found by a source that can lose it again (mDNS, another site through etcd): grace periods apply. */
    private static boolean losable(Backend b) {
        return b.source() == BackendSource.MDNS || b.source() == BackendSource.REMOTE;
    }

    // --- remote (federation) --------------------------------------------------------------------

    /**
     * A remote backend is no longer published (its key was deleted, its publisher's lease expired,
     * or etcd has been out of reach for the grace period): the same grace period, countdown and
     * notices as an mDNS goodbye; pinned ones stay.
     */
    public synchronized void unpublished(String id, String cause) {
        withdraw(id, RemovalReason.GOODBYE, cause);
    }

    /** A remote backend is published again: a pending removal is called off and its id stays. */
    public synchronized void republished(String id) {
        Optional<Backend> b = registry.get(id);
        if (b.isEmpty() || !b.get().inGrace()) {
            return;
        }
        cancelRemoval(id);
        registry.update(id, "found again", x -> x.withGraceDeadline(null));
        log.info(
                "{} is published again at {}; removal called off",
                LogText.of(b.get().name()),
                LogText.of(b.get().url()));
    }

    /** Which remote backends some site publishes now; one that is expires no more. Set before events arrive. */
    public void setPublished(java.util.function.Predicate<String> isPublished) {
        this.published = Objects.requireNonNull(isPublished);
    }

    private void startGrace(String id, String cause) {
        Instant deadline = registry.clock().instant().plus(config.gracePeriod());
        registry.update(id, cause, x -> x.withStatus(BackendStatus.UNKNOWN).withGraceDeadline(deadline));
        cancelRemoval(id);
        removals.put(id, deadlines.at(deadline, () -> expire(id, deadline)));
    }

    private synchronized void expire(String id, Instant deadline) {
        removals.remove(id);
        Optional<Backend> b = registry.get(id);
        // only the removal this deadline belongs to: a return, a pin or a newer deadline calls it off
        if (b.isEmpty()
                || b.get().pinned()
                || !deadline.equals(b.get().graceDeadline())
                || isAnnounced(id)
                || published.test(id)) {
            return;
        }
        registry.remove(id, "grace period over");
        log.info(
                "removed {} ({}): not announced for {} s",
                LogText.of(b.get().name()),
                LogText.of(b.get().url()),
                config.gracePeriod().toSeconds());
    }

    // --- pins -----------------------------------------------------------------------------------

    /** Pins and approves: a pinned backend is never removed, so a pending removal is called off. */
    public synchronized Optional<Backend> pin(String id) {
        cancelRemoval(id);
        return registry.update(
                id, "pinned", b -> b.withPinned(true).withApproved(true).withGraceDeadline(null));
    }

    /** Unpins; a discovered backend that is no longer announced enters its grace period. */
    public synchronized Optional<Backend> unpin(String id) {
        Optional<Backend> b = registry.update(id, "unpinned", x -> x.withPinned(false));
        if (b.isPresent()
                && losable(b.get())
                && !isAnnounced(id)
                && !published.test(id)
                && !b.get().inGrace()) {
            startGrace(id, "unpinned while not announced");
        }
        return registry.get(id);
    }

    // --- internals ------------------------------------------------------------------------------

    private void cancelRemoval(String id) {
        DeadlineScheduler.Cancellable c = removals.remove(id);
        if (c != null) {
            c.cancel();
        }
    }

    private void onRegistryEvent(RegistryEvent e) {
        if (e.kind() == RegistryEvent.Kind.BACKEND_REMOVED) {
            DeadlineScheduler.Cancellable c = removals.remove(e.backend().id());
            if (c != null) {
                c.cancel();
            }
        }
    }

    /** {@code 127.0.0.1 (loopback), 0.0.0.0 (unspecified)} */
    private static String dropped(AddressPolicy.Sorted sorted) {
        StringBuilder sb = new StringBuilder();
        for (AddressPolicy.Dropped d : sorted.dropped()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d);
        }
        return sb.toString();
    }

    /** How to let loopback in, when that is why an address was dropped. */
    private String loopbackHint(AddressPolicy.Sorted sorted) {
        for (AddressPolicy.Dropped d : sorted.dropped()) {
            if (d.why().equals("loopback") || d.why().equals("an address of this machine")) {
                return " (an announcement from the LAN must not point at this machine;"
                        + " for a single-host setup set [discovery] allow_loopback = true)";
            }
        }
        return "";
    }
}
