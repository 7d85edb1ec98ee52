package io.nexusmonitor.gui.stats;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.stats.Telemetry;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.jspecify.annotations.Nullable;

/**
 * Brings the telemetry to the window without work on the FX thread: on the window's 1 s tick it
 * asks, when something was measured (or the selection changed, or every {@value #REFRESH_TICKS}
 * ticks for the registry's side of the Models view), for a {@link TelemetryViews.Snapshot} computed on
 * the worker, and sets it on the FX thread. At most one computation is in flight. The Models view's
 * figures (a pass over every backend × model) are recomputed at most every {@value #FIGURES_SECONDS} s;
 * where each model is available and loaded follows the registry every {@value #REFRESH_TICKS} s.
 */
public final class TelemetryFeed {
    static final int REFRESH_TICKS = 10;
    static final int FIGURES_SECONDS = 30;

    private final Telemetry telemetry;
    private final Registry registry;
    private final Executor worker;
    private final Consumer<Runnable> fx;
    private final ReadOnlyObjectWrapper<TelemetryViews.Snapshot> snapshot =
            new ReadOnlyObjectWrapper<>(this, "snapshot", TelemetryViews.Snapshot.EMPTY);
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile @Nullable Backend selected;
    private volatile io.nexusmonitor.stats.@Nullable DegradedWatch watch;
    private volatile Consumer<io.nexusmonitor.stats.DegradedWatch.Degraded> onDegraded = d -> {};
    /** The snapshot last handed to the FX thread (read by the worker). */
    private volatile TelemetryViews.Snapshot published = TelemetryViews.Snapshot.EMPTY;
    /** When the Models view's rows were last computed (worker thread only). */
    private long modelsAtNanos = Long.MIN_VALUE / 2;

    private volatile boolean hourly;
    private long seenVersion = Long.MIN_VALUE;
    private int ticks;
    private boolean dirty = true;

    /**
     * @param worker runs the computation (never the FX thread)
     * @param fx     runs on the FX thread ({@code Platform::runLater})
     */
    public TelemetryFeed(Telemetry telemetry, Registry registry, Executor worker, Consumer<Runnable> fx) {
        this.telemetry = telemetry;
        this.registry = registry;
        this.worker = worker;
        this.fx = fx;
    }

    /** Checks {@code watch} whenever something was measured; {@code listener} hears each crossing on the FX thread. */
    public void watchDegraded(
            io.nexusmonitor.stats.DegradedWatch w, Consumer<io.nexusmonitor.stats.DegradedWatch.Degraded> listener) {
        this.onDegraded = listener;
        this.watch = w;
    }

    /** The latest snapshot; FX thread. */
    public ReadOnlyObjectProperty<TelemetryViews.Snapshot> snapshotProperty() {
        return snapshot.getReadOnlyProperty();
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    /** The backend whose charts are wanted (null: none), over 1 h or 24 h. FX thread. */
    public void select(@Nullable Backend backend, boolean overDay) {
        Backend was = selected;
        boolean same =
                was == null ? backend == null : backend != null && was.id().equals(backend.id());
        selected = backend;
        if (!same || hourly != overDay) {
            hourly = overDay;
            dirty = true;
            tick();
        }
    }

    /** The window's 1 s tick (FX thread). */
    public void tick() {
        long v = telemetry.version();
        ticks++;
        if (v == seenVersion && !dirty && ticks < REFRESH_TICKS) {
            return;
        }
        if (!pending.compareAndSet(false, true)) {
            return; // the one in flight will be followed by the next tick
        }
        // nothing measured and nothing selected anew: only the registry's side (the Models view) may have changed
        boolean modelsOnly = v == seenVersion && !dirty;
        seenVersion = v;
        dirty = false;
        ticks = 0;
        Backend sel = selected;
        boolean day = hourly;
        worker.execute(() -> {
            TelemetryViews.Snapshot s;
            try {
                TelemetryViews.Snapshot last = published;
                if (modelsOnly) {
                    var models = TelemetryViews.withAvailability(last.models(), registry.all());
                    if (models.equals(last.models())) {
                        pending.set(false); // unchanged: no redraw, no pulse
                        return;
                    }
                    s = new TelemetryViews.Snapshot(last.rows(), models, last.charts());
                } else {
                    long t = System.nanoTime();
                    boolean fresh = t - modelsAtNanos >= FIGURES_SECONDS * 1_000_000_000L;
                    s = TelemetryViews.compute(
                            telemetry,
                            registry.all(),
                            sel == null ? null : registry.get(sel.id()).orElse(null),
                            day,
                            fresh ? null : TelemetryViews.withAvailability(last.models(), registry.all()));
                    if (fresh) {
                        modelsAtNanos = t;
                    }
                }
                published = s;
            } catch (RuntimeException e) {
                pending.set(false);
                throw e;
            }
            io.nexusmonitor.stats.DegradedWatch w = watch;
            List<io.nexusmonitor.stats.DegradedWatch.Degraded> crossed =
                    w == null ? List.of() : w.check(telemetry.requests());
            Consumer<io.nexusmonitor.stats.DegradedWatch.Degraded> tell = onDegraded;
            fx.accept(() -> {
                snapshot.set(s);
                pending.set(false);
                crossed.forEach(tell);
            });
        });
    }
}
