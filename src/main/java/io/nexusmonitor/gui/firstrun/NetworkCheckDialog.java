package io.nexusmonitor.gui.firstrun;

import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.control.EngineStatus;
import io.nexusmonitor.discovery.logic.InterfaceTraffic;
import io.nexusmonitor.gui.theme.Themes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.jspecify.annotations.Nullable;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Check the network": which interface addresses discovery browses and whether any mDNS traffic
 * was heard on each ({@link NetworkReport}), read from the control off the FX thread; "Check
 * again" reads it anew.
 */
public final class NetworkCheckDialog {
    private static final Logger log = LoggerFactory.getLogger(NetworkCheckDialog.class);

    private final Dialog<Void> dialog = new Dialog<>();
    private final BackendControl control;
    private final Executor worker;
    private final Label headline = new Label("Reading what discovery has heard…");
    private final VBox interfaces = new VBox(4);
    private final Label advice = new Label();
    private final Button again = new Button("Check again", new FontIcon(MaterialDesignR.REFRESH));

    public NetworkCheckDialog(@Nullable Window owner, BackendControl control, Executor worker) {
        this.control = control;
        this.worker = worker;
        dialog.initOwner(owner);
        dialog.setTitle("Check the network");
        dialog.setHeaderText("What mDNS discovery sees");
        dialog.getDialogPane().getStyleClass().add("network-dialog");
        Themes.style(dialog.getDialogPane());
        headline.setId("network-headline");
        headline.setWrapText(true);
        headline.getStyleClass().add("network-headline");
        interfaces.setId("network-interfaces");
        advice.setId("network-advice");
        advice.setWrapText(true);
        again.setId("network-again");
        again.setOnAction(e -> read());
        Label browsed = new Label("Interfaces browsed");
        browsed.getStyleClass().add("details-section");
        VBox content = new VBox(10, headline, browsed, interfaces, advice, again);
        content.setPrefWidth(560);
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        read();
    }

    private void read() {
        again.setDisable(true);
        worker.execute(() -> {
            try {
                EngineStatus s = control.status();
                List<InterfaceTraffic> t = control.mdnsTraffic();
                Platform.runLater(() -> show(s, t));
            } catch (RuntimeException e) {
                log.debug("network check failed", e);
                Platform.runLater(() -> {
                    headline.setText("The engine did not answer; try again in a moment.");
                    again.setDisable(false);
                });
            }
        });
    }

    private void show(EngineStatus s, List<InterfaceTraffic> traffic) {
        headline.setText(NetworkReport.headline(s));
        interfaces.getChildren().clear();
        for (String line : NetworkReport.interfaces(s, traffic, Instant.now())) {
            Label l = new Label(line);
            l.setWrapText(true);
            l.getStyleClass().add("network-interface");
            interfaces.getChildren().add(l);
        }
        advice.setText(NetworkReport.advice(s, traffic));
        again.setDisable(false);
    }

    public void show() {
        dialog.show();
    }
}
