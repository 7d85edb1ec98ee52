package io.nexusmonitor.federation;

import io.nexusmonitor.discovery.logic.DiscoveryEventHandler;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.DuplicateBackendException;
import io.nexusmonitor.registry.LogOnce;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryFullException;
import io.nexusmonitor.registry.RemoteInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what other sites published ({@code <prefix>backends/<site>/<id>}) to the registry. A new
 * URL becomes a backend with source {@code remote} and its site; a URL this monitor has itself
 * (mDNS, config, by hand) stays local with the remote data attached; a key deleted (or its
 * publisher's lease expired) starts the backend's grace period through the same
 * {@link DiscoveryEventHandler} rules as an mDNS goodbye, and its return calls it off (the id,
 * derived from the URL, stays). Runs on the federation's one thread; {@link #publishes} may be read
 * from any.
 */
final class Importer {
    private static final Logger log = LoggerFactory.getLogger(Importer.class);
    private static final Pattern SITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final Registry registry;
    private final DiscoveryEventHandler grace;
    private final String backendsPrefix;
    private final boolean routeRemote;
    private final boolean checkRemote;
    private final LogOnce refused = new LogOnce(256);
    /** key -> the backend id it feeds. */
    private final Map<String, String> idOfKey = new ConcurrentHashMap<>();
    /** id -> the keys that publish it (two sites may publish one URL). */
    private final Map<String, Set<String>> keysOfId = new ConcurrentHashMap<>();
    /** key -> its site. */
    private final Map<String, String> siteOfKey = new ConcurrentHashMap<>();

    Importer(
            Registry registry,
            DiscoveryEventHandler grace,
            String backendsPrefix,
            boolean routeRemote,
            boolean checkRemote) {
        this.registry = registry;
        this.grace = grace;
        this.backendsPrefix = backendsPrefix;
        this.routeRemote = routeRemote;
        this.checkRemote = checkRemote;
    }

    /** Whether some other site publishes this backend now. */
    boolean publishes(String id) {
        return keysOfId.containsKey(id);
    }

    int remoteBackends() {
        return keysOfId.size();
    }

    int otherSites() {
        return new HashSet<>(siteOfKey.values()).size();
    }

    Set<String> knownKeys() {
        return Set.copyOf(idOfKey.keySet());
    }

    /** A key was written; its value is the record. */
    void put(String key, String value) {
        String site = siteOf(key);
        if (site == null) {
            return;
        }
        Optional<PublishedBackend> parsed = PublishedBackend.parse(value);
        if (parsed.isEmpty()) {
            if (refused.first("value " + key, log, "remote records refused")) {
                log.warn("ignoring {}: not a backend record this version reads", LogText.of(key));
            }
            return;
        }
        PublishedBackend r = parsed.get();
        RemoteInfo info = new RemoteInfo(site, key, r.status(), r.inFlight());
        String oldId = idOfKey.get(key);
        Optional<Backend> existing = registry.findByUrl(r.url());
        if (oldId != null && existing.map(b -> !b.id().equals(oldId)).orElse(true)) {
            delete(key); // the same key now names another URL: the old backend loses it
        }
        Backend b = existing.isPresent() ? update(existing.get(), r, info) : add(r, info);
        if (b == null) {
            return;
        }
        idOfKey.put(key, b.id());
        siteOfKey.put(key, site);
        keysOfId.computeIfAbsent(b.id(), k -> ConcurrentHashMap.newKeySet()).add(key);
        grace.republished(b.id());
    }

    private @Nullable Backend add(PublishedBackend r, RemoteInfo info) {
        Instant now = registry.clock().instant();
        Backend t = Backend.create("", r.name(), r.url(), r.type(), BackendSource.REMOTE, r.priority(), now)
                .withModels(r.models())
                .withApproved(routeRemote)
                .withStatus(checkRemote ? BackendStatus.UNKNOWN : r.status())
                .withRemote(info);
        t = t.withSettings(t.settings().offerCapacity(r.capacity(), BackendSettings.CapacitySource.REMOTE));
        try {
            Backend b = registry.add(t, "published by site " + info.site());
            log.info(
                    "{} ({}) at {} from site {}",
                    LogText.of(b.name()),
                    b.type().wire(),
                    LogText.of(b.url()),
                    info.site());
            return b;
        } catch (DuplicateBackendException e) {
            return update(e.existing(), r, info);
        } catch (RegistryFullException e) {
            if (refused.first("full", log, "remote records refused")) {
                log.warn("not importing {} from site {}: {}", LogText.of(r.url()), info.site(), e.getMessage());
            }
            return null;
        }
    }

    private @Nullable Backend update(Backend existing, PublishedBackend r, RemoteInfo info) {
        boolean remote = existing.source() == BackendSource.REMOTE;
        return registry.update(existing.id(), "published by site " + info.site(), b -> {
                    Backend n = b.withRemote(info);
                    if (remote) {
                        // a remote backend follows its record; a local one keeps what this monitor knows
                        n = n.withName(r.name()).withType(r.type()).withModels(r.models());
                        n = n.withSettings(
                                n.settings().offerCapacity(r.capacity(), BackendSettings.CapacitySource.REMOTE));
                        if (!checkRemote) {
                            n = n.withStatus(r.status());
                        }
                    }
                    return n;
                })
                .orElse(null);
    }

    /** A key was deleted (or expired with its lease). */
    void delete(String key) {
        String id = idOfKey.remove(key);
        String site = siteOfKey.remove(key);
        if (id == null) {
            return;
        }
        Set<String> keys = keysOfId.get(id);
        if (keys != null) {
            keys.remove(key);
            if (!keys.isEmpty()) {
                return; // another site still publishes it
            }
            keysOfId.remove(id);
        }
        withdraw(id, "no longer published by site " + site);
    }

    private void withdraw(String id, String cause) {
        Optional<Backend> b = registry.get(id);
        if (b.isEmpty()) {
            return;
        }
        if (b.get().source() == BackendSource.REMOTE) {
            grace.unpublished(id, cause);
        } else {
            registry.update(id, cause, x -> x.withRemote(null));
        }
    }

    /**
     * What etcd holds now, after a range read: keys this importer knew and etcd no longer has are
     * deleted, every other one applied (unchanged ones change nothing).
     */
    void resync(Map<String, String> now) {
        for (String key : knownKeys()) {
            if (!now.containsKey(key)) {
                delete(key);
            }
        }
        now.forEach(this::put);
    }

    /**
     * etcd has been out of reach for the grace period: every remote backend starts its own grace
     * period, and nothing counts as published until the next range read says so again.
     */
    void forgetAll(String cause) {
        List<String> ids = new ArrayList<>(keysOfId.keySet());
        idOfKey.clear();
        siteOfKey.clear();
        keysOfId.clear();
        for (String id : ids) {
            withdraw(id, cause);
        }
    }

    /** The site of a key under {@code <prefix>backends/}, null for one that is not {@code <site>/<id>}. */
    private @Nullable String siteOf(String key) {
        if (!key.startsWith(backendsPrefix)) {
            return null;
        }
        String rest = key.substring(backendsPrefix.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        String site = rest.substring(0, slash);
        return SITE.matcher(site).matches() ? site : null;
    }
}
