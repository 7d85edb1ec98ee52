package io.nexusmonitor.gui.model;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ModifiableObservableListBase;

/**
 * The table's source list. Unlike a list with an extractor (which fires one change per changed
 * row, and so one full re-sort of the {@code SortedList} per row), it reports a whole batch of
 * row updates, additions and removals as ONE change: a burst of 1000 registry changes is one
 * re-filter and one re-sort.
 */
final class RowList extends ModifiableObservableListBase<BackendRow> {
    private final List<BackendRow> rows = new ArrayList<>();

    /** Runs {@code changes} (adds, removes, {@link #updated}) and fires them as one change. */
    void batch(Runnable changes) {
        beginChange();
        try {
            changes.run();
        } finally {
            endChange();
        }
    }

    /** Marks the row at this index as changed in place; only inside {@link #batch}. */
    void updated(int index) {
        nextUpdate(index);
    }

    @Override
    public BackendRow get(int index) {
        return rows.get(index);
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    protected void doAdd(int index, BackendRow element) {
        rows.add(index, element);
    }

    @Override
    protected BackendRow doSet(int index, BackendRow element) {
        return rows.set(index, element);
    }

    @Override
    protected BackendRow doRemove(int index) {
        return rows.remove(index);
    }
}
