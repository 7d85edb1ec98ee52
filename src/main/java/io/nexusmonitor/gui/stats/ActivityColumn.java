package io.nexusmonitor.gui.stats;

import io.nexusmonitor.gui.model.BackendRow;
import io.nexusmonitor.stats.Heartbeats;
import javafx.beans.InvalidationListener;
import javafx.beans.WeakInvalidationListener;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;
import javafx.scene.paint.Color;
import org.jspecify.annotations.Nullable;

/**
 * The table's "Activity" column: per row a heartbeat strip of the last {@value TelemetryViews#STRIP}
 * health checks (green ok, amber loading, red failed, dark red timeout; height = probe latency
 * relative to the row's slowest) and a sparkline of tokens/s over the last
 * {@value TelemetryViews#SPARK_MINUTES} minutes. Each cell draws on one small canvas from the feed's
 * latest snapshot and redraws when a new snapshot arrives (only the cells on screen exist).
 */
public final class ActivityColumn {
    static final double STRIP_WIDTH = 30 * 3;
    static final double SPARK_WIDTH = 40;
    static final double HEIGHT = 16;

    private ActivityColumn() {}

    public static TableColumn<BackendRow, String> create(TelemetryFeed feed) {
        TableColumn<BackendRow, String> c = new TableColumn<>("Activity");
        c.setId("activity");
        c.setPrefWidth(STRIP_WIDTH + 4 + SPARK_WIDTH + 14);
        c.setMinWidth(
                STRIP_WIDTH + 4 + SPARK_WIDTH + 14); // the canvas is never cut (the newest minute is at its right)
        c.setSortable(false);
        c.setCellValueFactory(
                cd -> new ReadOnlyStringWrapper(cd.getValue().backend().id()));
        c.setCellFactory(col -> new Cell(feed));
        return c;
    }

    /** One row's strip and sparkline. */
    static final class Cell extends TableCell<BackendRow, String> {
        private final TelemetryFeed feed;
        private final Canvas canvas = new Canvas(STRIP_WIDTH + 4 + SPARK_WIDTH, HEIGHT);
        private final Tooltip tip = new Tooltip();
        private final InvalidationListener redraw = o -> draw();
        /** What the canvas shows now, and for which backend (null: nothing drawn yet). */
        private TelemetryViews.@Nullable RowActivity drawn;

        private @Nullable String drawnFor;

        Cell(TelemetryFeed feed) {
            this.feed = feed;
            getStyleClass().add("activity-cell");
            feed.snapshotProperty().addListener(new WeakInvalidationListener(redraw));
        }

        @Override
        protected void updateItem(String id, boolean empty) {
            super.updateItem(id, empty);
            if (empty || id == null) {
                setGraphic(null);
                setTooltip(null);
                setAccessibleText(null);
                return;
            }
            setGraphic(canvas);
            setTooltip(tip);
            draw();
        }

        private void draw() {
            String id = getItem();
            if (id == null || isEmpty()) {
                return;
            }
            TelemetryViews.RowActivity a = feed.snapshotProperty().get().row(id);
            if (id.equals(drawnFor) && a.equals(drawn)) {
                // a new snapshot comes with every health check anywhere (3 a second at 100 backends);
                // redrawing unchanged strips repainted the whole table each second (README, "Desktop window")
                return;
            }
            drawn = a;
            drawnFor = id;
            GraphicsContext g = canvas.getGraphicsContext2D();
            g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
            double slowest = 1;
            for (Heartbeats.Beat b : a.beats()) {
                if (!Double.isNaN(b.latencyMs())) {
                    slowest = Math.max(slowest, b.latencyMs());
                }
            }
            double x = STRIP_WIDTH - a.beats().size() * 3; // newest at the right
            for (Heartbeats.Beat b : a.beats()) {
                g.setFill(color(b.kind()));
                double h = Double.isNaN(b.latencyMs())
                        ? HEIGHT
                        : Math.max(5, HEIGHT * (0.35 + 0.65 * b.latencyMs() / slowest));
                g.fillRect(x, HEIGHT - h, 2, h);
                x += 3;
            }
            double[] v = a.tokensPerSecond();
            double max = 0;
            for (double d : v) {
                if (!Double.isNaN(d)) {
                    max = Math.max(max, d);
                }
            }
            double left = STRIP_WIDTH + 4;
            g.setStroke(Color.web("#808080", 0.5));
            g.strokeLine(left, HEIGHT - 0.5, left + SPARK_WIDTH, HEIGHT - 0.5);
            if (max > 0 && v.length > 1) {
                g.setStroke(Color.web("#3b82f6"));
                g.setLineWidth(1.2);
                double step = SPARK_WIDTH / (v.length - 1);
                boolean drawing = false;
                g.beginPath();
                for (int i = 0; i < v.length; i++) {
                    double y = Double.isNaN(v[i]) ? HEIGHT - 1 : HEIGHT - 1 - (HEIGHT - 3) * v[i] / max;
                    if (!drawing) {
                        g.moveTo(left + i * step, y);
                        drawing = true;
                    } else {
                        g.lineTo(left + i * step, y);
                    }
                }
                g.stroke();
            }
            String words = a.describe();
            tip.setText(words);
            setAccessibleText(words);
        }

        static Color color(Heartbeats.Kind k) {
            return switch (k) {
                case OK -> Color.web("#2ea043");
                case LOADING -> Color.web("#d29922");
                case FAILED -> Color.web("#e5534b");
                case TIMEOUT -> Color.web("#8b1a1a");
            };
        }
    }
}
