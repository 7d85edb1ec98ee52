package io.nexusmonitor.gui.model;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.Registry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;

/**
 * The rows of the backend table, on the FX thread: source list (one row per backend) →
 * {@link FilteredList} (text and status filter) → {@link SortedList} that the table binds to its
 * comparator. Fed by {@link RegistryBatch}es; refreshed once a second by the window's tick.
 */
public final class BackendTableModel {
    private final Registry registry;
    private final Duration gracePeriod;
    private final RowList rows = new RowList();
    private final ObservableList<BackendRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final Map<String, BackendRow> byId = new HashMap<>();
    private final FilteredList<BackendRow> filtered = new FilteredList<>(rows);
    private final SortedList<BackendRow> sorted = new SortedList<>(filtered);
    private final StringProperty filterText = new SimpleStringProperty(this, "filterText", "");
    private final ObjectProperty<BackendStatus> statusFilter = new SimpleObjectProperty<>(this, "statusFilter");
    private BiPredicate<Backend, Backend> reorderWhen = (before, after) -> true;

    public BackendTableModel(Registry registry, Duration gracePeriod) {
        this.registry = registry;
        this.gracePeriod = gracePeriod;
        filterText.addListener((o, a, b) -> refilter());
        statusFilter.addListener((o, a, b) -> refilter());
    }

    // --- properties ------------------------------------------------------------------------------

    /** Every row, unfiltered, in arrival order. */
    public ObservableList<BackendRow> rows() {
        return readOnlyRows;
    }

    /** What the table shows: filtered, and sorted by whatever comparator is bound to it. */
    public SortedList<BackendRow> sorted() {
        return sorted;
    }

    public StringProperty filterTextProperty() {
        return filterText;
    }

    /** null = every status. */
    public ObjectProperty<BackendStatus> statusFilterProperty() {
        return statusFilter;
    }

    public Optional<BackendRow> row(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * Tells the model which changes can move a row under the table's sort order. Only those (and,
     * while a filter is set, changes to what it matches) are reported to the sorted list: a change
     * it hears of costs a re-sort of every row, and most changes (latency, last check) move nothing.
     * The cells show every change either way; they watch the row's own properties.
     */
    public void setReorderWhen(BiPredicate<Backend, Backend> test) {
        this.reorderWhen = test;
    }

    public Duration gracePeriod() {
        return gracePeriod;
    }

    // --- commands --------------------------------------------------------------------------------

    /** Applies one batch of registry changes as ONE change to the list (rows updated in place). */
    public void apply(RegistryBatch batch) {
        Instant now = registry.clock().instant();
        rows.batch(() -> {
            if (!batch.removedIds().isEmpty()) {
                Set<BackendRow> gone = new HashSet<>();
                for (String id : batch.removedIds()) {
                    BackendRow r = byId.remove(id);
                    if (r != null) {
                        gone.add(r);
                    }
                }
                rows.removeIf(gone::contains);
            }
            List<BackendRow> added = new ArrayList<>();
            List<BackendRow> changed = new ArrayList<>();
            for (Backend b : batch.upserts()) {
                BackendRow r = byId.get(b.id());
                if (r == null) {
                    r = new BackendRow(b);
                    r.tick(now, gracePeriod);
                    byId.put(b.id(), r);
                    added.add(r);
                } else {
                    Backend before = r.backend();
                    if (r.update(b, now, gracePeriod) && moves(before, b)) {
                        changed.add(r);
                    }
                }
            }
            markUpdated(changed);
            rows.addAll(added);
            if (!batch.upserts().isEmpty() || !batch.removedIds().isEmpty()) {
                // a name shared with another backend shows the URL beside it (Registry#label)
                for (BackendRow r : rows) {
                    r.setNameCollides(registry.nameCollides(r.backend()));
                }
            }
        });
    }

    /**
     * The once-a-second refresh: countdowns move, and counters (which by design emit no registry
     * events) are read from the registry's lock-free snapshots.
     */
    public void tick() {
        Instant now = registry.clock().instant();
        List<BackendRow> changed = new ArrayList<>();
        for (BackendRow r : rows) {
            Backend before = r.backend();
            Backend latest = registry.get(r.id()).orElse(before);
            if (r.update(latest, now, gracePeriod) && moves(before, latest)) {
                changed.add(r);
            }
        }
        if (!changed.isEmpty()) {
            rows.batch(() -> markUpdated(changed));
        }
    }

    /** Whether the change can move the row in the sorted, filtered list. */
    private boolean moves(Backend before, Backend after) {
        if (reorderWhen.test(before, after)) {
            return true;
        }
        boolean filtering = statusFilter.get() != null
                || (filterText.get() != null && !filterText.get().isBlank());
        return filtering
                && (before.status() != after.status()
                        || !before.name().equals(after.name())
                        || before.type() != after.type()
                        || before.source() != after.source()
                        || !before.models().equals(after.models()));
    }

    private void markUpdated(List<BackendRow> changed) {
        if (changed.isEmpty()) {
            return;
        }
        if (changed.size() == 1) {
            rows.updated(rows.indexOf(changed.get(0)));
            return;
        }
        Set<BackendRow> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(changed);
        for (int i = 0; i < rows.size(); i++) {
            if (set.contains(rows.get(i))) {
                rows.updated(i);
            }
        }
    }

    public long count(BackendStatus s) {
        return rows.stream().filter(r -> r.backend().status() == s).count();
    }

    private void refilter() {
        String text = filterText.get();
        BackendStatus status = statusFilter.get();
        filtered.setPredicate(r -> r.hasStatus(status) && r.matches(text));
    }
}
