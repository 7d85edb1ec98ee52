package io.nexusmonitor.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of one backend. The registry hands these out and replaces them whole on
 * every change, so a reader never sees half an update and never needs a lock.
 *
 * @param id              stable for the backend's lifetime in this process
 * @param url             the normalised URL; the backend's identity (see {@link UrlNormalizer})
 * @param configLocation  {@code nexus.toml:42} for config backends, else null
 * @param avgLatencyMs    EMA of successful probe/request latency, null before the first success
 * @param graceDeadline   when a backend no longer announced will be removed, null when not in grace
 * @param history         the last {@value #HISTORY_LIMIT} transitions, oldest first
 * @param settings        capacity, weight and credential ({@link BackendSettings#DEFAULTS} when none is known)
 */
public record Backend(
        String id,
        String name,
        String url,
        BackendType type,
        BackendStatus status,
        BackendSource source,
        boolean pinned,
        boolean approved,
        int priority,
        List<ModelInfo> models,
        long pendingRequests,
        long totalRequests,
        Double avgLatencyMs,
        Instant lastHealthCheck,
        String lastError,
        MdnsInfo mdns,
        Instant graceDeadline,
        String configLocation,
        Instant addedAt,
        List<HistoryEntry> history,
        BackendSettings settings) {

    public static final int HISTORY_LIMIT = 50;
    public static final int DEFAULT_PRIORITY = 50;
    public static final double LATENCY_ALPHA = 0.2;

    public Backend {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        models = models == null ? List.of() : List.copyOf(models);
        history = history == null ? List.of() : List.copyOf(history);
        settings = settings == null ? BackendSettings.DEFAULTS : settings;
    }

    /** A new backend as a source would create it: status unknown, no models, no history yet. */
    public static Backend create(String id, String name, String url, BackendType type, BackendSource source,
                                 int priority, Instant now) {
        return new Backend(id, name, url, type, BackendStatus.UNKNOWN, source, source == BackendSource.STATIC, true,
                priority, List.of(), 0, 0, null, null, null, null, null, null, now, List.of(), BackendSettings.DEFAULTS);
    }

    public boolean inGrace() {
        return graceDeadline != null;
    }

    /** Routable: healthy, approved and not draining. */
    public boolean routable() {
        return status == BackendStatus.HEALTHY && approved;
    }

    public boolean hasModel(String model) {
        for (ModelInfo m : models) {
            if (m.id().equals(model)) {
                return true;
            }
        }
        return false;
    }

    public Optional<MdnsInfo> mdnsInfo() {
        return Optional.ofNullable(mdns);
    }

    // --- withers: each returns a copy with one thing changed -------------------------------------

    /** Only {@link Registry#relocate}, which keeps its URL index in step, may change a URL. */
    Backend withUrl(String v) {
        return new Backend(id, name, v, type, status, source, pinned, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    public Backend withName(String v) {
        return new Backend(id, v, url, type, status, source, pinned, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    public Backend withType(BackendType v) {
        return new Backend(id, name, url, v, status, source, pinned, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    public Backend withStatus(BackendStatus v) {
        return new Backend(id, name, url, type, v, source, pinned, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    public Backend withSource(BackendSource v) {
        return new Backend(id, name, url, type, status, v, pinned, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    public Backend withPinned(boolean v) {
        return new Backend(id, name, url, type, status, source, v, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    public Backend withApproved(boolean v) {
        return new Backend(id, name, url, type, status, source, pinned, v, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    public Backend withPriority(int v) {
        return new Backend(id, name, url, type, status, source, pinned, approved, v, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    public Backend withModels(List<ModelInfo> v) {
        return new Backend(id, name, url, type, status, source, pinned, approved, priority, v, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    Backend withCounters(long pending, long total) {
        return new Backend(id, name, url, type, status, source, pinned, approved, priority, models, pending,
                total, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    /** Folds one successful latency sample into the EMA (alpha 0.2); the first sample is taken as is. */
    public Backend withLatencySample(double ms) {
        return withAvgLatencyMs(avgLatencyMs == null ? ms : LATENCY_ALPHA * ms + (1 - LATENCY_ALPHA) * avgLatencyMs);
    }

    /** The latency figure to show (the health checker's estimate), null for none. */
    public Backend withLatencyMs(Double v) {
        return withAvgLatencyMs(v);
    }

    Backend withAvgLatencyMs(Double v) {
        return new Backend(id, name, url, type, status, source, pinned, approved, priority, models, pendingRequests,
                totalRequests, v, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    public Backend withLastHealthCheck(Instant v) {
        return new Backend(id, name, url, type, status, source, pinned, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, v, lastError, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    public Backend withLastError(String v) {
        return new Backend(id, name, url, type, status, source, pinned, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, v, mdns, graceDeadline, configLocation, addedAt, history, settings);
    }

    public Backend withMdns(MdnsInfo v) {
        return new Backend(id, name, url, type, status, source, pinned, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, v, graceDeadline, configLocation, addedAt, history, settings);
    }

    public Backend withGraceDeadline(Instant v) {
        return new Backend(id, name, url, type, status, source, pinned, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, v, configLocation, addedAt, history, settings);
    }

    public Backend withSettings(BackendSettings v) {
        return new Backend(id, name, url, type, status, source, pinned, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, history,
                v);
    }

    /** Parallel slots, null when not known (see {@link BackendSettings#capacity()}). */
    public Integer capacity() {
        return settings.capacity();
    }

    public Backend withConfigLocation(String v) {
        return new Backend(id, name, url, type, status, source, pinned, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, v, addedAt, history, settings);
    }

    Backend withHistoryEntry(HistoryEntry e) {
        List<HistoryEntry> h = new ArrayList<>(Math.min(history.size() + 1, HISTORY_LIMIT));
        int skip = Math.max(0, history.size() + 1 - HISTORY_LIMIT);
        for (int i = skip; i < history.size(); i++) {
            h.add(history.get(i));
        }
        h.add(e);
        return new Backend(id, name, url, type, status, source, pinned, approved, priority, models, pendingRequests,
                totalRequests, avgLatencyMs, lastHealthCheck, lastError, mdns, graceDeadline, configLocation, addedAt, h, settings);
    }
}
