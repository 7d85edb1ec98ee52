package io.nexusmonitor.gui.firstrun;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;

/**
 * A banner under the toolbar while discovery cannot find servers, with the action that fixes it:
 * paused → "Resume discovery"; unable to run (no usable interface, a socket error) → "Check the
 * network", which names the interfaces and the setting to choose one. Hidden while discovery runs
 * or is off by choice. Follows {@code EngineStatus.discovery()} as the status poll reports it.
 */
public final class DiscoveryBanner {
    private final HBox view = new HBox(8);
    private final FontIcon icon = new FontIcon();
    private final Label text = new Label();
    private final Button action = new Button();
    private final Runnable resume;
    private final Runnable checkNetwork;
    private String shown = "";

    public DiscoveryBanner(Runnable resume, Runnable checkNetwork) {
        this.resume = resume;
        this.checkNetwork = checkNetwork;
        view.setId("discovery-banner");
        view.getStyleClass().addAll("notice-banner", "discovery-banner");
        view.setAlignment(Pos.CENTER_LEFT);
        text.setId("discovery-banner-text");
        text.setWrapText(true);
        text.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(text, Priority.ALWAYS);
        action.setId("discovery-banner-action");
        view.getChildren().addAll(icon, text, action);
        hide();
    }

    /** Shows what {@code state} ({@code running}, {@code paused}, {@code unavailable: why}, {@code off}) needs. */
    public void show(String state) {
        if (state.equals(shown)) {
            return;
        }
        shown = state;
        view.getStyleClass().remove("problem");
        if (state.equals("paused")) {
            icon.setIconCode(MaterialDesignP.PAUSE_CIRCLE_OUTLINE);
            text.setText("Discovery is paused: servers that announce themselves now are not added.");
            action.setText("Resume discovery");
            action.setGraphic(new FontIcon(MaterialDesignP.PLAY));
            action.setOnAction(e -> resume.run());
        } else if (state.startsWith("unavailable: ")) {
            view.getStyleClass().add("problem");
            icon.setIconCode(MaterialDesignL.LAN_DISCONNECT);
            text.setText("Discovery cannot run: " + state.substring("unavailable: ".length())
                    + ". Servers added by URL still work.");
            action.setText("Check the network");
            action.setGraphic(new FontIcon(MaterialDesignL.LAN));
            action.setOnAction(e -> checkNetwork.run());
        } else {
            hide();
            return;
        }
        view.setVisible(true);
        view.setManaged(true);
    }

    private void hide() {
        view.setVisible(false);
        view.setManaged(false);
    }

    public Node view() {
        return view;
    }
}
