package io.nexusmonitor.gui.table;

import io.nexusmonitor.gui.model.BackendRow;
import io.nexusmonitor.gui.model.BackendTableModel;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * The live backend table: one row per backend, a column per field of product.md §6, every column
 * sortable. The table's comparator is bound into the model's {@code SortedList}, so sorting and
 * filtering stay in the model and survive batches of changes.
 */
public final class BackendTable {
    private final TableView<BackendRow> table = new TableView<>();

    public BackendTable(BackendTableModel model) {
        table.setId("backend-table");
        table.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.setPlaceholder(new Label("No backends yet: waiting for announcements, or add one by URL (Ctrl+N)."));
        table.getColumns().add(status());
        table.getColumns().add(text("name", "Name", 150, Backend::name));
        table.getColumns().add(text("url", "URL", 230, Backend::url));
        table.getColumns().add(text("type", "Type", 80, b -> b.type().wire()));
        table.getColumns().add(source());
        table.getColumns().add(models());
        table.getColumns().add(latency());
        table.getColumns().add(number("inflight", "In flight", 70, Backend::pendingRequests));
        table.getColumns().add(lastCheck());
        table.getColumns().add(grace());
        model.sorted().comparatorProperty().bind(table.comparatorProperty());
        table.setItems(model.sorted());
    }

    public TableView<BackendRow> view() {
        return table;
    }

    private static <T> ObservableValue<T> field(TableColumn.CellDataFeatures<BackendRow, T> f, Function<Backend, T> get) {
        return Bindings.createObjectBinding(() -> get.apply(f.getValue().backend()), f.getValue().backendProperty());
    }

    private static TableColumn<BackendRow, BackendStatus> status() {
        TableColumn<BackendRow, BackendStatus> c = column("status", "Status", 110);
        c.setCellValueFactory(f -> field(f, Backend::status));
        c.setCellFactory(col -> new BackendCells.StatusCell());
        return c;
    }

    private static TableColumn<BackendRow, String> text(String id, String title, double width, Function<Backend, String> get) {
        TableColumn<BackendRow, String> c = column(id, title, width);
        c.setCellValueFactory(f -> field(f, get));
        return c;
    }

    private static TableColumn<BackendRow, Backend> source() {
        TableColumn<BackendRow, Backend> c = column("source", "Source", 85);
        c.setCellValueFactory(f -> f.getValue().backendProperty());
        c.setCellFactory(col -> new BackendCells.SourceCell());
        c.setComparator(Comparator.comparing((Backend b) -> b.source().ordinal()).thenComparing(b -> !b.pinned()));
        return c;
    }

    private static TableColumn<BackendRow, Backend> models() {
        TableColumn<BackendRow, Backend> c = column("models", "Models", 65);
        c.setCellValueFactory(f -> f.getValue().backendProperty());
        c.setCellFactory(col -> new BackendCells.ModelsCell());
        c.setComparator(Comparator.comparingInt(b -> b.models().size()));
        return c;
    }

    private static TableColumn<BackendRow, Double> latency() {
        TableColumn<BackendRow, Double> c = column("latency", "Latency", 75);
        c.setCellValueFactory(f -> field(f, Backend::avgLatencyMs));
        c.setCellFactory(col -> formatted(Formats::latency));
        c.setComparator(Comparator.nullsLast(Comparator.naturalOrder()));
        return c;
    }

    private static TableColumn<BackendRow, Long> number(String id, String title, double width, Function<Backend, Long> get) {
        TableColumn<BackendRow, Long> c = column(id, title, width);
        c.setCellValueFactory(f -> field(f, get));
        c.setCellFactory(col -> formatted(String::valueOf));
        return c;
    }

    private static TableColumn<BackendRow, Instant> lastCheck() {
        TableColumn<BackendRow, Instant> c = column("lastcheck", "Last check", 85);
        c.setCellValueFactory(f -> field(f, Backend::lastHealthCheck));
        c.setCellFactory(col -> formatted(Formats::clock));
        c.setComparator(Comparator.nullsFirst(Comparator.naturalOrder()));
        return c;
    }

    private static TableColumn<BackendRow, BackendRow> grace() {
        TableColumn<BackendRow, BackendRow> c = column("grace", "Removal", 190);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue()));
        c.setCellFactory(col -> new BackendCells.GraceCell());
        c.setComparator(Comparator.comparing((BackendRow r) -> r.backend().graceDeadline(),
                Comparator.nullsLast(Comparator.naturalOrder())));
        return c;
    }

    private static <T> TableColumn<BackendRow, T> column(String id, String title, double width) {
        TableColumn<BackendRow, T> c = new TableColumn<>(title);
        c.setId(id);
        c.setPrefWidth(width);
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
