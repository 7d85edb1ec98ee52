package io.nexusmonitor.gui.model;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.Registry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import org.jspecify.annotations.Nullable;

/**
 * The view-model of one table row: the newest {@link Backend} snapshot plus what the window derives
 * from it over time (the grace countdown). Lives on the FX thread only. Cells bind to the
 * row's properties; the model reports changed rows to its list once per batch, so a change re-sorts
 * and re-filters the row.
 */
public final class BackendRow {
    private final String id;
    private final ReadOnlyObjectWrapper<Backend> backend;
    private final ReadOnlyObjectWrapper<BackendStatus> status = new ReadOnlyObjectWrapper<>(this, "status");
    private final ReadOnlyStringWrapper name = new ReadOnlyStringWrapper(this, "name");
    private final ReadOnlyStringWrapper url = new ReadOnlyStringWrapper(this, "url");
    private final ReadOnlyStringWrapper type = new ReadOnlyStringWrapper(this, "type");
    private final ReadOnlyObjectWrapper<Double> latency = new ReadOnlyObjectWrapper<>(this, "latency");
    private final ReadOnlyObjectWrapper<Instant> lastCheck = new ReadOnlyObjectWrapper<>(this, "lastCheck");
    private final ReadOnlyStringWrapper countdown = new ReadOnlyStringWrapper(this, "countdown", "");
    private final DoubleProperty graceLeft = new SimpleDoubleProperty(this, "graceLeft", 0);
    private boolean nameCollides;

    public BackendRow(Backend b) {
        this.id = b.id();
        this.backend = new ReadOnlyObjectWrapper<>(this, "backend", b);
        copyFields(b);
    }

    public String id() {
        return id;
    }

    // --- properties ------------------------------------------------------------------------------

    public ReadOnlyObjectProperty<Backend> backendProperty() {
        return backend.getReadOnlyProperty();
    }

    public Backend backend() {
        return backend.get();
    }

    // One property per column, created once: a table comparator reads them for every comparison,
    // so they must be plain reads, never a new binding per call.

    public ReadOnlyObjectProperty<BackendStatus> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The name as the table shows it: with the URL beside it while another backend has the same name. */
    public ReadOnlyStringProperty nameProperty() {
        return name.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty urlProperty() {
        return url.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty typeProperty() {
        return type.getReadOnlyProperty();
    }

    /** Average latency in ms, null before the first success. */
    public ReadOnlyObjectProperty<Double> latencyProperty() {
        return latency.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Instant> lastCheckProperty() {
        return lastCheck.getReadOnlyProperty();
    }

    /** "removed in 0:42" while in the grace period, else empty. */
    public ReadOnlyStringProperty countdownProperty() {
        return countdown.getReadOnlyProperty();
    }

    /** Share of the grace period left, 0..1. */
    public ReadOnlyDoubleProperty graceLeftProperty() {
        return graceLeft;
    }

    // --- commands --------------------------------------------------------------------------------

    /**
     * Takes a newer snapshot (the same object changes nothing, so the once-a-second refresh is
     * cheap) and moves the countdown. Returns whether the snapshot changed.
     */
    public boolean update(Backend b, Instant now, Duration gracePeriod) {
        boolean changed = b != backend.get();
        if (changed) {
            copyFields(b);
            backend.set(b);
        }
        tick(now, gracePeriod);
        return changed;
    }

    private void copyFields(Backend b) {
        status.set(b.status());
        name.set(LogText.display(nameCollides ? Registry.labelWithUrl(b) : b.name()));
        url.set(LogText.display(b.url()));
        type.set(b.type().wire());
        latency.set(b.avgLatencyMs());
        lastCheck.set(b.lastHealthCheck());
    }

    /** Whether another backend has this one's name (the registry's rule, {@link Registry#label}). */
    public void setNameCollides(boolean collides) {
        if (collides != nameCollides) {
            nameCollides = collides;
            name.set(LogText.display(
                    collides
                            ? Registry.labelWithUrl(backend.get())
                            : backend.get().name()));
        }
    }

    /** Recomputes what depends on the time of day. */
    public void tick(Instant now, Duration gracePeriod) {
        Instant deadline = backend.get().graceDeadline();
        countdown.set(Formats.countdown(deadline, now));
        graceLeft.set(Formats.graceLeft(deadline, now, gracePeriod));
    }

    /** Whether a user's filter text finds this row: name, URL, type, status, source, site, id or a model. */
    public boolean matches(String text) {
        if (text == null || text.isBlank()) {
            return true;
        }
        String q = text.trim().toLowerCase(Locale.ROOT);
        Backend b = backend.get();
        if (contains(b.name(), q)
                || contains(b.url(), q)
                || contains(b.type().wire(), q)
                || contains(b.status().wire(), q)
                || contains(b.source().wire(), q)
                || contains(b.site(), q)
                || contains(b.id(), q)) {
            return true;
        }
        return b.models().stream().anyMatch(m -> contains(m.id(), q));
    }

    public boolean hasStatus(BackendStatus s) {
        return s == null || backend.get().status() == s;
    }

    private static boolean contains(@Nullable String field, String q) {
        return field != null && field.toLowerCase(Locale.ROOT).contains(q);
    }
}
