package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.Registry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway has learned from the requests it proxied, the one place {@code smart}'s cost
 * model reads from: requests in flight per backend and per backend × model, and per backend ×
 * model the warm time to first token (sending upstream to the first body byte), the service time
 * (sending to the last byte), and per backend the cost of a model load seen on it. Figures are
 * exponentially weighted moving averages ({@value #ALPHA}); a figure not measured yet is
 * {@code NaN}. Thread-safe; the counters are atomics, the figures volatile doubles written under
 * the figure's own monitor.
 *
 * <p>Capacity: a backend whose capacity nobody gave (config, mDNS, the server) has it learned here.
 * A warm request sent while {@code n} requests were in flight on the backend whose first token
 * took more than {@value #SATURATED_FACTOR} × the backend's warm TTFT, and at least
 * {@value #MIN_WAIT_MS} ms more, means the box queued it inside; after {@value #SATURATED_SAMPLES} such requests at {@code n} (more than twice the fine
 * ones at {@code n}) the capacity is set to {@code n - 1} with source {@code learned}. Only
 * capacities up to {@value #MAX_LEARNED} are learned: a box that runs more at once is a server
 * with room (and a burst of many streams slows first tokens for reasons other than slots), so it
 * stays unknown, no limit for the queue, unless {@code max_concurrent} or the server says. It is only lowered
 * this way: above the learned capacity the gateway no longer sends, so it sees no evidence to
 * raise it (set {@code max_concurrent} for a box whose slots change).
 */
public final class RouteStats {
    /** Weight of a new sample in the moving averages. */
    static final double ALPHA = 0.2;
    /** A first token slower than this many times the warm TTFT means the box was full. */
    static final double SATURATED_FACTOR = 1.5;
    /**
     * How much later than the warm TTFT a first token must be to count as having waited for a slot.
     * A slot on an LLM server frees when a generation ends, so a real wait is a good part of one;
     * shorter delays are the machine's own noise: a 1 ms nginx backend on a busy 2-core box gave
     * first bytes 20+ ms late and was learned as capacity 15, which then queued two thirds of the
     * gateway benchmark's requests (and halved its throughput). A wait under this costs a caller
     * less than the gateway's queue would save.
     */
    static final double MIN_WAIT_MS = 100;
    /** How many saturated first tokens at one in-flight count set the learned capacity. */
    static final int SATURATED_SAMPLES = 3;
    /** The largest capacity learned from first tokens. */
    static final int MAX_LEARNED = 32;
    /** In-flight counts tracked for learning capacity. */
    private static final int MAX_TRACKED = 256;

    private final Registry registry;
    private final Map<String, ModelTable> byModel = new ConcurrentHashMap<>();
    private final Map<String, BackendFigures> byBackend = new ConcurrentHashMap<>();
    private final List<Runnable> slotListeners = new CopyOnWriteArrayList<>();

    public RouteStats(Registry registry) {
        this.registry = registry;
    }

    /** Runs (on the finishing thread) whenever a request ends and frees a slot: the queue's cue. */
    public void onSlotFreed(Runnable listener) {
        slotListeners.add(listener);
    }

    /** Everything learned about one backend, whatever the model. */
    public static final class BackendFigures {
        private static final AtomicIntegerFieldUpdater<BackendFigures> IN_FLIGHT =
                AtomicIntegerFieldUpdater.newUpdater(BackendFigures.class, "inFlight");
        private static final AtomicIntegerFieldUpdater<BackendFigures> LOADING =
                AtomicIntegerFieldUpdater.newUpdater(BackendFigures.class, "loading");
        final String id;
        // plain volatile ints (not AtomicInteger objects): the router reads them for every candidate
        volatile int inFlight;
        /** Requests in flight that found their model not loaded: the box is loading (and blocked). */
        volatile int loading;

        volatile long loadingSinceNanos;
        volatile double warmTtftMs = Double.NaN;
        volatile double serviceMs = Double.NaN;
        volatile double coldStartMs = Double.NaN;
        /** Every entry of this backend: each holds a copy of the counters above (see {@link Entry#boxInFlight}). */
        final List<Entry> entries = new CopyOnWriteArrayList<>();

        private final int[] fine = new int[MAX_TRACKED + 1];
        private final int[] saturated = new int[MAX_TRACKED + 1];

        BackendFigures(String id) {
            this.id = id;
        }

        public int inFlight() {
            return inFlight;
        }

        /** Learned warm TTFT over every model of this backend, NaN before the first. */
        public double warmTtftMs() {
            return warmTtftMs;
        }

        public double coldStartMs() {
            return coldStartMs;
        }

        public double serviceMs() {
            return serviceMs;
        }
    }

    /** One backend × model. */
    public static final class Entry {
        private static final AtomicIntegerFieldUpdater<Entry> IN_FLIGHT =
                AtomicIntegerFieldUpdater.newUpdater(Entry.class, "inFlight");
        private static final AtomicIntegerFieldUpdater<Entry> BOX_IN_FLIGHT =
                AtomicIntegerFieldUpdater.newUpdater(Entry.class, "boxInFlight");
        private static final AtomicIntegerFieldUpdater<Entry> BOX_LOADING =
                AtomicIntegerFieldUpdater.newUpdater(Entry.class, "boxLoading");
        final BackendFigures backend;
        final String model;
        final String backendId;
        volatile int inFlight;
        /**
         * Copies of the backend's in-flight and loading counts and warm TTFT, kept in every entry
         * of the backend (a few writes per request), so a routing decision reads one object per
         * candidate instead of two.
         */
        volatile int boxInFlight;

        volatile int boxLoading;
        volatile double boxWarmTtftMs = Double.NaN;
        /** The settings capacity and weight were last read from (by identity): -1 for unknown capacity. */
        private volatile @Nullable BackendSettings seenSettings;

        private int capacity = -1;
        private int weight = 1;
        volatile double warmTtftMs = Double.NaN;
        volatile double serviceMs = Double.NaN;
        /** The models list residency was last read from (by identity), and what it said. */
        private volatile @Nullable List<ModelInfo> seenModels;
        /** The priority {@code staticKey} was computed with. */
        private volatile int seenPriority = Integer.MIN_VALUE;
        /** The snapshot everything cached here was read from: one identity check per decision. */
        private volatile @Nullable Backend seenBackend;

        private volatile boolean listedLoaded;
        /**
         * {@code smart}'s key for this entry when it has a free slot and its model loaded, less the
         * in-flight part: recomputed (NaN) when the snapshot or a warm TTFT changes.
         */
        volatile double staticKey = Double.NaN;
        /** 100 / weight, for the in-flight part of the key. */
        volatile double perWeight = 100.0;
        /** Set when a request of ours loaded the model; cleared by the next models list the registry holds. */
        private volatile @Nullable List<ModelInfo> loadedByUsSince;
        /** Where this entry's ready key lives in its table's {@link Aligned} arrays; under the backend's monitor. */
        private @Nullable Aligned where;

        private int index;

        Entry(BackendFigures backend, String model) {
            this.backend = backend;
            this.model = model;
            this.backendId = backend.id;
        }

        public int inFlight() {
            return inFlight;
        }

        /**
         * The backend's capacity, -1 when unknown; read once per settings snapshot (no unboxing per
         * decision). Valid after {@link #loaded(Backend)} or {@link #capacity(Backend)} for the same snapshot.
         */
        int capacity() {
            return capacity;
        }

        int capacity(Backend b) {
            if (b != seenBackend) {
                refresh(b);
            }
            return capacity;
        }

        /** Valid after {@link #capacity(Backend)} for the same snapshot. */
        int weight() {
            return weight;
        }

        int weight(Backend b) {
            refreshSettings(b);
            return weight;
        }

        private void refreshSettings(Backend b) {
            BackendSettings s = b.settings();
            if (s != seenSettings) {
                capacity = s.capacity() == null ? -1 : s.capacity();
                weight = s.weight();
                perWeight = 100.0 / weight;
                seenSettings = s;
            }
        }

        public double warmTtftMs() {
            return warmTtftMs;
        }

        /**
         * Whether the model is in memory on the backend: {@code models[].loaded} of the snapshot
         * (unknown counts as loaded: vLLM and single-model servers always are), or loaded by a
         * request of ours since that models list was read.
         */
        boolean loaded(Backend b) {
            if (b != seenBackend) {
                refresh(b);
            }
            List<ModelInfo> loadedSince = loadedByUsSince;
            return listedLoaded || (loadedSince != null && loadedSince == b.models());
        }

        /**
         * {@code smart}'s whole key when the backend has a free slot, this model loaded and nothing
         * loading (the common case): the static key plus the in-flight part; NaN otherwise (the
         * strategy then predicts the full formula). Valid for {@link #seenBackend}.
         */
        double readyKey() {
            Backend b = seenBackend;
            if (b == null || boxLoading != 0) {
                return Double.NaN;
            }
            List<ModelInfo> loadedSince = loadedByUsSince;
            boolean loaded = listedLoaded || (loadedSince != null && loadedSince == b.models());
            int inFlight = boxInFlight;
            if (!loaded || inFlight >= (capacity < 0 ? SmartStrategy.ASSUMED_CAPACITY : capacity)) {
                return Double.NaN;
            }
            double k = staticKey;
            if (Double.isNaN(k)) {
                k = SmartStrategy.staticKey(b, warmTtftMs, boxWarmTtftMs);
                staticKey = k;
            }
            return k + Math.min(999, Math.floor((inFlight + 1) * perWeight));
        }

        /**
         * Writes the ready key and the snapshot it is valid for into the table's flat arrays, so a
         * decision reads two array elements per candidate instead of this object. Called under the
         * backend's monitor whenever a figure the key depends on changes.
         */
        void publishReady() {
            Aligned w = where;
            if (w != null) {
                Backend b = seenBackend;
                KEY.setRelease(w.readyKeys, index, b == null ? Double.NaN : readyKey());
                FLAGS.setRelease(
                        w.flags,
                        index,
                        b == null
                                ? 0
                                : (byte) (Aligned.KNOWN
                                        | (b.routable() ? Aligned.ROUTABLE : 0)
                                        | (b.source() == io.nexusmonitor.registry.BackendSource.STATIC
                                                ? Aligned.CONFIG
                                                : 0)));
                SEEN.setRelease(w.seen, index, b);
            }
        }

        /** Reads residency, capacity and weight again when the backend's snapshot is another one. */
        private void refresh(Backend b) {
            refreshSettings(b);
            List<ModelInfo> models = b.models();
            if (models != seenModels) {
                boolean in = true;
                for (ModelInfo m : models) {
                    if (m.id().equals(model)) {
                        in = m.loaded() == null || m.loaded();
                        break;
                    }
                }
                listedLoaded = in;
                seenModels = models;
            }
            // the cached key is the warm figure (cleared where it is learned), the priority and the id:
            // a new snapshot for a counter change (two per request) must not throw it away
            if (b.priority() != seenPriority) {
                staticKey = Double.NaN;
                seenPriority = b.priority();
            }
            seenBackend = b; // last: a reader that sees it sees the fields above
        }
    }

    private static final VarHandle KEY = MethodHandles.arrayElementVarHandle(double[].class);
    private static final VarHandle SEEN = MethodHandles.arrayElementVarHandle(Backend[].class);
    private static final VarHandle FLAGS = MethodHandles.arrayElementVarHandle(byte[].class);

    /**
     * A model's entries in the order the registry lists the model's backends, and beside them, flat,
     * what a decision needs of each in the common case: the ready key ({@link Entry#readyKey}) and
     * the backend snapshot it was computed for. A decision reads element {@code i} for backend
     * {@code i}: no hashing, no pointer to follow, 12 bytes per candidate in two sequential arrays.
     * Written under the backend's monitor (by the counters' and figures' writers and by a decision
     * that found a newer snapshot), read without locks.
     */
    static final class Aligned {
        /** {@link #flags}: written for the snapshot in {@link #seen}; routable; from the config file. */
        static final int KNOWN = 1;

        static final int ROUTABLE = 2;
        static final int CONFIG = 4;
        final Entry[] entries;
        final double[] readyKeys;
        /** What a decision needs of the snapshot itself, so a candidate seen before costs no read of it. */
        final byte[] flags;

        final Backend[] seen;

        Aligned(Entry[] entries) {
            this.entries = entries;
            this.readyKeys = new double[entries.length];
            this.flags = new byte[entries.length];
            this.seen = new Backend[entries.length];
        }

        /** The flags of backend {@code b} at {@code index} when they were written for this very snapshot; 0 otherwise. */
        int flags(int index, Backend b) {
            if (index < seen.length && SEEN.getAcquire(seen, index) == b) {
                return (byte) FLAGS.getAcquire(flags, index);
            }
            return 0;
        }

        /** The ready key at {@code index}, after {@link #flags} said it is for the snapshot in hand. */
        double readyKeyAt(int index) {
            return (double) KEY.getAcquire(readyKeys, index);
        }

        /**
         * {@code smart}'s key for backend {@code b} at {@code index} when it is ready (free slot,
         * model loaded) and the key was computed for this very snapshot; NaN otherwise.
         */
        double readyKey(int index, Backend b) {
            if (index < seen.length && SEEN.getAcquire(seen, index) == b) {
                return (double) KEY.getAcquire(readyKeys, index);
            }
            return Double.NaN;
        }
    }

    /**
     * Requests for one model, per backend id; plus the entries in the order the registry lists the
     * model's backends, so a decision reads entry {@code i} for backend {@code i} without hashing.
     */
    static final class ModelTable {
        final String model;
        final Map<String, Entry> byBackend = new ConcurrentHashMap<>();
        volatile Aligned aligned = new Aligned(new Entry[0]);

        ModelTable(String model) {
            this.model = model;
        }

        /**
         * The entry for the backend at {@code index} of the registry's list; a miss (the list
         * changed) is looked up by id and makes {@link #realign} rebuild the aligned entries.
         * Brings the entry's ready key up to date with {@code b} when it was computed for another snapshot.
         */
        Entry at(Aligned snapshot, int index, Backend b, RouteStats stats, boolean[] missed) {
            Entry[] entries = snapshot.entries;
            Entry e = null;
            if (index < entries.length) {
                Entry x = entries[index];
                if (x.backendId == b.id() || x.backendId.equals(b.id())) {
                    e = x;
                }
            }
            if (e == null) {
                missed[0] = true;
                e = stats.entry(byBackend, model, b.id());
            }
            if (e.seenBackend != b || index >= snapshot.seen.length || snapshot.seen[index] != b) {
                synchronized (e.backend) {
                    if (e.seenBackend != b) {
                        e.refresh(b);
                    }
                    e.publishReady();
                }
            }
            return e;
        }

        /** After a decision: when the list changed, the aligned entries follow it. */
        void realign(Aligned snapshot, List<Backend> listed, RouteStats stats, boolean missed) {
            int n = listed.size();
            if (!missed && snapshot.entries.length == n) {
                return;
            }
            synchronized (
                    this) { // two decisions that both saw the change: the last one is the table's and its entries'
                Entry[] entries = new Entry[n];
                for (int i = 0; i < n; i++) {
                    entries[i] = stats.entry(byBackend, model, listed.get(i).id());
                }
                Aligned next = new Aligned(entries);
                for (int i = 0; i < n; i++) {
                    Entry e = entries[i];
                    if (e.where == next) {
                        continue; // listed twice: its figures go to the first place, the second reads the entry
                    }
                    synchronized (e.backend) {
                        e.where = next;
                        e.index = i;
                        e.publishReady();
                    }
                }
                aligned = next;
            }
        }
    }

    /** The figures of one backend; created on first use. */
    public BackendFigures backend(String backendId) {
        BackendFigures f = byBackend.get(backendId);
        return f != null ? f : byBackend.computeIfAbsent(backendId, BackendFigures::new);
    }

    /** The table for a model, looked up once per routing decision. */
    ModelTable modelTable(String model) {
        ModelTable t = byModel.get(model);
        if (t == null) {
            t = byModel.computeIfAbsent(model, ModelTable::new);
        }
        return t;
    }

    Map<String, Entry> table(String model) {
        return modelTable(model).byBackend;
    }

    Entry entry(Map<String, Entry> table, String model, String backendId) {
        Entry e = table.get(backendId);
        if (e == null) {
            e = table.computeIfAbsent(backendId, id -> {
                BackendFigures f = backend(id);
                Entry created = new Entry(f, model);
                synchronized (f) { // the copies start from the backend's counts as they are now
                    created.boxInFlight = f.inFlight;
                    created.boxLoading = f.loading;
                    created.boxWarmTtftMs = f.warmTtftMs;
                    f.entries.add(created);
                }
                return created;
            });
        }
        return e;
    }

    public Entry entry(String model, String backendId) {
        return entry(table(model), model, backendId);
    }

    /** Requests in flight on this backend through the gateway. */
    public int inFlight(String backendId) {
        BackendFigures f = byBackend.get(backendId);
        return f == null ? 0 : f.inFlight;
    }

    /** Requests in flight for this model on this backend through the gateway. */
    public int inFlight(String backendId, String model) {
        ModelTable t = byModel.get(model);
        Entry e = t == null ? null : t.byBackend.get(backendId);
        return e == null ? 0 : e.inFlight;
    }

    /** Requests in flight per model on one backend (models with none left out). */
    public Map<String, Integer> inFlightByModel(String backendId) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (Map.Entry<String, ModelTable> t : byModel.entrySet()) {
            Entry e = t.getValue().byBackend.get(backendId);
            if (e != null && e.inFlight > 0) {
                out.put(t.getKey(), e.inFlight);
            }
        }
        return out;
    }

    /** Forgets a backend that left the registry. */
    public void forget(String backendId) {
        byBackend.remove(backendId);
        for (ModelTable t : byModel.values()) {
            t.byBackend.remove(backendId);
        }
    }

    /**
     * A request is on its way to {@code b} for {@code model}: counted in flight now (before it is
     * sent, so two decisions at once see each other). End it with {@link Flight#end}.
     */
    public Flight start(Backend b, String model) {
        Entry e = entry(model, b.id());
        BackendFigures f = e.backend;
        boolean loaded = e.loaded(b);
        boolean boxLoading = f.loading > 0;
        int n;
        int here = Entry.IN_FLIGHT.incrementAndGet(e);
        boolean cold = !loaded && here == 1;
        synchronized (f) {
            n = BackendFigures.IN_FLIGHT.incrementAndGet(f);
            for (Entry x : f.entries) {
                Entry.BOX_IN_FLIGHT.incrementAndGet(x);
                if (!cold) {
                    x.publishReady();
                }
            }
            if (cold) {
                if (BackendFigures.LOADING.getAndIncrement(f) == 0) {
                    f.loadingSinceNanos = System.nanoTime();
                }
                for (Entry x : f.entries) {
                    Entry.BOX_LOADING.incrementAndGet(x);
                    x.publishReady();
                }
            }
        }
        if (cold) {
            return new Flight(this, b, e, n, true, boxLoading);
        }
        return new Flight(this, b, e, n, false, boxLoading || !loaded);
    }

    /** One request to one backend, from being counted to its end; each method is idempotent. */
    public static final class Flight {
        private final RouteStats stats;
        private final Backend backend;
        private final Entry entry;
        private final int inFlightAtStart;
        private final boolean cold;
        private final boolean disturbed;
        private final long startNanos = System.nanoTime();
        private long firstByteNanos;
        private boolean ended;

        Flight(RouteStats stats, Backend backend, Entry entry, int inFlightAtStart, boolean cold, boolean disturbed) {
            this.stats = stats;
            this.backend = backend;
            this.entry = entry;
            this.inFlightAtStart = inFlightAtStart;
            this.cold = cold;
            this.disturbed = disturbed;
        }

        /** True when this request found its model not loaded: its first token includes the load. */
        public boolean cold() {
            return cold;
        }

        public Backend backend() {
            return backend;
        }

        /** When the request was counted and sent ({@link System#nanoTime}): the start of every figure measured here. */
        public long startNanos() {
            return startNanos;
        }

        /** When the first body byte arrived ({@link System#nanoTime}), 0 before it did. */
        public synchronized long firstByteNanos() {
            return firstByteNanos;
        }

        /** The first response body byte arrived: a TTFT sample. */
        public synchronized void firstByte() {
            if (firstByteNanos != 0 || ended) {
                return;
            }
            firstByteNanos = System.nanoTime();
            double ms = (firstByteNanos - startNanos) / 1e6;
            BackendFigures f = entry.backend;
            if (cold) {
                entry.loadedByUsSince = backend.models();
                double warm = !Double.isNaN(entry.warmTtftMs)
                        ? entry.warmTtftMs
                        : !Double.isNaN(f.warmTtftMs) ? f.warmTtftMs : 0;
                synchronized (f) {
                    f.coldStartMs = ewma(f.coldStartMs, Math.max(0, ms - warm));
                }
                endLoading();
                return;
            }
            if (disturbed || f.loading > 0) {
                return; // waited behind a model load: says nothing about warm speed or slots
            }
            stats.warmSample(backend, entry, inFlightAtStart, ms);
        }

        private void endLoading() {
            // the box is no longer blocked by this load
            BackendFigures f = entry.backend;
            synchronized (f) {
                BackendFigures.LOADING.decrementAndGet(f);
                for (Entry x : f.entries) {
                    Entry.BOX_LOADING.decrementAndGet(x);
                    x.publishReady();
                }
            }
        }

        /**
         * The request ended, however it ended.
         *
         * @param completed true when the whole answer came through (a service time sample)
         */
        public void end(boolean completed) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                if (cold && firstByteNanos == 0) {
                    endLoading();
                }
                if (completed && firstByteNanos != 0 && !cold) {
                    double ms = (System.nanoTime() - startNanos) / 1e6;
                    synchronized (entry) {
                        entry.serviceMs = ewma(entry.serviceMs, ms);
                    }
                    BackendFigures f = entry.backend;
                    synchronized (f) {
                        f.serviceMs = ewma(f.serviceMs, ms);
                    }
                }
            }
            Entry.IN_FLIGHT.decrementAndGet(entry);
            BackendFigures f = entry.backend;
            synchronized (f) {
                BackendFigures.IN_FLIGHT.decrementAndGet(f);
                for (Entry x : f.entries) {
                    Entry.BOX_IN_FLIGHT.decrementAndGet(x);
                    x.publishReady();
                }
            }
            for (Runnable r : stats.slotListeners) {
                r.run();
            }
        }
    }

    private void warmSample(Backend b, Entry e, int n, double ms) {
        BackendFigures f = e.backend;
        boolean saturatedSample;
        synchronized (f) {
            double base = !Double.isNaN(e.warmTtftMs) ? e.warmTtftMs : f.warmTtftMs;
            saturatedSample = !Double.isNaN(base) && n > 1 && ms > SATURATED_FACTOR * base && ms > base + MIN_WAIT_MS;
            if (!saturatedSample) {
                f.warmTtftMs = ewma(f.warmTtftMs, ms);
                for (Entry x : f.entries) {
                    x.boxWarmTtftMs = f.warmTtftMs;
                    x.staticKey = Double.NaN;
                    if (x != e) {
                        x.publishReady();
                    }
                }
            }
            int at = Math.min(n, MAX_TRACKED);
            if (saturatedSample) {
                f.saturated[at]++;
            } else {
                f.fine[at]++;
            }
        }
        if (!saturatedSample) {
            synchronized (f) { // the backend's monitor: the ready key is written under it
                e.warmTtftMs = ewma(e.warmTtftMs, ms);
                e.staticKey = Double.NaN;
                e.publishReady();
            }
            return;
        }
        learnCapacity(b.id(), f, Math.min(n, MAX_TRACKED));
    }

    private void learnCapacity(String id, BackendFigures f, int n) {
        int cap;
        synchronized (f) {
            if (n > MAX_LEARNED + 1 || f.saturated[n] < SATURATED_SAMPLES || f.saturated[n] <= 2 * f.fine[n]) {
                return;
            }
            cap = Math.max(1, n - 1);
        }
        registry.update(id, "capacity learned", current -> {
            BackendSettings s = current.settings();
            boolean mayLearn =
                    s.capacitySource() == null || s.capacitySource() == BackendSettings.CapacitySource.LEARNED;
            if (!mayLearn || (s.capacity() != null && s.capacity() <= cap)) {
                return current;
            }
            return current.withSettings(s.withCapacity(cap, BackendSettings.CapacitySource.LEARNED));
        });
    }

    static double ewma(double avg, double sample) {
        return Double.isNaN(avg) ? sample : ALPHA * sample + (1 - ALPHA) * avg;
    }
}
