package io.nexusmonitor.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.zip.DataFormatException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's request figures per backend × model, kept as minute buckets (the last
 * {@value #MINUTES}) and hour buckets (the last {@value #HOURS}), each with its own HdrHistograms,
 * and merged on demand into any {@link Window} for one pair, one backend, one model or all.
 * Backends are keyed by their normalised URL, which survives a restart (ids do not). Recording a
 * request takes one short lock on its pair; reading merges buckets and is meant for a few calls
 * a second (API, window, history), never per request. At most {@value #MAX_SERIES} pairs are
 * kept; requests of further pairs are counted in {@link #dropped()} only.
 */
public final class RequestStats implements RequestListener {
    private static final Logger log = LoggerFactory.getLogger(RequestStats.class);
    static final int MINUTES = 61;
    static final int HOURS = 25;
    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    public static final int MAX_SERIES = 1000;

    /** A backend × model pair. */
    public record Key(String backendUrl, String model) {}

    /** What is known of a pair: its key and the backend's latest id (null when only history knows it) and name. */
    public record Pair(
            Key key, @Nullable String backendId, @Nullable String backendName) {}

    /** One bucket of a chart: its start and its figures. */
    public record Point(long startMillis, Summary summary) {}

    private final LongSupplier clock;
    private final Map<Key, Series> series = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public RequestStats(LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    public RequestStats() {
        this(System::currentTimeMillis);
    }

    /** Now, by this object's clock (epoch milliseconds). */
    public long now() {
        return clock.getAsLong();
    }

    private static final class Series {
        final Key key;
        volatile @Nullable String backendId;
        volatile @Nullable String backendName;
        final Bucket[] minutes = new Bucket[MINUTES];
        final Bucket[] hours = new Bucket[HOURS];

        Series(Key key) {
            this.key = key;
        }

        synchronized void add(RequestRecord r, long version) {
            Bucket minute = bucket(minutes, r.endedAtMillis(), MINUTE);
            minute.add(r);
            minute.changedAt = version;
            Bucket hour = bucket(hours, r.endedAtMillis(), HOUR);
            hour.add(r);
            hour.changedAt = version;
        }

        synchronized long completionTokens(long from, long to) {
            long sum = 0;
            for (Bucket b : minutes) {
                if (b != null && b.requests > 0 && b.start >= from && b.start <= to) {
                    sum += b.completionTokens;
                }
            }
            return sum;
        }

        static Bucket bucket(Bucket[] ring, long at, long size) {
            long start = at - Math.floorMod(at, size);
            int i = (int) Math.floorMod(start / size, (long) ring.length);
            Bucket b = ring[i];
            if (b == null) {
                b = new Bucket(start);
                ring[i] = b;
            } else if (b.start != start) {
                b.reset(start);
            }
            return b;
        }

        /** Adds into {@code into} the buckets that started at or after {@code from} (and not after {@code to}). */
        synchronized void mergeInto(Bucket into, boolean hourly, long from, long to) {
            for (Bucket b : hourly ? hours : minutes) {
                if (b != null && b.requests > 0 && b.start >= from && b.start <= to) {
                    into.merge(b);
                }
            }
        }

        synchronized void rows(List<HistoryRow> out, boolean hourly, long from, long to, long changedAfter) {
            for (Bucket b : hourly ? hours : minutes) {
                if (b != null && b.requests > 0 && b.start >= from && b.start < to && b.changedAt > changedAfter) {
                    Summary s = b.summary();
                    out.add(new HistoryRow(
                            hourly,
                            b.start,
                            key.backendUrl(),
                            backendName,
                            key.model(),
                            b.requests,
                            b.errors,
                            b.clientErrors,
                            b.cancelled,
                            b.promptTokens,
                            b.completionTokens,
                            b.estimated,
                            b.genTokens,
                            b.genNanos,
                            s.ttftP50(),
                            s.ttftP95(),
                            s.durationP50(),
                            s.durationP95(),
                            Bucket.encode(b.ttft),
                            Bucket.encode(b.duration)));
                }
            }
        }
    }

    @Override
    public void finished(RequestRecord r) {
        Key k = new Key(r.backendUrl(), r.model());
        Series s = series.get(k);
        if (s == null) {
            if (series.size() >= MAX_SERIES) {
                dropped.incrementAndGet();
                return;
            }
            s = series.computeIfAbsent(k, Series::new);
        }
        s.backendId = r.backendId();
        s.backendName = r.backendName();
        s.add(r, version.incrementAndGet());
    }

    /** Changes with every recorded request: a reader polls it to know whether to read again. */
    public long version() {
        return version.get();
    }

    /** Requests not kept because {@value #MAX_SERIES} pairs were already kept. */
    public long dropped() {
        return dropped.get();
    }

    /** Every pair with figures, by backend URL then model. */
    public List<Pair> pairs() {
        List<Pair> out = new ArrayList<>();
        for (Series s : series.values()) {
            out.add(new Pair(s.key, s.backendId, s.backendName));
        }
        out.sort(Comparator.comparing((Pair p) -> p.key().backendUrl())
                .thenComparing(p -> p.key().model()));
        return out;
    }

    /** The figures over {@code window} of the pairs {@code which} accepts. */
    public Summary summary(Window window, Predicate<Key> which) {
        long now = now();
        long size = window.hours() ? HOUR : MINUTE;
        long current = now - Math.floorMod(now, size);
        Bucket into = new Bucket(current);
        for (Series s : series.values()) {
            if (which.test(s.key)) {
                s.mergeInto(into, window.hours(), current - window.units() * size, current);
            }
        }
        return into.summary();
    }

    /** The figures of every pair over {@code window}, in one pass (each pair's buckets merged once). */
    public Map<Key, Summary> summariesByPair(Window window) {
        long now = now();
        long size = window.hours() ? HOUR : MINUTE;
        long current = now - Math.floorMod(now, size);
        Map<Key, Summary> out = new java.util.HashMap<>();
        Bucket into = new Bucket(current); // one scratch bucket: its histograms are reset, not allocated, per pair
        for (Series s : series.values()) {
            into.reset(current);
            s.mergeInto(into, window.hours(), current - window.units() * size, current);
            out.put(s.key, into.summary());
        }
        return out;
    }

    /** The figures of every model over {@code window}, in one pass. */
    public Map<String, Summary> summariesByModel(Window window) {
        long now = now();
        long size = window.hours() ? HOUR : MINUTE;
        long current = now - Math.floorMod(now, size);
        Map<String, Bucket> acc = new java.util.HashMap<>();
        for (Series s : series.values()) {
            s.mergeInto(
                    acc.computeIfAbsent(s.key.model(), m -> new Bucket(current)),
                    window.hours(),
                    current - window.units() * size,
                    current);
        }
        Map<String, Summary> out = new java.util.HashMap<>();
        acc.forEach((m, b) -> out.put(m, b.summary()));
        return out;
    }

    public Summary summary(Window window) {
        return summary(window, k -> true);
    }

    public Summary backend(Window window, String backendUrl) {
        return summary(window, k -> k.backendUrl().equals(backendUrl));
    }

    public Summary model(Window window, String model) {
        return summary(window, k -> k.model().equals(model));
    }

    public Summary pair(Window window, String backendUrl, String model) {
        Key key = new Key(backendUrl, model);
        return summary(window, key::equals);
    }

    /**
     * A chart's points, oldest first: the last 60 minutes ({@code hourly} false) or 24 hours, one
     * point per bucket (empty buckets have {@link Summary#EMPTY}'s figures).
     */
    public List<Point> points(boolean hourly, Predicate<Key> which) {
        long now = now();
        long size = hourly ? HOUR : MINUTE;
        int n = hourly ? 24 : 60;
        long current = now - Math.floorMod(now, size);
        List<Point> out = new ArrayList<>(n);
        for (int i = n - 1; i >= 0; i--) {
            long start = current - i * size;
            Bucket into = new Bucket(start);
            for (Series s : series.values()) {
                if (which.test(s.key)) {
                    s.mergeInto(into, hourly, start, start);
                }
            }
            out.add(new Point(start, into.summary()));
        }
        return out;
    }

    /**
     * Per backend URL, the generation speed (tokens/s) of each of the last {@code minutes} minutes,
     * oldest first, NaN for a minute without a speed: a row's sparkline, for every backend in one
     * pass (sums only, no histograms).
     */
    public Map<String, double[]> tokensPerSecondByMinute(int minutes) {
        int n = Math.min(minutes, MINUTES - 1);
        long now = now();
        long current = now - Math.floorMod(now, MINUTE);
        long first = current - (n - 1) * MINUTE;
        Map<String, long[][]> sums = new java.util.HashMap<>();
        for (Series s : series.values()) {
            long[][] acc = sums.computeIfAbsent(s.key.backendUrl(), u -> new long[2][n]);
            synchronized (s) {
                for (Bucket b : s.minutes) {
                    if (b != null && b.requests > 0 && b.start >= first && b.start <= current) {
                        int i = (int) ((b.start - first) / MINUTE);
                        acc[0][i] += b.genTokens;
                        acc[1][i] += b.genNanos;
                    }
                }
            }
        }
        Map<String, double[]> out = new java.util.HashMap<>();
        sums.forEach((url, acc) -> {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = acc[1][i] == 0 ? Double.NaN : acc[0][i] / (acc[1][i] / 1e9);
            }
            out.put(url, v);
        });
        return out;
    }

    /** Completion tokens per second over the last minute (the current one included). */
    public double tokensPerSecondNow() {
        long now = now();
        long current = now - Math.floorMod(now, MINUTE);
        long tokens = 0; // the counts alone: merging the buckets' histograms here cost the window ~0.7 MB a second
        for (Series s : series.values()) {
            tokens += s.completionTokens(current - MINUTE, current);
        }
        double seconds = (now - (current - MINUTE)) / 1000.0;
        return tokens / Math.max(1.0, seconds);
    }

    /** The history rows of buckets that started in {@code [from, to)}: minutes, or hours. */
    public List<HistoryRow> rows(boolean hourly, long from, long to) {
        return rows(hourly, from, to, -1);
    }

    /**
     * The same, only of buckets a request was added to after {@link #version()} was {@code
     * changedAfter} (-1: all): the history rewrites the current hour each minute, and an hour
     * without new requests needs no new row (nor its histograms encoded again).
     */
    public List<HistoryRow> rows(boolean hourly, long from, long to, long changedAfter) {
        List<HistoryRow> out = new ArrayList<>();
        for (Series s : series.values()) {
            s.rows(out, hourly, from, to, changedAfter);
        }
        return out;
    }

    /**
     * Puts rows read back from the history into their buckets, where the buckets still cover them
     * (minutes of the last hour, hours of the last day); older rows are left to the database.
     */
    public void restore(List<HistoryRow> rows) {
        long now = now();
        for (HistoryRow r : rows) {
            long size = r.hourly() ? HOUR : MINUTE;
            long current = now - Math.floorMod(now, size);
            int span = r.hourly() ? HOURS - 1 : MINUTES - 1;
            if (r.startMillis() < current - span * size || r.startMillis() > current) {
                continue;
            }
            Key k = new Key(r.backendUrl(), r.model());
            Series s = series.computeIfAbsent(k, Series::new);
            if (s.backendName == null) {
                s.backendName = r.backendName();
            }
            Bucket b = new Bucket(r.startMillis());
            b.requests = r.requests();
            b.errors = r.errors();
            b.clientErrors = r.clientErrors();
            b.cancelled = r.cancelled();
            b.promptTokens = r.promptTokens();
            b.completionTokens = r.completionTokens();
            b.estimated = r.estimated();
            b.genTokens = r.genTokens();
            b.genNanos = r.genNanos();
            try {
                b.ttft = Bucket.decode(r.ttftHistogram());
                b.duration = Bucket.decode(r.durationHistogram());
            } catch (DataFormatException | RuntimeException e) {
                log.debug("a history row's histogram cannot be read; its counts are kept", e);
                b.ttft = null;
                b.duration = null;
            }
            synchronized (s) {
                Bucket target = Series.bucket(r.hourly() ? s.hours : s.minutes, r.startMillis(), size);
                target.merge(b);
            }
        }
        version.incrementAndGet();
    }
}
