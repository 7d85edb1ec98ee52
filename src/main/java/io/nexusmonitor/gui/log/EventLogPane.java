package io.nexusmonitor.gui.log;

import io.nexusmonitor.gui.model.RegistryBatch;
import io.nexusmonitor.registry.RegistryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

/**
 * What happened and when, newest at the bottom, bounded to {@link #LIMIT} lines. Lines can be
 * selected and copied (Ctrl+C, or the context menu) to paste into a bug report.
 */
public final class EventLogPane {
    public static final int LIMIT = 1000;

    private final ObservableList<String> lines = FXCollections.observableArrayList();
    private final ListView<String> view = new ListView<>(lines);

    public EventLogPane() {
        view.setId("event-log");
        view.getStyleClass().add("event-log");
        view.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        MenuItem copy = new MenuItem("Copy");
        copy.setOnAction(e -> copy(view.getSelectionModel().getSelectedItems()));
        MenuItem copyAll = new MenuItem("Copy all");
        copyAll.setOnAction(e -> copy(lines));
        MenuItem clear = new MenuItem("Clear");
        clear.setOnAction(e -> lines.clear());
        view.setContextMenu(new ContextMenu(copy, copyAll, clear));
        KeyCombination copyKey = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
        view.setOnKeyPressed(e -> {
            if (copyKey.match(e)) {
                copy(view.getSelectionModel().getSelectedItems());
                e.consume();
            }
        });
    }

    public ListView<String> view() {
        return view;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public void append(RegistryBatch batch) {
        List<String> add = new ArrayList<>();
        if (batch.droppedEvents() > 0) {
            add.add(LogLines.note(Instant.now(), batch.droppedEvents() + " earlier changes in this burst not listed"));
        }
        for (RegistryEvent e : batch.events()) {
            LogLines.line(e).ifPresent(add::add);
        }
        addAll(add);
    }

    public void note(String text) {
        addAll(List.of(LogLines.note(Instant.now(), text)));
    }

    private void addAll(List<String> add) {
        if (add.isEmpty()) {
            return;
        }
        boolean atEnd = lines.isEmpty() || view.getSelectionModel().isEmpty();
        lines.addAll(add);
        if (lines.size() > LIMIT) {
            lines.remove(0, lines.size() - LIMIT);
        }
        if (atEnd) {
            view.scrollTo(lines.size() - 1);
        }
    }

    private static void copy(List<String> selected) {
        if (selected.isEmpty()) {
            return;
        }
        ClipboardContent c = new ClipboardContent();
        c.putString(String.join("\n", selected) + "\n");
        Clipboard.getSystemClipboard().setContent(c);
    }
}
