package io.nexusmonitor.gui.table;

import io.nexusmonitor.gui.model.BackendRow;
import io.nexusmonitor.gui.model.BackendTableModel;
import io.nexusmonitor.gui.model.Formats;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.jspecify.annotations.Nullable;

/**
 * The live backend table: one row per backend, a column per field of the README's 'Desktop window', every column
 * sortable. The table's comparator is bound into the model's {@code SortedList}, so sorting and
 * filtering stay in the model and survive batches of changes.
 */
public final class BackendTable {
    private final TableView<BackendRow> table = new TableView<>();

    public BackendTable(BackendTableModel model) {
        table.setId("backend-table");
        table.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        // every column stays in view; the removal countdown (last) takes the slack
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No backends yet: waiting for announcements, or add one by URL (Ctrl+N)."));
        table.getColumns().add(status());
        table.getColumns().add(text("name", "Name", 120, BackendRow::nameProperty));
        table.getColumns().add(text("url", "URL", 190, BackendRow::urlProperty));
        table.getColumns().add(text("type", "Type", 70, BackendRow::typeProperty));
        table.getColumns().add(source());
        table.getColumns().add(siteColumn);
        table.getColumns().add(models());
        table.getColumns().add(latency());
        table.getColumns().add(inFlight());
        table.getColumns().add(lastCheck());
        table.getColumns().add(grace());
        table.getColumns().add(gpuColumn);
        model.sorted().comparatorProperty().bind(table.comparatorProperty());
        table.setItems(model.sorted());
        model.setReorderWhen(this::sortKeysDiffer);
        showOptionalColumnsWhenUsed(model.sorted());
    }

    private final TableColumn<BackendRow, String> siteColumn = site();
    private final TableColumn<BackendRow, Backend> gpuColumn = gpu();

    /**
     * Site and GPU / VRAM show only while some backend has one (a monitor without federation or
     * announced GPUs keeps their room for the columns that say something). A row that gains one
     * shows its column at once; a column is hidden again only when rows leave, which is when the
     * last one that had it can go.
     */
    private void showOptionalColumnsWhenUsed(ObservableList<BackendRow> rows) {
        siteColumn.setVisible(false);
        gpuColumn.setVisible(false);
        ChangeListener<Backend> onChange = (o, before, after) -> showFor(after);
        rows.forEach(r -> {
            r.backendProperty().addListener(onChange);
            showFor(r.backend());
        });
        rows.addListener((ListChangeListener<BackendRow>) c -> {
            boolean removed = false;
            while (c.next()) {
                if (c.wasPermutated()) {
                    continue;
                }
                for (BackendRow r : c.getRemoved()) {
                    r.backendProperty().removeListener(onChange);
                    removed = true;
                }
                for (BackendRow r : c.getAddedSubList()) {
                    r.backendProperty().addListener(onChange);
                    showFor(r.backend());
                }
            }
            if (removed) {
                siteColumn.setVisible(rows.stream().anyMatch(r -> hasSite(r.backend())));
                gpuColumn.setVisible(rows.stream().anyMatch(r -> hasGpu(r.backend())));
            }
        });
    }

    private void showFor(@Nullable Backend b) {
        if (!siteColumn.isVisible() && hasSite(b)) {
            siteColumn.setVisible(true);
        }
        if (!gpuColumn.isVisible() && hasGpu(b)) {
            gpuColumn.setVisible(true);
        }
    }

    private static boolean hasSite(@Nullable Backend b) {
        return b != null && b.site() != null;
    }

    private static boolean hasGpu(@Nullable Backend b) {
        return b != null && BackendCells.GpuCell.usedShare(b) != null;
    }

    /** What each column sorts by, as read from a snapshot. */
    private static final Map<String, Function<Backend, Object>> SORT_KEYS = Map.of(
            "status",
            Backend::status,
            "name",
            Backend::name,
            "url",
            Backend::url,
            "type",
            Backend::type,
            "source",
            b -> b.source().wire() + b.pinned(),
            "models",
            b -> b.models().size(),
            "latency",
            b -> b.avgLatencyMs() == null ? "" : b.avgLatencyMs(),
            "inflight",
            Backend::pendingRequests,
            "lastcheck",
            b -> b.lastHealthCheck() == null ? "" : b.lastHealthCheck(),
            "grace",
            b -> b.graceDeadline() == null ? "" : b.graceDeadline());

    /** Whether a change moves the row under the current sort order (most changes do not). */
    private boolean sortKeysDiffer(Backend before, Backend after) {
        for (TableColumn<BackendRow, ?> c : table.getSortOrder()) {
            Function<Backend, Object> key = SORT_KEYS.get(c.getId());
            if (key == null || !Objects.equals(key.apply(before), key.apply(after))) {
                return true;
            }
        }
        return false;
    }

    public TableView<BackendRow> view() {
        return table;
    }

    private static TableColumn<BackendRow, BackendStatus> status() {
        TableColumn<BackendRow, BackendStatus> c = column("status", "Status", 100);
        c.setMinWidth(96); // the icon and "unhealthy" stay readable when the window is narrow
        c.setCellValueFactory(f -> f.getValue().statusProperty());
        c.setComparator(Comparator.nullsLast(Comparator.naturalOrder()));
        c.setCellFactory(col -> new BackendCells.StatusCell());
        return c;
    }

    private static TableColumn<BackendRow, String> text(
            String id, String title, double width, Function<BackendRow, ObservableValue<String>> property) {
        TableColumn<BackendRow, String> c = column(id, title, width);
        c.setCellValueFactory(f -> property.apply(f.getValue()));
        // the default comparator for strings is a Collator: ~50x slower, and a sort runs per batch
        c.setComparator(Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER));
        return c;
    }

    private static TableColumn<BackendRow, Backend> source() {
        TableColumn<BackendRow, Backend> c = column("source", "Source", 80);
        c.setCellValueFactory(f -> f.getValue().backendProperty());
        c.setCellFactory(col -> new BackendCells.SourceCell());
        c.setComparator(
                Comparator.comparing((Backend b) -> b.source().ordinal()).thenComparing(b -> !b.pinned()));
        return c;
    }

    /** {@code [federation]}: the site that publishes a remote backend; empty for this monitor's own. */
    private static TableColumn<BackendRow, String> site() {
        TableColumn<BackendRow, String> c = column("site", "Site", 70);
        c.setCellValueFactory(f -> javafx.beans.binding.Bindings.createStringBinding(
                () -> {
                    Backend b = f.getValue().backendProperty().get();
                    return b == null || b.site() == null ? "" : b.site();
                },
                f.getValue().backendProperty()));
        c.setComparator(Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER));
        return c;
    }

    private static TableColumn<BackendRow, Backend> models() {
        TableColumn<BackendRow, Backend> c = column("models", "Models", 60);
        c.setCellValueFactory(f -> f.getValue().backendProperty());
        c.setCellFactory(col -> new BackendCells.ModelsCell());
        c.setComparator(Comparator.comparingInt(b -> b.models().size()));
        return c;
    }

    private static TableColumn<BackendRow, Double> latency() {
        TableColumn<BackendRow, Double> c = column("latency", "Latency", 70);
        c.setMinWidth(66); // "12.3 ms"
        c.setCellValueFactory(f -> f.getValue().latencyProperty());
        c.setCellFactory(col -> formatted(Formats::latency));
        c.setComparator(Comparator.nullsLast(Comparator.naturalOrder()));
        return c;
    }

    /** {@code 2 / 4}: requests in flight against the capacity ({@code 2} while it is unknown), sorted by in flight. */
    private static TableColumn<BackendRow, Backend> inFlight() {
        TableColumn<BackendRow, Backend> c = column("inflight", "In flight", 62);
        c.setMinWidth(58); // "2 / 4"
        c.setCellValueFactory(f -> f.getValue().backendProperty());
        c.setComparator(Comparator.comparingLong(Backend::pendingRequests));
        c.setCellFactory(col -> formatted(Formats::busy));
        return c;
    }

    private static TableColumn<BackendRow, Instant> lastCheck() {
        TableColumn<BackendRow, Instant> c = column("lastcheck", "Last check", 76);
        c.setMinWidth(72); // "03:05:59"
        c.setCellValueFactory(f -> f.getValue().lastCheckProperty());
        c.setCellFactory(col -> formatted(Formats::clock));
        c.setComparator(Comparator.nullsFirst(Comparator.naturalOrder()));
        return c;
    }

    private static TableColumn<BackendRow, BackendRow> grace() {
        TableColumn<BackendRow, BackendRow> c = column("grace", "Removal", 130);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue()));
        c.setCellFactory(col -> new BackendCells.GraceCell());
        c.setComparator(Comparator.comparing(
                (BackendRow r) -> r.backend().graceDeadline(), Comparator.nullsLast(Comparator.naturalOrder())));
        return c;
    }

    /** The host's GPU name and a VRAM bar (used over total, from its announce), sorted by the share used. */
    private static TableColumn<BackendRow, Backend> gpu() {
        TableColumn<BackendRow, Backend> c = column("gpu", "GPU / VRAM", 170);
        c.setCellValueFactory(f -> f.getValue().backendProperty());
        c.setCellFactory(col -> new BackendCells.GpuCell());
        c.setComparator(Comparator.comparing(
                BackendCells.GpuCell::usedShare, Comparator.nullsFirst(Comparator.naturalOrder())));
        return c;
    }

    private static <T> TableColumn<BackendRow, T> column(String id, String title, double width) {
        TableColumn<BackendRow, T> c = new TableColumn<>(title);
        c.setId(id);
        c.setPrefWidth(width);
        c.setMinWidth(Math.min(width, 50));
        c.setSortable(true);
        return c;
    }

    private static <T> TableCell<BackendRow, T> formatted(Function<T, String> format) {
        return new TableCell<>() {
            {
                setAlignment(Pos.CENTER_RIGHT);
            }

            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : format.apply(item));
            }
        };
    }
}
