package io.nexusmonitor.gui.notify;

import javafx.animation.PauseTransition;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignB;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;

/**
 * A banner at the top of the window for notices, used where the desktop has no tray (and for
 * failed actions, always). It stays for {@link #SHOW_FOR} or until closed; a newer notice replaces it.
 */
public final class InWindowNotices implements NoticeSink {
    static final Duration SHOW_FOR = Duration.seconds(8);

    private final Label title = new Label();
    private final Label body = new Label();
    private final HBox view;
    private final PauseTransition hideLater = new PauseTransition(SHOW_FOR);

    public InWindowNotices() {
        title.setId("notice-title");
        title.getStyleClass().add("notice-title");
        body.setId("notice-body");
        body.getStyleClass().add("notice-body");
        Button close = new Button(null, new FontIcon(MaterialDesignC.CLOSE));
        close.getStyleClass().add("flat");
        close.setTooltip(new Tooltip("Dismiss"));
        close.setOnAction(e -> hide());
        HBox text = new HBox(10, title, body);
        text.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(text, Priority.ALWAYS);
        view = new HBox(8, new FontIcon(MaterialDesignB.BELL_OUTLINE), text, close);
        view.setId("notice-banner");
        view.getStyleClass().add("notice-banner");
        view.setAlignment(Pos.CENTER_LEFT);
        view.setPadding(new Insets(4, 8, 4, 8));
        hide();
        hideLater.setOnFinished(e -> hide());
    }

    public HBox view() {
        return view;
    }

    @Override
    public void show(Notice notice) {
        show(notice, false);
    }

    /** Shows a notice; a problem (a refused action) is styled as such. */
    public void show(Notice notice, boolean problem) {
        title.setText(notice.title());
        body.setText(notice.body().replace('\n', ' '));
        view.getStyleClass().remove("problem");
        if (problem) {
            view.getStyleClass().add("problem");
        }
        view.setVisible(true);
        view.setManaged(true);
        hideLater.playFromStart();
    }

    private void hide() {
        view.setVisible(false);
        view.setManaged(false);
    }
}
