package io.nexusmonitor.gui.dialogs;

import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.gui.actions.BackendActions;
import io.nexusmonitor.gui.model.BackendRow;
import io.nexusmonitor.gui.model.BackendTableModel;
import io.nexusmonitor.gui.model.Formats;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Credential;
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
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;
import org.jspecify.annotations.Nullable;

/**
 * "Add backend": a URL (checked as you type with {@link UrlNormalizer}, the same rule the registry
 * applies), an optional name and type, and optionally the server's parallel slots (max concurrent),
 * its weight and the key it wants (a password field). After "Add" the dialog stays open and shows the first
 * health check's result ("healthy, 3 models", or the error) as it arrives through the table model.
 */
public final class AddBackendDialog {
    private static final ButtonType ADD = new ButtonType("Add", ButtonBar.ButtonData.OK_DONE);

    private final Dialog<Void> dialog = new Dialog<>();
    private final TextField url = new TextField();
    private final TextField name = new TextField();
    private final ComboBox<String> type = new ComboBox<>();
    private final TextField maxConcurrent = new TextField();
    private final TextField weight = new TextField();
    /** Masked; its text is only handed to the engine, never shown, logged or kept by the dialog. */
    private final PasswordField apiKey = new PasswordField();

    private final Label message = new Label();
    private final BackendActions actions;
    private final BackendTableModel model;
    private @Nullable BackendRow watched;
    private final ChangeListener<Backend> resultListener = (o, a, b) -> showResult(b);

    public AddBackendDialog(@Nullable Window owner, BackendActions actions, BackendTableModel model) {
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
        maxConcurrent.setId("add-max-concurrent");
        maxConcurrent.setPromptText("optional: requests it runs at once");
        weight.setId("add-weight");
        weight.setPromptText("optional: 1");
        apiKey.setId("add-api-key");
        apiKey.setPromptText("optional: the key the server wants");
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
        grid.addRow(3, new Label("Max concurrent"), maxConcurrent);
        grid.addRow(4, new Label("Weight"), weight);
        grid.addRow(5, new Label("API key"), apiKey);
        grid.add(message, 0, 6, 2, 1);
        dialog.getDialogPane().setContent(grid);
        dialog.getDialogPane().getButtonTypes().addAll(ADD, ButtonType.CLOSE);
        dialog.getDialogPane().getStyleClass().add("add-dialog");
        io.nexusmonitor.gui.theme.Themes.style(dialog.getDialogPane());

        Node addButton = dialog.getDialogPane().lookupButton(ADD);
        addButton.setId("add-confirm");
        addButton.setDisable(true);
        ChangeListener<String> check = (o, a, b) -> {
            String problem = validate(url.getText());
            if (problem == null) {
                problem = settings(maxConcurrent.getText(), weight.getText(), apiKey.getText())
                        .problem();
            }
            addButton.setDisable(problem != null);
            setMessage(problem == null || url.getText().isBlank() ? "" : problem, problem != null);
        };
        url.textProperty().addListener(check);
        maxConcurrent.textProperty().addListener(check);
        weight.textProperty().addListener(check);
        apiKey.textProperty().addListener(check);
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
    static @Nullable String validate(String text) {
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

    /** The settings typed in, or why they cannot be used (never quoting the key). */
    record Settings(
            @Nullable BackendSettings settings, @Nullable String problem) {}

    /** Empty fields mean "not set"; max concurrent and weight are whole numbers of at least 1. */
    static Settings settings(String max, String weightText, String key) {
        BackendSettings s = BackendSettings.DEFAULTS;
        String m = max == null ? "" : max.trim();
        if (!m.isEmpty()) {
            Integer n = wholeNumber(m, BackendSettings.MAX_CAPACITY);
            if (n == null) {
                return new Settings(null, "max concurrent: a whole number from 1 to " + BackendSettings.MAX_CAPACITY);
            }
            s = s.withCapacity(n, BackendSettings.CapacitySource.CONFIG);
        }
        String w = weightText == null ? "" : weightText.trim();
        if (!w.isEmpty()) {
            Integer n = wholeNumber(w, BackendSettings.MAX_WEIGHT);
            if (n == null) {
                return new Settings(null, "weight: a whole number from 1 to " + BackendSettings.MAX_WEIGHT);
            }
            s = s.withWeight(n);
        }
        if (key != null && !key.isEmpty()) {
            String why = Credential.problem(key);
            if (why != null) {
                return new Settings(null, why);
            }
            s = s.withCredential(Credential.of(key));
        }
        return new Settings(s, null);
    }

    private static @Nullable Integer wholeNumber(String text, int max) {
        if (!text.matches("[0-9]{1,7}")) {
            return null;
        }
        int n = Integer.parseInt(text);
        return n >= 1 && n <= max ? n : null;
    }

    private void submit(Button addButton) {
        addButton.setDisable(true);
        setMessage("Adding…", false);
        String t = type.getValue();
        BackendType bt =
                t == null || t.equals("auto") ? null : BackendType.parse(t).orElse(null);
        Settings typed = settings(maxConcurrent.getText(), weight.getText(), apiKey.getText());
        if (typed.problem() != null) {
            setMessage(typed.problem(), true);
            addButton.setDisable(false);
            return;
        }
        actions.add(url.getText().trim(), name.getText(), bt, typed.settings())
                .whenComplete((b, error) -> Platform.runLater(() -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause()
                                : error;
                        setMessage(
                                cause instanceof ControlException ? cause.getMessage() : "could not add: " + cause,
                                true);
                        addButton.setDisable(false);
                        return;
                    }
                    setMessage("Added " + b.name() + " (" + b.url() + "). Checking its health…", false);
                    watch(b.id());
                }));
    }

    /** Follows the new row (it appears with the next batch) until its first health check is in. */
    private void watch(String id) {
        model.row(id)
                .ifPresentOrElse(
                        this::attach,
                        () -> model.rows().addListener(new ListChangeListener<BackendRow>() {
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

    private void setMessage(@Nullable String text, boolean problem) {
        message.setText(text);
        message.getStyleClass().removeAll("problem");
        if (problem) {
            message.getStyleClass().add("problem");
        }
    }
}
