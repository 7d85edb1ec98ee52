package io.nexusmonitor.gui.details;

import io.nexusmonitor.gpu.GpuSummary;
import io.nexusmonitor.gui.model.Formats;
import io.nexusmonitor.gui.table.StatusIcons;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.HistoryEntry;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.WakeOnLan;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/**
 * Everything known about the selected backend: every field, its mDNS data (addresses, TXT), its
 * models with capabilities and which are loaded, the last error, and its history with causes.
 * Values are read-only text fields so they can be selected and copied. Rebuilt when the selected
 * backend's snapshot changes (at most once per batch or tick), never per field.
 */
public final class DetailsPane {
    private final ObjectProperty<Backend> backend = new SimpleObjectProperty<>(this, "backend");
    private final VBox content = new VBox(10);
    private final ScrollPane view = new ScrollPane(content);
    /** The selected backend's charts; null when nothing measures (a control without telemetry). */
    private PerformanceCharts charts;

    public DetailsPane() {
        view.setId("details");
        view.getStyleClass().add("details");
        view.setFitToWidth(true);
        content.setPadding(new Insets(10));
        backend.addListener((o, a, b) -> rebuild(b));
        rebuild(null);
    }

    public ScrollPane view() {
        return view;
    }

    /** Shows the selected backend's performance charts under its general details. */
    public void showCharts(PerformanceCharts performance) {
        this.charts = performance;
        rebuild(backend.get());
    }

    /** The backend shown; null shows a hint. */
    public ObjectProperty<Backend> backendProperty() {
        return backend;
    }

    private void rebuild(@Nullable Backend b) {
        if (charts != null) {
            charts.setBackend(b);
        }
        if (b == null) {
            Label hint = new Label("Select a backend to see its details.");
            hint.getStyleClass().add("hint");
            content.getChildren().setAll(hint);
            return;
        }
        Label title = new Label(LogText.display(b.name()));
        title.getStyleClass().addAll("details-title", StatusIcons.styleClass(b.status()));
        content.getChildren().setAll(title, section("Backend", general(b)));
        if (charts != null) {
            content.getChildren().add(section("Performance", charts.view()));
        }
        if (b.mdns() != null) {
            content.getChildren().add(section("mDNS", mdns(b.mdns())));
        }
        content.getChildren().add(section("Models (" + b.models().size() + ")", models(b.models())));
        content.getChildren().add(section("History", history(b.history())));
    }

    private static GridPane general(Backend b) {
        Grid g = new Grid();
        g.row("Id", b.id());
        g.row("URL", b.url());
        g.row("Type", b.type().wire());
        g.row("Status", b.status().wire());
        g.row("Source", b.source().wire() + (b.configLocation() != null ? " (" + b.configLocation() + ")" : ""));
        g.row("Pinned", b.pinned() ? "yes" : "no");
        g.row("Approved", b.approved() ? "yes" : "no: listed, but gets no traffic until pinned");
        g.row("Priority", Integer.toString(b.priority()));
        GpuSummary gpu = GpuSummary.of(b);
        if (gpu != null) {
            g.row(
                    "GPU",
                    gpu.count() + " × " + gpu.name() + ", VRAM " + (gpu.usedMb() == null ? "?" : gpu.usedMb()) + " / "
                            + (gpu.vramMb() == null ? "?" : gpu.vramMb()) + " MiB");
        }
        io.nexusmonitor.registry.GpuReport report = b.gpuReport();
        if (report != null) {
            g.row("GPU status", io.nexusmonitor.gpu.GpuLines.of(report));
        }
        String mac = WakeOnLan.effectiveMac(b);
        if (mac != null || b.settings().wake() != null) {
            g.row(
                    "Wake-on-LAN",
                    (WakeOnLan.wakeable(b) ? "on" : "off") + (mac == null ? ", no MAC known" : ", " + mac));
        }
        g.row("Latency", Formats.latency(b.avgLatencyMs()));
        g.row("Requests", Formats.busy(b) + " in flight, " + b.totalRequests() + " total");
        g.row("Capacity", Formats.capacity(b.settings()));
        g.row("Weight", Integer.toString(b.settings().weight()));
        g.row("API key", Formats.credential(b.settings()));
        g.row("Last check", Formats.dateTime(b.lastHealthCheck()));
        g.row("Last error", b.lastError() == null ? "—" : b.lastError());
        g.row("Added", Formats.dateTime(b.addedAt()));
        if (b.graceDeadline() != null) {
            g.row("Removal at", Formats.dateTime(b.graceDeadline()));
        }
        return g.pane;
    }

    private static GridPane mdns(MdnsInfo m) {
        Grid g = new Grid();
        g.row("Instance", m.instance());
        g.row("Service type", m.serviceType());
        g.row("Host", m.host());
        g.row("Addresses", m.addresses().isEmpty() ? "—" : String.join(", ", m.addresses()));
        if (m.txt().isEmpty()) {
            g.row("TXT", "—");
        }
        for (Map.Entry<String, String> e : m.txt().entrySet()) {
            g.row("TXT " + e.getKey(), e.getValue());
        }
        g.row("First seen", Formats.dateTime(m.firstSeen()));
        g.row("Last seen", Formats.dateTime(m.lastSeen()));
        return g.pane;
    }

    private static Node models(List<ModelInfo> models) {
        if (models.isEmpty()) {
            return new Label("none reported");
        }
        Grid g = new Grid();
        for (ModelInfo m : models) {
            StringBuilder v = new StringBuilder();
            v.append(Boolean.TRUE.equals(m.loaded()) ? "loaded" : Boolean.FALSE.equals(m.loaded()) ? "not loaded" : "");
            if (m.contextLength() != null) {
                v.append(v.length() > 0 ? ", " : "").append("context ").append(m.contextLength());
            }
            if (!m.capabilities().isEmpty()) {
                v.append(v.length() > 0 ? ", " : "").append(String.join(" ", m.capabilities()));
            }
            g.row(m.id(), v.length() == 0 ? "—" : v.toString());
        }
        return g.pane;
    }

    private static Node history(List<HistoryEntry> history) {
        if (history.isEmpty()) {
            return new Label("none");
        }
        Grid g = new Grid();
        for (int i = history.size() - 1; i >= 0; i--) {
            HistoryEntry h = history.get(i);
            g.row(Formats.dateTime(h.at()), h.status().wire() + " — " + h.cause());
        }
        return g.pane;
    }

    private static Node section(String title, Node body) {
        Label l = new Label(title);
        l.getStyleClass().add("details-section");
        return new VBox(4, l, body);
    }

    /** Two columns: a key label, and a read-only field one can select and copy. */
    private static final class Grid {
        final GridPane pane = new GridPane();
        int rows;

        Grid() {
            pane.setHgap(8);
            pane.setVgap(2);
            ColumnConstraints key = new ColumnConstraints();
            key.setMinWidth(90);
            ColumnConstraints value = new ColumnConstraints();
            value.setHgrow(Priority.ALWAYS);
            pane.getColumnConstraints().addAll(key, value);
        }

        /** Keys and values may come from the network (TXT keys, instance names): shown escaped. */
        void row(String k, @Nullable String v) {
            Label kl = new Label(LogText.display(k));
            kl.getStyleClass().add("details-key");
            TextField vf = new TextField(LogText.display(v));
            vf.setEditable(false);
            vf.setFocusTraversable(false); // selectable with the mouse, but Tab does not walk through every value
            vf.getStyleClass().add("details-value");
            pane.addRow(rows++, kl, vf);
        }
    }
}
