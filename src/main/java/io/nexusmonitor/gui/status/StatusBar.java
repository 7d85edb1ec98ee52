package io.nexusmonitor.gui.status;

import io.nexusmonitor.control.EngineStatus;
import io.nexusmonitor.stats.Telemetry;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** The bottom line: discovery state and interfaces, API address, healthy/total. */
public final class StatusBar {
    private final Label engine = new Label("starting…");
    private final Label discovery = new Label();
    private final Label api = new Label();
    private final Label counts = new Label();
    private final Label queued = new Label();
    /** {@code [federation]}: "Federation: connected to 3 etcd endpoints, ..."; hidden without it. */
    private final Label federation = new Label();

    private final HBox view;

    public StatusBar() {
        engine.setId("status-engine");
        discovery.setId("status-discovery");
        api.setId("status-api");
        counts.setId("status-counts");
        queued.setId("status-queued");
        queued.setVisible(false);
        queued.setManaged(false);
        federation.setId("status-federation");
        federation.setVisible(false);
        federation.setManaged(false);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        view = new HBox(16, engine, discovery, api, federation, spacer, queued, counts);
        view.getStyleClass().add("status-bar");
        view.setAlignment(Pos.CENTER_LEFT);
        view.setPadding(new Insets(3, 8, 3, 8));
    }

    public HBox view() {
        return view;
    }

    /** "starting…", "running", or why the engine failed. */
    public void showEngine(String text, boolean problem) {
        engine.setText(text);
        engine.getStyleClass().remove("problem");
        if (problem) {
            engine.getStyleClass().add("problem");
        }
        engine.setVisible(!text.isEmpty());
        engine.setManaged(!text.isEmpty());
    }

    public void show(EngineStatus s) {
        String where = s.interfaces().isEmpty() ? "" : " on " + String.join(", ", s.interfaces());
        discovery.setText("Discovery: " + s.discovery() + ("running".equals(s.discovery()) ? where : ""));
        api.setText(s.apiAddress() == null ? "API: off" : "API: " + s.apiAddress());
        // "2 queued": requests waiting in the gateway's queue; hidden while none waits
        queued.setText(queuedText(s.queued()));
        queued.setVisible(s.queued() > 0);
        queued.setManaged(s.queued() > 0);
        io.nexusmonitor.control.FederationStatus f = s.federation();
        federation.setText(f == null ? "" : "Federation (" + f.site() + "): " + f.text());
        federation.getStyleClass().remove("problem");
        if (f != null && (!f.state().equals("connected") || f.conflict() != null)) {
            federation.getStyleClass().add("problem");
        }
        federation.setVisible(f != null);
        federation.setManaged(f != null);
    }

    /** {@code "2 queued"}, empty for none: the status bar and the tray tooltip say it alike. */
    public static String queuedText(int n) {
        return Telemetry.queuedText(n);
    }

    public void showCounts(long healthy, long total) {
        counts.setText(healthy + " / " + total + " healthy");
    }
}
