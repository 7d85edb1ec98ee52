package io.nexusmonitor.gui.table;

import io.nexusmonitor.gpu.GpuSummary;
import io.nexusmonitor.gui.model.BackendRow;
import io.nexusmonitor.gui.model.Formats;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import javafx.geometry.Pos;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import org.jspecify.annotations.Nullable;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;

/** The table's custom cells, one small class each; colours and sizes come from app.css. */
final class BackendCells {
    private BackendCells() {}

    /** Status glyph and word, coloured by a {@code status-*} style class. */
    static final class StatusCell extends TableCell<BackendRow, BackendStatus> {
        private final FontIcon icon = new FontIcon();
        private @Nullable BackendStatus shown;

        StatusCell() {
            getStyleClass().add("status-cell");
            setContentDisplay(ContentDisplay.LEFT);
            setGraphicTextGap(6);
        }

        @Override
        protected void updateItem(BackendStatus s, boolean empty) {
            super.updateItem(s, empty);
            BackendStatus now = empty ? null : s;
            if (now == shown) {
                return; // cells are re-fed after every batch: touching style classes would redo their CSS
            }
            if (shown != null) {
                getStyleClass().remove(StatusIcons.styleClass(shown));
            }
            shown = now;
            if (now == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            icon.setIconCode(StatusIcons.icon(now));
            getStyleClass().add(StatusIcons.styleClass(now));
            setText(now.wire());
            setGraphic(icon);
        }
    }

    /** Source word with a pin glyph for pinned backends. */
    static final class SourceCell extends TableCell<BackendRow, Backend> {
        private final FontIcon pin = new FontIcon(MaterialDesignP.PIN);
        private final Tooltip tooltip = new Tooltip();

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
            String why = b.source() == BackendSource.STATIC
                    ? "from " + b.configLocation() + ", always pinned"
                    : b.pinned() ? "pinned: kept even when no longer announced" : null;
            if (why == null) {
                setTooltip(null);
            } else {
                tooltip.setText(why);
                setTooltip(tooltip);
            }
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

    /**
     * "removed in 0:42" with a small bar showing how much of the grace period is left.
     *
     * <p>Both change every second, so both are unmanaged nodes of a fixed size in a fixed-size pane:
     * an unmanaged node is its own layout root, so a new countdown text lays out that label alone
     * instead of the whole table (which cost ~40 ms a tick with 1000 rows; see the GUI bench).
     */
    static final class GraceCell extends TableCell<BackendRow, BackendRow> {
        static final double BAR_WIDTH = 44;
        static final double BAR_HEIGHT = 10;
        static final double TEXT_WIDTH = 120;
        static final double HEIGHT = 18;

        private final Label text = new Label();
        private final ProgressBar bar = new ProgressBar();
        private final Pane box = new Pane(bar, text);
        private @Nullable BackendRow bound;

        GraceCell() {
            getStyleClass().add("grace-cell");
            bar.getStyleClass().add("grace-bar");
            for (Region r : new Region[] {bar, text}) {
                r.setManaged(false);
            }
            bar.resizeRelocate(0, (HEIGHT - BAR_HEIGHT) / 2, BAR_WIDTH, BAR_HEIGHT);
            text.resizeRelocate(BAR_WIDTH + 6, 0, TEXT_WIDTH, HEIGHT);
            box.setMinSize(BAR_WIDTH + 6 + TEXT_WIDTH, HEIGHT);
            box.setPrefSize(BAR_WIDTH + 6 + TEXT_WIDTH, HEIGHT);
            box.setMaxSize(BAR_WIDTH + 6 + TEXT_WIDTH, HEIGHT);
        }

        @Override
        protected void updateItem(BackendRow row, boolean empty) {
            super.updateItem(row, empty);
            if (bound != null) {
                text.textProperty().unbind();
                bar.progressProperty().unbind();
                bar.visibleProperty().unbind();
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
            setGraphic(box);
        }
    }

    /** {@code RTX 4090} and a bar of VRAM used (tooltip: MiB used of total); empty for a host that announces no GPU. */
    static final class GpuCell extends TableCell<BackendRow, Backend> {
        private final Label text = new Label();
        private final ProgressBar bar = new ProgressBar();
        private final Pane box = new Pane(bar, text);

        GpuCell() {
            getStyleClass().add("gpu-cell");
            bar.getStyleClass().add("vram-bar");
            for (Region r : new Region[] {bar, text}) {
                r.setManaged(false);
            }
            bar.resizeRelocate(
                    0, (GraceCell.HEIGHT - GraceCell.BAR_HEIGHT) / 2, GraceCell.BAR_WIDTH, GraceCell.BAR_HEIGHT);
            text.resizeRelocate(GraceCell.BAR_WIDTH + 6, 0, GraceCell.TEXT_WIDTH, GraceCell.HEIGHT);
            box.setPrefSize(GraceCell.BAR_WIDTH + 6 + GraceCell.TEXT_WIDTH, GraceCell.HEIGHT);
        }

        static @Nullable GpuSummary summary(@Nullable Backend b) {
            return b == null ? null : GpuSummary.of(b);
        }

        /** VRAM used over total, null when not announced: the column's sort key. */
        static @Nullable Double usedShare(@Nullable Backend b) {
            GpuSummary g = summary(b);
            return g == null ? null : g.usedFraction();
        }

        @Override
        protected void updateItem(Backend b, boolean empty) {
            super.updateItem(b, empty);
            GpuSummary g = empty ? null : summary(b);
            if (g == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            text.setText(g.count() > 1 ? g.count() + " × " + g.name() : g.name());
            Double used = g.usedFraction();
            bar.setProgress(used == null ? 0 : used);
            bar.setVisible(used != null);
            setTooltip(new Tooltip("VRAM " + (g.usedMb() == null ? "?" : g.usedMb()) + " of "
                    + (g.vramMb() == null ? "?" : g.vramMb()) + " MiB in use"));
            setGraphic(box);
        }
    }
}
