package io.nexusmonitor.gui.dialogs;

import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.gui.actions.BackendActions;
import io.nexusmonitor.gui.model.BackendRow;
import io.nexusmonitor.gui.model.BackendTableModel;
import io.nexusmonitor.gui.table.Formats;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.UrlNormalizer;
import java.util.concurrent.CompletionException;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/**
 * "Add backend": a URL (checked as you type with {@link UrlNormalizer}, the same rule the registry
 * applies), an optional name and type. After "Add" the dialog stays open and shows the first
 * health check's result ("healthy, 3 models", or the error) as it arrives through the table model.
 */
public final class AddBackendDialog {
    private static final ButtonType ADD = new ButtonType("Add", ButtonBar.ButtonData.OK_DONE);

    private final Dialog<Void> dialog = new Dialog<>();
    private final TextField url = new TextField();
    private final TextField name = new TextField();
    private final ComboBox<String> type = new ComboBox<>();
    private final Label message = new Label();
    private final BackendActions actions;
    private final BackendTableModel model;
    private BackendRow watched;
    private final ChangeListener<Backend> resultListener = (o, a, b) -> showResult(b);

    public AddBackendDialog(Window owner, BackendActions actions, BackendTableModel model) {
        this.actions = actions;
        this.model = model;
        dialog.initOwner(owner);
        dialog.setTitle("Add backend");
        dialog.setHeaderText("Add an LLM server by URL");
        url.setId("add-url");
        url.setPromptText("http://192.168.1.10:11434");
        url.setPrefColumnCount(28);
        name.setId("add-name");
        name.setPromptText("optional: derived from the host");
        type.setId("add-type");
        type.getItems().add("auto");
        for (BackendType t : BackendType.values()) {
            type.getItems().add(t.wire());
        }
        type.getSelectionModel().selectFirst();
        message.setId("add-message");
        message.setWrapText(true);
        message.setMaxWidth(420);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.setPadding(new Insets(10));
        grid.addRow(0, new Label("URL"), url);
        grid.addRow(1, new Label("Name"), name);
        grid.addRow(2, new Label("Type"), type);
        grid.add(message, 0, 3, 2, 1);
        dialog.getDialogPane().setContent(grid);
        dialog.getDialogPane().getButtonTypes().addAll(ADD, ButtonType.CLOSE);
        dialog.getDialogPane().getStyleClass().add("add-dialog");

        Node addButton = dialog.getDialogPane().lookupButton(ADD);
        addButton.setId("add-confirm");
        addButton.setDisable(true);
        url.textProperty().addListener((o, a, b) -> {
            String problem = validate(b);
            addButton.setDisable(problem != null);
            setMessage(problem == null || b.isBlank() ? "" : problem, problem != null);
        });
        // "Add" must not close the dialog: it stays to show the first health check
        addButton.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            submit((Button) addButton);
        });
        dialog.setOnHidden(e -> unwatch());
        Platform.runLater(url::requestFocus);
    }

    public void show() {
        dialog.show();
    }

    /** Null when the URL is acceptable, else why not. */
    static String validate(String text) {
        if (text == null || text.isBlank()) {
            return "enter a URL";
        }
        try {
            UrlNormalizer.normalize(text);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private void submit(Button addButton) {
        addButton.setDisable(true);
        setMessage("Adding…", false);
        String t = type.getValue();
        BackendType bt = t == null || t.equals("auto") ? null : BackendType.parse(t).orElse(null);
        actions.add(url.getText().trim(), name.getText(), bt).whenComplete((b, error) -> Platform.runLater(() -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                setMessage(cause instanceof ControlException ? cause.getMessage() : "could not add: " + cause, true);
                addButton.setDisable(false);
                return;
            }
            setMessage("Added " + b.name() + " (" + b.url() + "). Checking its health…", false);
            watch(b.id());
        }));
    }

    /** Follows the new row (it appears with the next batch) until its first health check is in. */
    private void watch(String id) {
        model.row(id).ifPresentOrElse(this::attach, () -> model.rows().addListener(new ListChangeListener<BackendRow>() {
            @Override
            public void onChanged(Change<? extends BackendRow> c) {
                model.row(id).ifPresent(r -> {
                    model.rows().removeListener(this);
                    attach(r);
                });
            }
        }));
    }

    private void attach(BackendRow r) {
        watched = r;
        r.backendProperty().addListener(resultListener);
        showResult(r.backend());
    }

    private void unwatch() {
        if (watched != null) {
            watched.backendProperty().removeListener(resultListener);
        }
    }

    private void showResult(Backend b) {
        if (b == null || b.lastHealthCheck() == null) {
            return;
        }
        String result = b.name() + ": " + b.status().wire() + ", " + b.models().size() + " model(s), "
                + Formats.latency(b.avgLatencyMs()) + (b.lastError() != null ? "\n" + b.lastError() : "");
        setMessage("First health check — " + result, b.status() != BackendStatus.HEALTHY);
    }

    private void setMessage(String text, boolean problem) {
        message.setText(text);
        message.getStyleClass().removeAll("problem");
        if (problem) {
            message.getStyleClass().add("problem");
        }
    }
}
