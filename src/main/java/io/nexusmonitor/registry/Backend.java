package io.nexusmonitor.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of one backend. The registry hands these out and replaces them whole on
 * every change, so a reader never sees half an update and never needs a lock.
 *
 * <p>Its data is grouped by who writes it, so a change copies only its own part: the
 * {@link Profile} (what a person or a source said), the {@link BackendSettings}, the
 * {@link Health} (what the health checker found), the {@link Traffic} (the gateway's counters) and
 * the {@link Presence} (what mDNS announced, and the grace deadline when it stopped). The accessors
 * and withers of the single fields ({@link #status()}, {@link #withModels}, ...) stay for callers
 * that change one thing.
 *
 * @param id       stable for the backend's lifetime in this process
 * @param url      the normalised URL; the backend's identity (see {@link UrlNormalizer})
 * @param profile  name, type, source, pin, approval, priority, config location, time added
 * @param settings capacity, weight and credential ({@link BackendSettings#DEFAULTS} when none is known)
 * @param health   status, models, latency, last check, last error and history
 * @param traffic  pending and total requests
 * @param presence the mDNS announcement and the grace deadline
 */
public record Backend(
        String id,
        String url,
        Profile profile,
        BackendSettings settings,
        Health health,
        Traffic traffic,
        Presence presence) {

    public static final int HISTORY_LIMIT = 50;
    public static final int DEFAULT_PRIORITY = 50;
    public static final double LATENCY_ALPHA = 0.2;

    public Backend {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(profile, "profile");
        settings = settings == null ? BackendSettings.DEFAULTS : settings;
        health = health == null ? Health.UNKNOWN : health;
        traffic = traffic == null ? Traffic.NONE : traffic;
        presence = presence == null ? Presence.NONE : presence;
    }

    /**
     * What a person or a source says about a backend.
     *
     * @param configLocation {@code nexus.toml:42} for config backends, else null
     */
    public record Profile(
            String name,
            BackendType type,
            BackendSource source,
            boolean pinned,
            boolean approved,
            int priority,
            @Nullable String configLocation,
            Instant addedAt) {
        public Profile {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(source, "source");
        }

        public Profile withName(String v) {
            return new Profile(v, type, source, pinned, approved, priority, configLocation, addedAt);
        }

        public Profile withType(BackendType v) {
            return new Profile(name, v, source, pinned, approved, priority, configLocation, addedAt);
        }

        public Profile withPinned(boolean v) {
            return new Profile(name, type, source, v, approved, priority, configLocation, addedAt);
        }

        public Profile withApproved(boolean v) {
            return new Profile(name, type, source, pinned, v, priority, configLocation, addedAt);
        }

        public Profile withConfigLocation(@Nullable String v) {
            return new Profile(name, type, source, pinned, approved, priority, v, addedAt);
        }

        public Profile withSource(BackendSource v) {
            return new Profile(name, type, v, pinned, approved, priority, configLocation, addedAt);
        }

        Profile withAddedAt(Instant v) {
            return new Profile(name, type, source, pinned, approved, priority, configLocation, v);
        }
    }

    /**
     * What the health checker last found.
     *
     * @param latencyMs the latency shown: an estimate of successful probe/request latency, null
     *                  before the first success
     * @param history   the last {@value Backend#HISTORY_LIMIT} transitions, oldest first
     */
    public record Health(
            BackendStatus status,
            List<ModelInfo> models,
            @Nullable Double latencyMs,
            @Nullable Instant lastHealthCheck,
            @Nullable String lastError,
            List<HistoryEntry> history) {
        public static final Health UNKNOWN = new Health(BackendStatus.UNKNOWN, List.of(), null, null, null, List.of());

        public Health {
            Objects.requireNonNull(status, "status");
            models = models == null ? List.of() : List.copyOf(models);
            history = history == null ? List.of() : List.copyOf(history);
        }

        public Health withStatus(BackendStatus v) {
            return new Health(v, models, latencyMs, lastHealthCheck, lastError, history);
        }

        public Health withModels(List<ModelInfo> v) {
            return new Health(status, v, latencyMs, lastHealthCheck, lastError, history);
        }

        public Health withLatencyMs(@Nullable Double v) {
            return new Health(status, models, v, lastHealthCheck, lastError, history);
        }

        public Health withLastHealthCheck(@Nullable Instant v) {
            return new Health(status, models, latencyMs, v, lastError, history);
        }

        public Health withLastError(@Nullable String v) {
            return new Health(status, models, latencyMs, lastHealthCheck, v, history);
        }

        /** The history with this entry last, the oldest dropped beyond {@value Backend#HISTORY_LIMIT}. */
        Health withHistoryEntry(HistoryEntry e) {
            List<HistoryEntry> h = new ArrayList<>(Math.min(history.size() + 1, HISTORY_LIMIT));
            int skip = Math.max(0, history.size() + 1 - HISTORY_LIMIT);
            for (int i = skip; i < history.size(); i++) {
                h.add(history.get(i));
            }
            h.add(e);
            return new Health(status, models, latencyMs, lastHealthCheck, lastError, h);
        }
    }

    /** The gateway's counters; only {@link Registry#requestStarted}/{@link Registry#requestFinished} change them. */
    public record Traffic(long pendingRequests, long totalRequests) {
        public static final Traffic NONE = new Traffic(0, 0);
    }

    /**
     * Where discovery stands on a backend.
     *
     * @param mdns          the announcement, null for a backend not found by mDNS
     * @param graceDeadline when a backend no longer announced will be removed, null when not in grace
     * @param remote        what another site published about it through etcd, null when none did
     * @param gpuReport     what its announcer's status endpoint (TXT {@code status_port}) last said, null when not polled
     */
    public record Presence(
            @Nullable MdnsInfo mdns,
            @Nullable Instant graceDeadline,
            @Nullable RemoteInfo remote,
            @Nullable GpuReport gpuReport) {
        public static final Presence NONE = new Presence(null, null, null, null);

        public Presence(@Nullable MdnsInfo mdns, @Nullable Instant graceDeadline) {
            this(mdns, graceDeadline, null, null);
        }
    }

    /** A new backend as a source would create it: status unknown, no models, no history yet. */
    public static Backend create(
            String id, String name, String url, BackendType type, BackendSource source, int priority, Instant now) {
        return new Backend(
                id,
                url,
                new Profile(name, type, source, source == BackendSource.STATIC, true, priority, null, now),
                BackendSettings.DEFAULTS,
                Health.UNKNOWN,
                Traffic.NONE,
                Presence.NONE);
    }

    // --- the single fields, for callers that read one thing --------------------------------------

    public String name() {
        return profile.name();
    }

    public BackendType type() {
        return profile.type();
    }

    public BackendSource source() {
        return profile.source();
    }

    public boolean pinned() {
        return profile.pinned();
    }

    public boolean approved() {
        return profile.approved();
    }

    public int priority() {
        return profile.priority();
    }

    /** {@code nexus.toml:42} for config backends, else null. */
    public @Nullable String configLocation() {
        return profile.configLocation();
    }

    public Instant addedAt() {
        return profile.addedAt();
    }

    public BackendStatus status() {
        return health.status();
    }

    public List<ModelInfo> models() {
        return health.models();
    }

    /** The latency shown (see {@link Health#latencyMs()}), null before the first success. */
    public @Nullable Double avgLatencyMs() {
        return health.latencyMs();
    }

    public @Nullable Instant lastHealthCheck() {
        return health.lastHealthCheck();
    }

    public @Nullable String lastError() {
        return health.lastError();
    }

    /** The last {@value #HISTORY_LIMIT} transitions, oldest first. */
    public List<HistoryEntry> history() {
        return health.history();
    }

    public long pendingRequests() {
        return traffic.pendingRequests();
    }

    public long totalRequests() {
        return traffic.totalRequests();
    }

    public @Nullable MdnsInfo mdns() {
        return presence.mdns();
    }

    public @Nullable GpuReport gpuReport() {
        return presence.gpuReport();
    }

    public @Nullable Instant graceDeadline() {
        return presence.graceDeadline();
    }

    /** Parallel slots, null when not known (see {@link BackendSettings#capacity()}). */
    public @Nullable Integer capacity() {
        return settings.capacity();
    }

    public boolean inGrace() {
        return presence.graceDeadline() != null;
    }

    /** Routable: healthy, approved and not draining. */
    public boolean routable() {
        return health.status() == BackendStatus.HEALTHY && profile.approved();
    }

    /** What another site published about this backend, null when none did. */
    public @Nullable RemoteInfo remote() {
        return presence.remote();
    }

    /** The site that published it, null for this monitor's own backends that no other site publishes. */
    public @Nullable String site() {
        RemoteInfo r = presence.remote();
        return r == null ? null : r.site();
    }

    public Optional<MdnsInfo> mdnsInfo() {
        return Optional.ofNullable(presence.mdns());
    }

    // --- withers: each returns a copy with one part replaced ---------------------------------------

    public Backend withProfile(Profile v) {
        return new Backend(id, url, v, settings, health, traffic, presence);
    }

    public Backend withSettings(BackendSettings v) {
        return new Backend(id, url, profile, v, health, traffic, presence);
    }

    public Backend withHealth(Health v) {
        return new Backend(id, url, profile, settings, v, traffic, presence);
    }

    public Backend withPresence(Presence v) {
        return new Backend(id, url, profile, settings, health, traffic, v);
    }

    /** Only {@link Registry#relocate}, which keeps its URL index in step, may change a URL. */
    Backend withUrl(String v) {
        return new Backend(id, v, profile, settings, health, traffic, presence);
    }

    Backend withCounters(long pending, long total) {
        return new Backend(id, url, profile, settings, health, new Traffic(pending, total), presence);
    }

    public Backend withName(String v) {
        return withProfile(profile.withName(v));
    }

    public Backend withType(BackendType v) {
        return withProfile(profile.withType(v));
    }

    public Backend withPinned(boolean v) {
        return withProfile(profile.withPinned(v));
    }

    public Backend withApproved(boolean v) {
        return withProfile(profile.withApproved(v));
    }

    public Backend withConfigLocation(@Nullable String v) {
        return withProfile(profile.withConfigLocation(v));
    }

    public Backend withStatus(BackendStatus v) {
        return withHealth(health.withStatus(v));
    }

    public Backend withModels(List<ModelInfo> v) {
        return withHealth(health.withModels(v));
    }

    /** Folds one successful latency sample into the EMA (alpha 0.2); the first sample is taken as is. */
    public Backend withLatencySample(double ms) {
        Double avg = health.latencyMs();
        return withLatencyMs(avg == null ? ms : LATENCY_ALPHA * ms + (1 - LATENCY_ALPHA) * avg);
    }

    /** Sets the latency shown, as an estimator outside the registry computed it (null: none yet). */
    public Backend withLatencyMs(@Nullable Double v) {
        return withHealth(health.withLatencyMs(v));
    }

    public Backend withLastHealthCheck(@Nullable Instant v) {
        return withHealth(health.withLastHealthCheck(v));
    }

    public Backend withLastError(@Nullable String v) {
        return withHealth(health.withLastError(v));
    }

    Backend withHistoryEntry(HistoryEntry e) {
        return withHealth(health.withHistoryEntry(e));
    }

    public Backend withMdns(@Nullable MdnsInfo v) {
        return withPresence(new Presence(v, presence.graceDeadline(), presence.remote(), presence.gpuReport()));
    }

    public Backend withGraceDeadline(@Nullable Instant v) {
        return withPresence(new Presence(presence.mdns(), v, presence.remote(), presence.gpuReport()));
    }

    public Backend withRemote(@Nullable RemoteInfo v) {
        return withPresence(new Presence(presence.mdns(), presence.graceDeadline(), v, presence.gpuReport()));
    }

    public Backend withGpuReport(@Nullable GpuReport v) {
        return withPresence(new Presence(presence.mdns(), presence.graceDeadline(), presence.remote(), v));
    }
}
