package io.nexusmonitor.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single source of truth: every backend, a model index, and change events.
 *
 * <p>Reads never block: backends are immutable {@link Backend} snapshots in concurrent maps, and
 * the model index holds immutable sets that writers replace. Writes are serialised by one lock;
 * each write queues its events while holding it (so their order is the order of the changes) and
 * delivers them after releasing it, so a listener never runs under the lock and may itself call
 * the registry.
 *
 * <p>Ids are derived from the normalised URL (12 hex digits of its SHA-256), so a backend keeps its
 * id across restarts and across a leave-and-return.
 */
public final class Registry {
    private static final Logger log = LoggerFactory.getLogger(Registry.class);

    private final Clock clock;
    private final RegistryLimits limits;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, Slot> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByUrl = new ConcurrentHashMap<>();
    /** model -> the slots of the backends that list it; arrays are immutable and replaced by writers. */
    private final Map<String, Slot[]> slotsByModel = new ConcurrentHashMap<>();
    /** name -> how many backends carry it (changed under the write lock), for {@link #label}. */
    private final Map<String, Integer> nameCounts = new ConcurrentHashMap<>();

    private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<RegistryEvent> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private long sequence;

    public Registry() {
        this(Clock.systemUTC());
    }

    public Registry(Clock clock) {
        this(clock, RegistryLimits.defaults());
    }

    public Registry(Clock clock, RegistryLimits limits) {
        this.clock = Objects.requireNonNull(clock);
        this.limits = Objects.requireNonNull(limits);
    }

    public Clock clock() {
        return clock;
    }

    /** The caps every add and update is held to. */
    public RegistryLimits limits() {
        return limits;
    }

    // --- reads --------------------------------------------------------------------------------

    /** Every backend, oldest first. */
    public List<Backend> all() {
        List<Backend> list = new ArrayList<>(byId.size());
        for (Slot slot : byId.values()) {
            list.add(slot.backend());
        }
        list.sort(Comparator.comparing(Backend::addedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Backend::id));
        return list;
    }

    public int size() {
        return byId.size();
    }

    public Optional<Backend> get(String id) {
        Slot slot = id == null ? null : byId.get(id);
        return slot == null ? Optional.empty() : Optional.of(slot.backend());
    }

    /** The backend at this URL, in any spelling {@link UrlNormalizer} accepts. */
    public Optional<Backend> findByUrl(String url) {
        String id = idByUrl.get(UrlNormalizer.normalize(url));
        return id == null ? Optional.empty() : get(id);
    }

    /**
     * Every backend that lists this model, whatever its status. Lock-free and without a hash
     * lookup per backend: the index holds each backend's slot, so this is one read per backend.
     */
    public List<Backend> backendsForModel(String model) {
        Slot[] slots = slotsByModel.get(model);
        if (slots == null) {
            return List.of();
        }
        Backend[] out = new Backend[slots.length];
        for (int i = 0; i < slots.length; i++) {
            out[i] = slots[i].backend();
        }
        return Arrays.asList(out);
    }

    /**
     * The same backends as {@link #backendsForModel}, read from their slots when asked for instead
     * of copied first: for a caller that reads each index once (the router, at a thousand backends
     * per model, then allocates no array and reads each slot once per decision). A later read of
     * an index may give a newer snapshot of the same backend.
     */
    public List<Backend> backendsForModelLive(String model) {
        Slot[] slots = slotsByModel.get(model);
        return slots == null ? List.of() : new LiveSlots(slots);
    }

    private static final class LiveSlots extends java.util.AbstractList<Backend> implements java.util.RandomAccess {
        private final Slot[] slots;

        LiveSlots(Slot[] slots) {
            this.slots = slots;
        }

        @Override
        public Backend get(int index) {
            return slots[index].backend();
        }

        @Override
        public int size() {
            return slots.length;
        }
    }

    /** Whether some backend lists this model id (one map lookup). */
    public boolean listsModel(String model) {
        return slotsByModel.containsKey(model);
    }

    /** Whether some backend carries this name. */
    public boolean hasName(String name) {
        return nameCounts.containsKey(name);
    }

    /** Every model id some backend lists. */
    public Set<String> modelIds() {
        return Collections.unmodifiableSet(slotsByModel.keySet());
    }

    /**
     * How to name this backend to a person: its name, and when another backend carries the same
     * name, the URL beside it ({@code gpu-box (http://127.0.0.1:11434)}), so that a backend added by
     * someone else under a familiar name cannot pass for it. Names need not be unique; this is the one
     * rule the gateway's {@code X-Nexus-Backend}, its log lines and the window's table use. One map
     * lookup, no allocation unless the name collides.
     */
    public String label(Backend b) {
        Integer n = nameCounts.get(b.name());
        return n != null && n > 1 ? labelWithUrl(b) : b.name();
    }

    /** {@code name (url)}. */
    public static String labelWithUrl(Backend b) {
        return b.name() + " (" + b.url() + ")";
    }

    /** Whether another backend carries this backend's name. */
    public boolean nameCollides(Backend b) {
        Integer n = nameCounts.get(b.name());
        return n != null && n > 1;
    }

    /** How many backends are in each status; every status present, zero where none. */
    public Map<BackendStatus, Integer> countByStatus() {
        Map<BackendStatus, Integer> m = new EnumMap<>(BackendStatus.class);
        for (BackendStatus s : BackendStatus.values()) {
            m.put(s, 0);
        }
        for (Slot slot : byId.values()) {
            m.merge(slot.backend().status(), 1, Integer::sum);
        }
        return m;
    }

    // --- listeners ----------------------------------------------------------------------------

    /** Registers a listener; close the returned handle to stop receiving events. */
    public AutoCloseable subscribe(RegistryListener listener) {
        listeners.add(Objects.requireNonNull(listener));
        return () -> listeners.remove(listener);
    }

    // --- writes -------------------------------------------------------------------------------

    /** The id a backend at this URL has (or would have). */
    public static String idFor(String normalizedUrl) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(normalizedUrl.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Adds a backend. Its URL is normalised, its id derived from it (the template's id is ignored),
     * and a history entry records {@code cause}.
     *
     * Names, models and mDNS data are held to {@link #limits()}.
     *
     * @throws DuplicateBackendException when a backend with the same URL exists
     * @throws RegistryFullException     when the registry holds {@link RegistryLimits#maxBackends()} already
     * @throws IllegalArgumentException  when the URL is not valid
     */
    public Backend add(Backend template, String cause) {
        String url = UrlNormalizer.normalize(template.url());
        Instant now = clock.instant();
        template = limits.apply(template);
        Backend added;
        writeLock.lock();
        try {
            String existing = idByUrl.get(url);
            if (existing != null) {
                throw new DuplicateBackendException(
                        Objects.requireNonNull(byId.get(existing)).backend()); // both maps change under the write lock
            }
            if (byId.size() >= limits.maxBackends()) {
                throw new RegistryFullException(limits.maxBackends());
            }
            String id = idFor(url);
            for (int n = 2; byId.containsKey(id); n++) { // a 48-bit collision: astronomically rare, still handled
                id = idFor(url + "#" + n);
            }
            added = new Backend(
                            id,
                            url,
                            template.profile().withAddedAt(now),
                            template.settings(),
                            template.health(),
                            Backend.Traffic.NONE,
                            template.presence())
                    .withHistoryEntry(new HistoryEntry(now, template.status(), cause));
            Slot slot = new Slot(added);
            byId.put(id, slot);
            idByUrl.put(url, id);
            indexModels(slot, List.of(), added.models());
            countName(added.name(), 1);
            enqueue(RegistryEvent.Kind.BACKEND_ADDED, added, null, cause, now);
        } finally {
            writeLock.unlock();
        }
        drain();
        return added;
    }

    /**
     * Changes one backend. The function gets the current snapshot and returns the new one; it may
     * change anything but the id and the URL. Emits {@code status_changed}, {@code grace_started} or
     * {@code grace_cancelled} for those changes, {@code backend_updated} for any other, and nothing
     * when nothing changed. Status, pin and grace changes are recorded in the history with {@code cause}.
     *
     * @return the new snapshot, or empty when there is no such backend
     */
    public Optional<Backend> update(String id, String cause, UnaryOperator<Backend> change) {
        Backend after;
        writeLock.lock();
        try {
            Slot slot = byId.get(id);
            if (slot == null) {
                return Optional.empty();
            }
            Backend before = slot.backend();
            after = change.apply(before);
            if (after != null) {
                after = limits.apply(before, after);
            }
            if (after == null || after.equals(before)) {
                return Optional.of(before);
            }
            if (!after.id().equals(before.id()) || !after.url().equals(before.url())) {
                throw new IllegalArgumentException("update must not change a backend's id or URL");
            }
            Instant now = clock.instant();
            boolean statusChanged = after.status() != before.status();
            boolean graceStarted = before.graceDeadline() == null && after.graceDeadline() != null;
            boolean graceCancelled = before.graceDeadline() != null && after.graceDeadline() == null;
            boolean graceMoved = before.graceDeadline() != null
                    && after.graceDeadline() != null
                    && !before.graceDeadline().equals(after.graceDeadline());
            if (statusChanged || graceStarted || graceCancelled || graceMoved || after.pinned() != before.pinned()) {
                after = after.withHistoryEntry(new HistoryEntry(now, after.status(), cause));
            }
            // counters belong to requestStarted/requestFinished, which change them without this lock:
            // take them from the slot's current value at the moment of writing, so none is lost
            Backend written = after;
            after = slot.updateAndGet(
                    current -> written.withCounters(current.pendingRequests(), current.totalRequests()));
            if (!after.models().equals(before.models())) {
                indexModels(slot, before.models(), after.models());
            }
            if (!after.name().equals(before.name())) {
                countName(before.name(), -1);
                countName(after.name(), 1);
            }
            if (statusChanged) {
                enqueue(RegistryEvent.Kind.STATUS_CHANGED, after, before, cause, now);
            }
            if (graceStarted || graceMoved) {
                enqueue(RegistryEvent.Kind.GRACE_STARTED, after, before, cause, now);
            } else if (graceCancelled) {
                enqueue(RegistryEvent.Kind.GRACE_CANCELLED, after, before, cause, now);
            }
            if (!statusChanged && !graceStarted && !graceCancelled && !graceMoved) {
                enqueue(RegistryEvent.Kind.BACKEND_UPDATED, after, before, cause, now);
            }
        } finally {
            writeLock.unlock();
        }
        drain();
        return Optional.of(after);
    }

    /**
     * As {@link #update}, and {@code cause} goes into the history even when the status stays: a
     * line the user should see (a status endpoint that stopped answering), not a status change.
     */
    public Optional<Backend> updateNoted(String id, String cause, UnaryOperator<Backend> change) {
        return update(id, cause, b -> {
            Backend after = change.apply(b);
            return after == null
                    ? null
                    : after.withHistoryEntry(new HistoryEntry(clock.instant(), after.status(), cause));
        });
    }

    /**
     * Moves a backend to another URL, keeping its id and everything else: the same mDNS instance
     * re-announced at another address or port, or at a better one (IPv4 after IPv6 link-local), is
     * one backend whose URL follows it. Its status becomes {@code unknown} (nothing is known about
     * the new address yet), which emits {@code status_changed} (or {@code backend_updated} when it
     * was unknown already), with {@code cause} in the history.
     *
     * @return the moved backend, or empty when there is no such backend
     * @throws DuplicateBackendException when another backend has that URL
     * @throws IllegalArgumentException  when the URL is not valid
     */
    public Optional<Backend> relocate(String id, String newUrl, String cause) {
        String url = UrlNormalizer.normalize(newUrl);
        Backend after;
        Backend before;
        writeLock.lock();
        try {
            Slot slot = byId.get(id);
            if (slot == null) {
                return Optional.empty();
            }
            before = slot.backend();
            if (before.url().equals(url)) {
                return Optional.of(before);
            }
            String taken = idByUrl.get(url);
            if (taken != null) {
                throw new DuplicateBackendException(
                        Objects.requireNonNull(byId.get(taken)).backend()); // both maps change under the write lock
            }
            Instant now = clock.instant();
            Backend moved = before.withUrl(url)
                    .withStatus(BackendStatus.UNKNOWN)
                    .withHistoryEntry(new HistoryEntry(now, BackendStatus.UNKNOWN, cause));
            after = slot.updateAndGet(
                    current -> moved.withCounters(current.pendingRequests(), current.totalRequests()));
            idByUrl.remove(before.url(), id);
            idByUrl.put(url, id);
            enqueue(
                    before.status() != BackendStatus.UNKNOWN
                            ? RegistryEvent.Kind.STATUS_CHANGED
                            : RegistryEvent.Kind.BACKEND_UPDATED,
                    after,
                    before,
                    cause,
                    now);
        } finally {
            writeLock.unlock();
        }
        drain();
        return Optional.of(after);
    }

    /** Removes a backend; returns it as it was, or empty when there was none. */
    public Optional<Backend> remove(String id, String cause) {
        Backend removed;
        writeLock.lock();
        try {
            Slot slot = byId.remove(id);
            if (slot == null) {
                return Optional.empty();
            }
            removed = slot.backend();
            idByUrl.remove(removed.url(), id);
            indexModels(slot, removed.models(), List.of());
            countName(removed.name(), -1);
            enqueue(RegistryEvent.Kind.BACKEND_REMOVED, removed, removed, cause, clock.instant());
        } finally {
            writeLock.unlock();
        }
        drain();
        return Optional.of(removed);
    }

    /**
     * A request was sent to this backend: pending and total go up by one. No event (see README).
     * Atomic per backend without the write lock: the gateway calls this twice per request, and
     * one lock for every request of every backend was its bottleneck under load.
     */
    public void requestStarted(String id) {
        Slot slot = byId.get(id);
        if (slot != null) {
            slot.updateAndGet(b -> b.withCounters(b.pendingRequests() + 1, b.totalRequests() + 1));
        }
    }

    /** A request to this backend ended, however it ended: pending goes down by one, never below zero. */
    public void requestFinished(String id) {
        Slot slot = byId.get(id);
        if (slot != null) {
            slot.updateAndGet(
                    b -> b.pendingRequests() > 0 ? b.withCounters(b.pendingRequests() - 1, b.totalRequests()) : b);
        }
    }

    // --- internals ----------------------------------------------------------------------------

    private void indexModels(Slot slot, List<ModelInfo> before, List<ModelInfo> after) {
        Set<String> old = new HashSet<>();
        for (ModelInfo m : before) {
            old.add(m.id());
        }
        Set<String> now = new HashSet<>();
        for (ModelInfo m : after) {
            now.add(m.id());
        }
        for (String model : old) {
            if (!now.contains(model)) {
                slotsByModel.computeIfPresent(model, (k, slots) -> {
                    Slot[] next = Arrays.stream(slots).filter(x -> x != slot).toArray(Slot[]::new);
                    return next.length == 0 ? null : next;
                });
            }
        }
        for (String model : now) {
            if (!old.contains(model)) {
                slotsByModel.compute(model, (k, slots) -> {
                    if (slots == null) {
                        return new Slot[] {slot};
                    }
                    Slot[] next = Arrays.copyOf(slots, slots.length + 1);
                    next[slots.length] = slot;
                    return next;
                });
            }
        }
    }

    private void countName(String name, int delta) {
        nameCounts.compute(name, (k, n) -> {
            int v = (n == null ? 0 : n) + delta;
            return v <= 0 ? null : v;
        });
    }

    private void enqueue(RegistryEvent.Kind kind, Backend after, @Nullable Backend before, String cause, Instant now) {
        outbox.add(new RegistryEvent(++sequence, kind, after, before, cause, now));
    }

    /** Delivers queued events in order; one thread at a time, the others leave it to that one. */
    private void drain() {
        while (!outbox.isEmpty()) {
            if (!draining.compareAndSet(false, true)) {
                return;
            }
            try {
                RegistryEvent e;
                while ((e = outbox.poll()) != null) {
                    for (RegistryListener l : listeners) {
                        try {
                            l.onEvent(e);
                        } catch (RuntimeException ex) {
                            log.warn("registry listener {} failed on {}", l, e.kind(), ex);
                        }
                    }
                }
            } finally {
                draining.set(false);
            }
        }
    }

    /**
     * Where one backend's current snapshot lives. Writers replace the snapshot under the write
     * lock; request counters change it by compare-and-set without the lock, so the gateway's hot
     * path never waits for a registry write.
     */
    private static final class Slot extends AtomicReference<Backend> {
        Slot(Backend initial) {
            super(initial);
        }

        /** Never null: a slot is made with a backend and only ever set to another. */
        Backend backend() {
            return Objects.requireNonNull(get());
        }
    }
}
