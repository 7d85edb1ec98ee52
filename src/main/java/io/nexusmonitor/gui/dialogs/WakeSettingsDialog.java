package io.nexusmonitor.gui.dialogs;

import io.nexusmonitor.gui.actions.BackendActions;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.WakeOnLan;
import io.nexusmonitor.registry.WakeTargets;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;
import org.jspecify.annotations.Nullable;

/**
 * "Wake-on-LAN…" for one backend: its MAC (checked as you type with {@link WakeOnLan#normalizeMac},
 * the rule the config and the API apply), whether a request for its models may wake it, the
 * broadcast address and how long a request waits. Saving pins the backend: only a pinned backend
 * can be {@code asleep} rather than gone.
 */
public final class WakeSettingsDialog {
    private static final ButtonType SAVE = new ButtonType("Save and pin", ButtonBar.ButtonData.OK_DONE);

    private final Dialog<ButtonType> dialog = new Dialog<>();
    private final TextField mac = new TextField();
    private final CheckBox enabled = new CheckBox("Wake it when a request needs one of its models");
    private final TextField broadcast = new TextField();
    private final TextField timeout = new TextField();
    private final Label message = new Label();

    public WakeSettingsDialog(@Nullable Window owner, BackendActions actions, Backend b) {
        dialog.initOwner(owner);
        dialog.setTitle("Wake-on-LAN");
        dialog.setHeaderText("Wake-on-LAN for " + b.name());
        WakeOnLan now = b.settings().wake();
        String known = WakeOnLan.effectiveMac(b);
        mac.setId("wake-mac");
        mac.setText(known == null ? "" : known);
        mac.setPromptText("aa:bb:cc:dd:ee:ff");
        enabled.setId("wake-enabled");
        enabled.setSelected(now == null || now.enabled());
        broadcast.setId("wake-broadcast");
        broadcast.setText(now == null || now.broadcast() == null ? WakeOnLan.DEFAULT_BROADCAST : now.broadcast());
        timeout.setId("wake-timeout");
        timeout.setText(Integer.toString(now == null ? WakeOnLan.DEFAULT_TIMEOUT_SECONDS : now.timeoutSeconds()));
        message.setId("wake-message");
        message.setWrapText(true);
        message.setMaxWidth(420);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.setPadding(new Insets(10));
        grid.addRow(0, new Label("MAC address"), mac);
        grid.add(enabled, 0, 1, 2, 1);
        grid.addRow(2, new Label("Broadcast to"), broadcast);
        grid.addRow(3, new Label("Wait up to (s)"), timeout);
        grid.add(message, 0, 4, 2, 1);
        dialog.getDialogPane().setContent(grid);
        dialog.getDialogPane().getButtonTypes().addAll(SAVE, ButtonType.CANCEL);
        io.nexusmonitor.gui.theme.Themes.style(dialog.getDialogPane());

        Node save = dialog.getDialogPane().lookupButton(SAVE);
        save.setId("wake-save");
        ChangeListener<Object> check = (o, x, y) -> {
            String problem = parse(mac.getText(), enabled.isSelected(), broadcast.getText(), timeout.getText())
                    .problem();
            save.setDisable(problem != null);
            message.setText(problem == null ? "" : problem);
        };
        mac.textProperty().addListener(check);
        enabled.selectedProperty().addListener(check);
        broadcast.textProperty().addListener(check);
        timeout.textProperty().addListener(check);
        check.changed(null, null, null);
        dialog.setOnHidden(e -> {
            if (dialog.getResult() == SAVE) {
                WakeOnLan w = parse(mac.getText(), enabled.isSelected(), broadcast.getText(), timeout.getText())
                        .wake();
                if (w != null) {
                    actions.setWakeAndPin(b, w);
                }
            }
        });
    }

    public void show() {
        dialog.show();
    }

    /** What was typed, or why it cannot be used. */
    record Parsed(@Nullable WakeOnLan wake, @Nullable String problem) {}

    static Parsed parse(String macText, boolean on, String broadcastText, String timeoutText) {
        String m = WakeOnLan.normalizeMac(macText);
        if (m == null) {
            return new Parsed(null, "MAC address: " + WakeOnLan.macProblem());
        }
        String t = timeoutText == null ? "" : timeoutText.strip();
        if (!t.matches("[0-9]{1,4}")
                || Integer.parseInt(t) < 1
                || Integer.parseInt(t) > WakeOnLan.MAX_TIMEOUT_SECONDS) {
            return new Parsed(null, "wait: a whole number of seconds from 1 to " + WakeOnLan.MAX_TIMEOUT_SECONDS);
        }
        String bc = broadcastText == null || broadcastText.isBlank() ? null : broadcastText.strip();
        String why = bc == null ? null : WakeTargets.problem(bc);
        if (why != null) {
            return new Parsed(null, "broadcast: " + why);
        }
        try {
            return new Parsed(new WakeOnLan(m, on, bc, Integer.parseInt(t)), null);
        } catch (IllegalArgumentException e) {
            return new Parsed(null, e.getMessage());
        }
    }
}
