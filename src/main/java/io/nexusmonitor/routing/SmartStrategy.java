package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code smart}: a cost model. For each routable backend with the model it predicts this
 * request's time to first token and picks the smallest:
 *
 * <pre>
 *   predicted = warm TTFT                       learned for this backend × model; else the backend's
 *                                               other models; else {@value #DEFAULT_TTFT_MS} ms
 *             + queue wait                      when in flight ≥ capacity: (in flight − capacity + 1)
 *                                               × service time / capacity
 *             + rest of a load in progress      the box loads a model: nothing else starts meanwhile
 *             + cold start                      the model is not loaded: the learned load time of
 *                                               this backend (else cold_start_seconds), plus one
 *                                               service time when requests run (a swap waits for them)
 * </pre>
 *
 * Capacity unknown counts as {@value #ASSUMED_CAPACITY} slots for the prediction (and is no limit
 * for the queue). Config backends rank first ({@link PriorityTrust}); equal predictions (to the
 * millisecond) go to the better priority, then to the fewer requests in flight per unit of weight,
 * then to the id. Figures come from {@link RouteStats}; nothing here blocks or allocates per backend.
 */
final class SmartStrategy implements SelectionStrategy {
    static final double DEFAULT_TTFT_MS = 500;
    static final double DEFAULT_SERVICE_MS = 3000;
    static final int ASSUMED_CAPACITY = 4;

    private final PriorityTrust trust;
    private final RouteStats stats;
    private final double defaultColdStartMs;

    SmartStrategy(PriorityTrust trust, RouteStats stats, double defaultColdStartMs) {
        this.trust = trust;
        this.stats = stats;
        this.defaultColdStartMs = defaultColdStartMs;
    }

    /** The parts of one prediction, for the route reason (built for the few chosen, not for every candidate). */
    private record Prediction(double ms, boolean loaded, boolean loadingHere, int inFlight, int capacity) {}

    /** The predicted time to first token, in ms: the formula of the class, for every candidate. */
    private double predictMs(Backend b, RouteStats.Entry e) {
        RouteStats.BackendFigures f = e.backend;
        double warm = e.warmTtftMs;
        if (Double.isNaN(warm)) { // NaN: not measured for this model
            warm = e.boxWarmTtftMs;
            if (Double.isNaN(warm)) {
                warm = DEFAULT_TTFT_MS;
            }
        }
        int inFlight = e.boxInFlight;
        int capacity = e.capacity(b);
        int cap = capacity < 0 ? ASSUMED_CAPACITY : capacity;
        double ms = warm;
        boolean waits = inFlight >= cap;
        int loading = e.boxLoading;
        boolean loaded = e.loaded(b);
        if (!waits && loading == 0 && loaded) {
            return ms; // the common case: a free slot, the model in memory
        }
        double service = e.serviceMs;
        if (Double.isNaN(service)) {
            service = Double.isNaN(f.serviceMs) ? DEFAULT_SERVICE_MS : f.serviceMs;
        }
        double coldStart = Double.isNaN(f.coldStartMs) ? defaultColdStartMs : f.coldStartMs;
        if (waits) {
            ms += (inFlight - cap + 1) * service / cap;
        }
        boolean loadingHere = false;
        if (loading > 0) {
            ms += Math.max(0, coldStart - (System.nanoTime() - f.loadingSinceNanos) / 1e6);
            loadingHere = e.inFlight > 0 && !loaded;
        }
        if (!loaded && !loadingHere) {
            ms += coldStart + (inFlight > 0 ? service : 0);
        }
        return ms;
    }

    private Prediction explain(Backend b, RouteStats.Entry e) {
        boolean loaded = e.loaded(b);
        boolean loadingHere = e.boxLoading > 0 && e.inFlight > 0 && !loaded;
        return new Prediction(predictMs(b, e), loaded, loadingHere, e.boxInFlight, e.capacity(b));
    }

    private static boolean free(Prediction p) {
        return p.capacity < 0 || p.inFlight < p.capacity;
    }

    private double key(Backend b, RouteStats.Entry e) {
        boolean loaded = e.loaded(b);
        int inFlight = e.boxInFlight;
        int capacity = e.capacity();
        if (loaded && e.boxLoading == 0 && inFlight < (capacity < 0 ? ASSUMED_CAPACITY : capacity)) {
            // the common case: free slot, model in memory; everything but the in-flight part is cached
            double k = e.staticKey;
            if (Double.isNaN(k)) {
                k = staticKey(b, warmMs(e));
                e.staticKey = k;
            }
            return k + Math.min(999, Math.floor((inFlight + 1) * e.perWeight));
        }
        return staticKey(b, predictMs(b, e)) + Math.min(999, Math.floor((inFlight + 1) * e.perWeight));
    }

    private static double warmMs(RouteStats.Entry e) {
        double warm = e.warmTtftMs;
        if (Double.isNaN(warm)) {
            warm = e.boxWarmTtftMs;
            if (Double.isNaN(warm)) {
                warm = DEFAULT_TTFT_MS;
            }
        }
        return warm;
    }

    /**
     * The key without its in-flight part: predicted ms, then priority, then (in the last place) a
     * fraction of the id's hash, so that equal figures (common before anything is measured) rarely
     * fall through to comparing id strings; the key stays well below 2^53.
     */
    private static double staticKey(Backend b, double ms) {
        return staticKeyOf(b, ms);
    }

    /** The static key of a ready entry: its warm TTFT (else the backend's, else the default), priority and id. */
    static double staticKey(Backend b, double warmTtftMs, double boxWarmTtftMs) {
        double warm = warmTtftMs;
        if (Double.isNaN(warm)) {
            warm = boxWarmTtftMs;
            if (Double.isNaN(warm)) {
                warm = DEFAULT_TTFT_MS;
            }
        }
        return staticKeyOf(b, warm);
    }

    private static double staticKeyOf(Backend b, double ms) {
        return Math.rint(Math.min(ms, 1e6)) * 1e7
                + Math.min(Math.max(b.priority(), 0), 9999) * 1e3
                + (b.id().hashCode() & 0xff) / 256.0;
    }

    @Override
    public List<Candidate> select(String model, List<Backend> listed, int count) {
        RouteStats.ModelTable table = stats.modelTable(model);
        RouteStats.Aligned aligned = table.aligned;
        boolean[] missed = {false};
        // one pass over the candidates (as TopK): a candidate whose snapshot the flat arrays were
        // written for costs a slot read and three array elements, not a read of the snapshot itself
        int n = listed.size();
        TopK.Best ranked = new TopK.Best(Math.min(count, n));
        int routable = 0;
        for (int i = 0; i < n; i++) {
            Backend b = listed.get(i);
            int flags = aligned.flags(i, b);
            int tier;
            double k;
            if (flags != 0) {
                if ((flags & RouteStats.Aligned.ROUTABLE) == 0) {
                    continue;
                }
                tier = trust.tier((flags & RouteStats.Aligned.CONFIG) != 0);
                k = aligned.readyKeyAt(i);
                if (Double.isNaN(k)) {
                    k = key(b, table.at(aligned, i, b, stats, missed));
                }
            } else {
                if (!b.routable()) {
                    continue;
                }
                tier = trust.tier(b);
                k = key(b, table.at(aligned, i, b, stats, missed));
            }
            routable++;
            ranked.offer(b, tier, k);
        }
        TopK.Result top = ranked.result(routable);
        table.realign(aligned, listed, stats, missed[0]);
        List<Backend> best = top.best();
        List<Prediction> predictions = new ArrayList<>(best.size());
        for (Backend b : best) {
            predictions.add(explain(b, stats.entry(table.byBackend, model, b.id())));
        }
        List<Candidate> out = new ArrayList<>(best.size());
        int among = top.routable();
        for (int i = 0; i < best.size(); i++) {
            Backend b = best.get(i);
            Prediction p = predictions.get(i);
            int at = i;
            out.add(new Candidate(b, () -> reason(model, best, predictions, at, among), free(p), p.ms));
        }
        return out;
    }

    /** {@code mid: m2 loaded, 1/2 busy, predicted first token 0.3 s (big: must load m2, ~3.2 s)}; built for the one that answers. */
    private String reason(String model, List<Backend> best, List<Prediction> predictions, int i, int routable) {
        Backend b = best.get(i);
        Prediction p = predictions.get(i);
        StringBuilder r = new StringBuilder();
        r.append(b.name())
                .append(": ")
                .append(state(model, p))
                .append(", predicted first token ")
                .append(seconds(p.ms));
        if (i + 1 < best.size()) {
            Prediction q = predictions.get(i + 1);
            r.append(" (")
                    .append(best.get(i + 1).name())
                    .append(": ")
                    .append(q.loaded || q.loadingHere ? state(model, q) : "must load " + model)
                    .append(", ~")
                    .append(seconds(q.ms))
                    .append(')');
        }
        if (routable > best.size()) {
            r.append(", best of ").append(routable);
        }
        r.append(trust.note(b));
        return r.toString();
    }

    private static String state(String model, Prediction p) {
        String residency = p.loaded ? model + " loaded" : p.loadingHere ? "loading " + model : model + " not loaded";
        String busy = p.capacity < 0 ? p.inFlight + " in flight" : p.inFlight + "/" + p.capacity + " busy";
        return residency + ", " + busy;
    }

    private static String seconds(double ms) {
        if (ms >= 100_000) {
            return Math.round(ms / 1000) + " s";
        }
        long tenths = Math.round(ms / 100);
        return tenths / 10 + "." + tenths % 10 + " s";
    }
}
