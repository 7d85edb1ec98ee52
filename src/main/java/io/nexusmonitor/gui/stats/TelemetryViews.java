package io.nexusmonitor.gui.stats;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.stats.Heartbeats;
import io.nexusmonitor.stats.RequestStats;
import io.nexusmonitor.stats.Summary;
import io.nexusmonitor.stats.Telemetry;
import io.nexusmonitor.stats.Window;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the window draws from the telemetry, computed in one go off the FX thread (plain Java, no
 * toolkit): per backend row its last {@value #STRIP} checks and a tokens/s sparkline of the last
 * {@value #SPARK_MINUTES} minutes, the Models view's rows, and the charts of the selected backend.
 */
public final class TelemetryViews {
    public static final int STRIP = 30;
    public static final int SPARK_MINUTES = 30;

    private TelemetryViews() {}

    /** A row's strip (oldest first) and sparkline (tokens/s per minute, NaN for none). */
    public record RowActivity(List<Heartbeats.Beat> beats, double[] tokensPerSecond) {
        public static final RowActivity EMPTY = new RowActivity(List.of(), new double[0]);

        /** The words a screen reader (and a test) gets: what the strip and the sparkline show. */
        public String describe() {
            int ok = 0;
            int loading = 0;
            int failed = 0;
            for (Heartbeats.Beat b : beats) {
                switch (b.kind()) {
                    case OK -> ok++;
                    case LOADING -> loading++;
                    default -> failed++;
                }
            }
            StringBuilder s = new StringBuilder(
                    beats.isEmpty()
                            ? "no checks yet"
                            : "last " + beats.size() + " checks: " + ok + " ok, " + loading + " loading, " + failed
                                    + " failed");
            double last = Double.NaN;
            for (double v : tokensPerSecond) {
                if (!Double.isNaN(v)) {
                    last = v;
                }
            }
            s.append(
                    Double.isNaN(last)
                            ? "; no generation in the last " + SPARK_MINUTES + " min"
                            : String.format(
                                    java.util.Locale.ROOT, "; %.1f tokens/s (latest minute with requests)", last));
            return s.toString();
        }

        /** By content (a record compares arrays by identity): a cell redraws only when its row's figures changed. */
        @Override
        public boolean equals(@Nullable Object o) {
            return o instanceof RowActivity r
                    && beats.equals(r.beats)
                    && java.util.Arrays.equals(tokensPerSecond, r.tokensPerSecond);
        }

        @Override
        public int hashCode() {
            return 31 * beats.hashCode() + java.util.Arrays.hashCode(tokensPerSecond);
        }

        @Override
        public String toString() {
            return "RowActivity[beats=" + beats + ", tokensPerSecond=" + java.util.Arrays.toString(tokensPerSecond)
                    + "]";
        }
    }

    /** One row of the Models view: where the model is, and how fast each box serves it (last hour). */
    public record ModelRow(
            String model,
            List<String> availableOn,
            List<String> loadedOn,
            @Nullable String fastestBackend,
            double fastestTtftMs,
            double medianTtftMs,
            double tokensPerSecond,
            long requestsLastHour,
            String room) {
        /** Without the "room for it" text. */
        public ModelRow(
                String model,
                List<String> availableOn,
                List<String> loadedOn,
                @Nullable String fastestBackend,
                double fastestTtftMs,
                double medianTtftMs,
                double tokensPerSecond,
                long requestsLastHour) {
            this(
                    model,
                    availableOn,
                    loadedOn,
                    fastestBackend,
                    fastestTtftMs,
                    medianTtftMs,
                    tokensPerSecond,
                    requestsLastHour,
                    "—");
        }
    }

    /** The selected backend's charts: request figures per minute (1 h) or per hour (24 h), and its probes. */
    public record Charts(
            String backendId,
            boolean hourly,
            List<RequestStats.Point> points,
            List<Heartbeats.Beat> probes,
            long nowMillis) {}

    public record Snapshot(
            Map<String, RowActivity> rows,
            List<ModelRow> models,
            @Nullable Charts charts) {
        public static final Snapshot EMPTY = new Snapshot(Map.of(), List.of(), null);

        public RowActivity row(String backendId) {
            return rows.getOrDefault(backendId, RowActivity.EMPTY);
        }
    }

    public static Snapshot compute(Telemetry t, List<Backend> backends, @Nullable Backend selected, boolean hourly) {
        return compute(t, backends, selected, hourly, null);
    }

    /** @param models the Models view's rows to keep, or null to compute them anew */
    public static Snapshot compute(
            Telemetry t,
            List<Backend> backends,
            @Nullable Backend selected,
            boolean hourly,
            @Nullable List<ModelRow> models) {
        RequestStats rs = t.requests();
        Map<String, double[]> spark = rs.tokensPerSecondByMinute(SPARK_MINUTES);
        Map<String, RowActivity> rows = new HashMap<>();
        for (Backend b : backends) {
            List<Heartbeats.Beat> beats = t.heartbeats().of(b.id(), STRIP);
            double[] s = spark.get(b.url());
            if (!beats.isEmpty() || s != null) {
                rows.put(b.id(), new RowActivity(beats, s == null ? new double[0] : s));
            }
        }
        Charts charts = null;
        if (selected != null) {
            String url = selected.url();
            charts = new Charts(
                    selected.id(),
                    hourly,
                    rs.points(hourly, k -> k.backendUrl().equals(url)),
                    t.heartbeats().of(selected.id(), Heartbeats.KEEP),
                    rs.now());
        }
        return new Snapshot(rows, models != null ? models : models(rs, backends), charts);
    }

    /**
     * The rows with where each model is available and loaded read again from {@code backends}, the
     * figures kept (a cheap pass over the registry only); models that appeared get empty figures.
     */
    public static List<ModelRow> withAvailability(List<ModelRow> rows, List<Backend> backends) {
        Map<String, ModelRow> old = new HashMap<>();
        for (ModelRow r : rows) {
            old.put(r.model(), r);
        }
        Map<String, List<String>> available = new TreeMap<>();
        Map<String, List<String>> loaded = new HashMap<>();
        for (Backend b : backends) {
            for (ModelInfo m : b.models()) {
                available.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(b.name());
                if (Boolean.TRUE.equals(m.loaded())) {
                    loaded.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(b.name());
                }
            }
        }
        for (ModelRow r : rows) {
            if (r.requestsLastHour() > 0) {
                available.putIfAbsent(r.model(), new ArrayList<>()); // served lately, though no backend lists it now
            }
        }
        List<ModelRow> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : available.entrySet()) {
            ModelRow o = old.get(e.getKey());
            out.add(new ModelRow(
                    e.getKey(),
                    List.copyOf(e.getValue()),
                    List.copyOf(loaded.getOrDefault(e.getKey(), List.of())),
                    o == null ? null : o.fastestBackend(),
                    o == null ? Double.NaN : o.fastestTtftMs(),
                    o == null ? Double.NaN : o.medianTtftMs(),
                    o == null ? Double.NaN : o.tokensPerSecond(),
                    o == null ? 0 : o.requestsLastHour(),
                    io.nexusmonitor.gpu.RoomForModel.describe(e.getKey(), backends)));
        }
        return out;
    }

    public static List<ModelRow> models(RequestStats rs, List<Backend> backends) {
        Map<String, List<String>> available = new TreeMap<>();
        Map<String, List<String>> loaded = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (Backend b : backends) {
            names.put(b.url(), b.name());
            for (ModelInfo m : b.models()) {
                available.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(b.name());
                if (Boolean.TRUE.equals(m.loaded())) {
                    loaded.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(b.name());
                }
            }
        }
        // one pass over the pairs: the fastest backend per model (TTFT p50 over the last hour)
        Map<RequestStats.Key, Summary> byPair = rs.summariesByPair(Window.H1);
        Map<String, Summary> byModel = rs.summariesByModel(Window.H1);
        Map<String, String> fastestOf = new HashMap<>();
        Map<String, Double> bestOf = new HashMap<>();
        for (RequestStats.Pair p : rs.pairs()) {
            String model = p.key().model();
            available.putIfAbsent(model, new ArrayList<>());
            Summary s = byPair.get(p.key());
            double ttft = s == null ? Double.NaN : s.ttftP50();
            Double best = bestOf.get(model);
            if (!Double.isNaN(ttft) && (best == null || ttft < best)) {
                bestOf.put(model, ttft);
                fastestOf.put(model, names.getOrDefault(p.key().backendUrl(), p.backendName()));
            }
        }
        List<ModelRow> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : available.entrySet()) {
            String model = e.getKey();
            String fastest = fastestOf.get(model);
            double best = bestOf.getOrDefault(model, Double.NaN);
            Summary all = byModel.getOrDefault(model, Summary.EMPTY);
            out.add(new ModelRow(
                    model,
                    List.copyOf(e.getValue()),
                    List.copyOf(loaded.getOrDefault(model, List.of())),
                    fastest,
                    best,
                    all.ttftP50(),
                    all.tokensPerSecond(),
                    all.requests(),
                    io.nexusmonitor.gpu.RoomForModel.describe(model, backends)));
        }
        return out;
    }
}
