package io.nexusmonitor.gui.table;

import io.nexusmonitor.gui.model.BackendRow;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import javafx.geometry.Pos;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;

/** The table's custom cells, one small class each; colours and sizes come from app.css. */
final class BackendCells {
    private BackendCells() {
    }

    /** Status glyph and word, coloured by a {@code status-*} style class. */
    static final class StatusCell extends TableCell<BackendRow, BackendStatus> {
        private final FontIcon icon = new FontIcon();

        StatusCell() {
            getStyleClass().add("status-cell");
            setContentDisplay(ContentDisplay.LEFT);
            setGraphicTextGap(6);
        }

        @Override
        protected void updateItem(BackendStatus s, boolean empty) {
            super.updateItem(s, empty);
            getStyleClass().removeIf(c -> c.startsWith("status-") && !c.equals("status-cell"));
            if (empty || s == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            icon.setIconCode(StatusIcons.icon(s));
            getStyleClass().add(StatusIcons.styleClass(s));
            setText(s.wire());
            setGraphic(icon);
        }
    }

    /** Source word with a pin glyph for pinned backends. */
    static final class SourceCell extends TableCell<BackendRow, Backend> {
        private final FontIcon pin = new FontIcon(MaterialDesignP.PIN);

        SourceCell() {
            pin.getStyleClass().add("pin-icon");
            setContentDisplay(ContentDisplay.RIGHT);
            setGraphicTextGap(4);
        }

        @Override
        protected void updateItem(Backend b, boolean empty) {
            super.updateItem(b, empty);
            if (empty || b == null) {
                setText(null);
                setGraphic(null);
                setTooltip(null);
                return;
            }
            setText(b.source().wire());
            setGraphic(b.pinned() ? pin : null);
            String why = b.source() == BackendSource.STATIC ? "from " + b.configLocation() + ", always pinned"
                    : b.pinned() ? "pinned: kept even when no longer announced" : null;
            setTooltip(why == null ? null : new Tooltip(why));
        }
    }

    /** Model count with every model in the tooltip. */
    static final class ModelsCell extends TableCell<BackendRow, Backend> {
        private final Tooltip tooltip = new Tooltip();

        ModelsCell() {
            setAlignment(Pos.CENTER_RIGHT);
        }

        @Override
        protected void updateItem(Backend b, boolean empty) {
            super.updateItem(b, empty);
            if (empty || b == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            setText(Integer.toString(b.models().size()));
            tooltip.setText(Formats.modelList(b.models()));
            setTooltip(tooltip);
        }
    }

    /** "removed in 0:42" with a small bar showing how much of the grace period is left. */
    static final class GraceCell extends TableCell<BackendRow, BackendRow> {
        private final Label text = new Label();
        private final ProgressBar bar = new ProgressBar();
        private final HBox box = new HBox(6, bar, text);
        private BackendRow bound;

        GraceCell() {
            getStyleClass().add("grace-cell");
            bar.getStyleClass().add("grace-bar");
            text.setMinWidth(Region.USE_PREF_SIZE); // the bar gives way, the words do not
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(BackendRow row, boolean empty) {
            super.updateItem(row, empty);
            if (bound != null) {
                text.textProperty().unbind();
                bar.progressProperty().unbind();
                bound = null;
            }
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            bound = row;
            text.textProperty().bind(row.countdownProperty());
            bar.progressProperty().bind(row.graceLeftProperty());
            bar.visibleProperty().bind(row.countdownProperty().isNotEmpty());
            bar.managedProperty().bind(bar.visibleProperty());
            setGraphic(box);
        }
    }
}
