package io.nexusmonitor.gui.firstrun;

import io.nexusmonitor.gui.theme.Themes;
import io.nexusmonitor.registry.BackendType;
import java.util.Optional;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.jspecify.annotations.Nullable;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;

/**
 * "Announce a server on this machine": choose its type and port, and see the exact
 * {@code nexus-monitor announce} command or the avahi service file that makes it discoverable
 * ({@link AnnounceRecipe}), with a Copy button. The command keeps the announcement only while the
 * server answers its health check; the avahi file announces it for as long as avahi runs.
 */
public final class AnnounceDialog {
    static final String SELF_NOTE = "Monitors on other machines find it. This monitor leaves out announcements that"
            + " point at its own machine unless [discovery] allow_loopback = true; to see the server here, add it by"
            + " URL: ";

    private final Dialog<Void> dialog = new Dialog<>();
    private final ChoiceBox<BackendType> type = new ChoiceBox<>();
    private final TextField port = new TextField();
    private final RadioButton useCommand = new RadioButton("nexus-monitor announce");
    private final RadioButton useAvahi = new RadioButton("avahi service file");
    private final Label where = new Label();
    private final TextArea text = new TextArea();
    private final Label note = new Label();
    private final Button copy = new Button("Copy", new FontIcon(MaterialDesignC.CONTENT_COPY));
    private final Label copied = new Label();

    public AnnounceDialog(@Nullable Window owner) {
        dialog.initOwner(owner);
        dialog.setTitle("Announce a server");
        dialog.setHeaderText("Make an LLM server on this machine discoverable on the LAN");
        dialog.getDialogPane().getStyleClass().add("announce-dialog");
        Themes.style(dialog.getDialogPane());

        type.setId("announce-type");
        type.getItems().addAll(BackendType.values());
        type.setConverter(new StringConverter<>() {
            @Override
            public String toString(@Nullable BackendType t) {
                return t == null ? "" : t.wire();
            }

            @Override
            public BackendType fromString(String s) {
                return BackendType.parse(s).orElse(BackendType.GENERIC);
            }
        });
        type.setValue(BackendType.OLLAMA);
        port.setId("announce-port");
        port.setPrefColumnCount(6);
        port.setText(Integer.toString(AnnounceRecipe.defaultPort(BackendType.OLLAMA)));
        type.valueProperty().addListener((o, was, now) -> {
            if (was != null
                    && now != null
                    && port.getText().trim().equals(Integer.toString(AnnounceRecipe.defaultPort(was)))) {
                port.setText(Integer.toString(AnnounceRecipe.defaultPort(now))); // the user had not typed one
            }
            refresh();
        });
        port.textProperty().addListener((o, was, now) -> refresh());

        ToggleGroup how = new ToggleGroup();
        useCommand.setId("announce-use-command");
        useAvahi.setId("announce-use-avahi");
        useCommand.setToggleGroup(how);
        useAvahi.setToggleGroup(how);
        useCommand.setSelected(true);
        how.selectedToggleProperty().addListener((o, was, now) -> refresh());

        text.setId("announce-text");
        text.setEditable(false);
        text.setWrapText(false);
        text.setPrefRowCount(10);
        text.setPrefColumnCount(64);
        text.getStyleClass().add("code");
        where.setId("announce-where");
        where.setWrapText(true);
        note.setId("announce-note");
        note.setWrapText(true);
        note.getStyleClass().add("hint");
        copy.setId("announce-copy");
        copy.setOnAction(e -> copyText());
        copied.setId("announce-copied");
        copied.getStyleClass().add("hint");

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("Server type"), type);
        form.addRow(1, new Label("Port"), port);
        form.addRow(2, new Label("Announce with"), new HBox(12, useCommand, useAvahi));
        VBox content = new VBox(10, form, where, text, new HBox(8, copy, copied), note);
        content.setPadding(new Insets(4, 0, 0, 0));
        content.setPrefWidth(620);
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        refresh();
    }

    /** The recipe for what is filled in now; empty while the port is not a number 1..65535. */
    Optional<AnnounceRecipe> recipe() {
        return AnnounceRecipe.parsePort(port.getText()).map(p -> new AnnounceRecipe(type.getValue(), p));
    }

    private void refresh() {
        copied.setText("");
        Optional<AnnounceRecipe> r = recipe();
        copy.setDisable(r.isEmpty());
        if (r.isEmpty()) {
            where.setText("The port must be a whole number from 1 to 65535.");
            where.getStyleClass().add("problem");
            text.setText("");
            note.setText("");
            return;
        }
        where.getStyleClass().remove("problem");
        AnnounceRecipe recipe = r.get();
        if (useCommand.isSelected()) {
            where.setText("Run this on the machine where the server runs. It announces the server while it answers"
                    + " its health check and withdraws it when it stops (or on Ctrl+C); a systemd unit can keep it"
                    + " running.");
            text.setText(recipe.command());
        } else {
            where.setText("Save this as " + recipe.avahiPath() + " (as root); avahi announces it for as long as"
                    + " avahi runs, whether or not the server answers.");
            text.setText(recipe.avahiFile());
        }
        note.setText(SELF_NOTE + "http://127.0.0.1:" + recipe.port() + ".");
    }

    private void copyText() {
        ClipboardContent c = new ClipboardContent();
        c.putString(text.getText());
        Clipboard.getSystemClipboard().setContent(c);
        copied.setText("Copied.");
    }

    public void show() {
        dialog.show();
    }

    /** For tests: the dialog. */
    Dialog<Void> dialog() {
        return dialog;
    }
}
