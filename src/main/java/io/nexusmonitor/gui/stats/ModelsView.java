package io.nexusmonitor.gui.stats;

import io.nexusmonitor.registry.LogText;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * The Models view: every model any backend lists (or the gateway served), where it is available,
 * where it is loaded, which box answered it fastest in the last hour (median time to first token),
 * the median over all its requests, tokens/s and its requests in the last hour, and which boxes
 * have the free VRAM for it ({@link io.nexusmonitor.gpu.RoomForModel}) — the answer to "where
 * should I run llama3:70b?". Filled from the feed's snapshot; sorted by model.
 */
public final class ModelsView {
    private final TableView<TelemetryViews.ModelRow> table = new TableView<>();
    private final ObservableList<TelemetryViews.ModelRow> rows = FXCollections.observableArrayList();

    public ModelsView(TelemetryFeed feed) {
        table.setId("models-table");
        table.setItems(rows);
        table.setPlaceholder(new Label("No backend lists a model yet."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("model", "Model", 160, r -> LogText.display(r.model())));
        table.getColumns().add(column("available", "Available on", 160, r -> names(r.availableOn())));
        table.getColumns().add(column("loaded", "Loaded on", 130, r -> names(r.loadedOn())));
        table.getColumns()
                .add(column(
                        "fastest",
                        "Fastest (TTFT p50, 1 h)",
                        170,
                        r -> r.fastestBackend() == null
                                ? "—"
                                : LogText.display(r.fastestBackend()) + " · " + ms(r.fastestTtftMs())));
        table.getColumns().add(column("median", "Median TTFT", 90, r -> ms(r.medianTtftMs())));
        table.getColumns()
                .add(column(
                        "tps",
                        "Tokens/s",
                        70,
                        r -> Double.isNaN(r.tokensPerSecond())
                                ? "—"
                                : String.format(Locale.ROOT, "%.1f", r.tokensPerSecond())));
        table.getColumns().add(column("requests", "Requests (1 h)", 90, r -> Long.toString(r.requestsLastHour())));
        table.getColumns().add(column("room", "Room for it (free VRAM)", 200, r -> LogText.display(r.room())));
        feed.snapshotProperty().addListener((o, was, s) -> {
            if (!rows.equals(s.models())) { // unchanged figures: no new rows, no layout of the table
                rows.setAll(s.models());
            }
        });
        rows.setAll(feed.snapshotProperty().get().models());
    }

    public TableView<TelemetryViews.ModelRow> view() {
        return table;
    }

    private static TableColumn<TelemetryViews.ModelRow, String> column(
            String id, String title, double width, Function<TelemetryViews.ModelRow, String> value) {
        TableColumn<TelemetryViews.ModelRow, String> c = new TableColumn<>(title);
        c.setId("models-" + id);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(value.apply(cd.getValue())));
        return c;
    }

    private static String names(List<String> names) {
        if (names.isEmpty()) {
            return "—";
        }
        List<String> shown = names.stream().map(LogText::display).toList();
        return shown.size() <= 4
                ? String.join(", ", shown)
                : String.join(", ", shown.subList(0, 4)) + " +" + (shown.size() - 4);
    }

    /** Milliseconds as a person reads them: {@code 85 ms}, {@code 1.4 s}; {@code —} for none. */
    static String ms(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        return v >= 1000 ? String.format(Locale.ROOT, "%.1f s", v / 1000) : Math.round(v) + " ms";
    }
}
