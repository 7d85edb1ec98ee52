package io.nexusmonitor.gui.details;

import io.nexusmonitor.gui.stats.TelemetryFeed;
import io.nexusmonitor.gui.stats.TelemetryViews;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.stats.Heartbeats;
import io.nexusmonitor.stats.RequestStats;
import io.nexusmonitor.stats.Summary;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/**
 * The details pane's charts for the selected backend, over the last hour (a point per minute) or
 * day (a point per hour): time to first token p50 and p95 (ms), tokens/s, requests and errors,
 * and the probe latency of its last {@value Heartbeats#KEEP} health checks (ms). The figures come
 * from the feed's snapshot (computed off the FX thread); the charts are not animated.
 */
public final class PerformanceCharts {
    private final TelemetryFeed feed;
    private final ToggleButton hour = new ToggleButton("1 h");
    private final ToggleButton day = new ToggleButton("24 h");
    private final NumberAxis[] xAxes = new NumberAxis[3];
    private NumberAxis countAxis;
    private final XYChart.Series<Number, Number> ttftP50 = series("p50");
    private final XYChart.Series<Number, Number> ttftP95 = series("p95");
    private final XYChart.Series<Number, Number> tokens = series("tokens/s");
    private final XYChart.Series<Number, Number> requests = series("requests");
    private final XYChart.Series<Number, Number> errors = series("errors");
    private final XYChart.Series<Number, Number> probes = series("probe");
    private final Label empty = new Label("No requests through the gateway to this backend in this period.");
    private final VBox view;
    private @Nullable Backend backend;

    public PerformanceCharts(TelemetryFeed feed) {
        this.feed = feed;
        ToggleGroup g = new ToggleGroup();
        hour.setToggleGroup(g);
        day.setToggleGroup(g);
        hour.setId("charts-1h");
        day.setId("charts-24h");
        hour.setSelected(true);
        g.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                was.setSelected(true); // one of the two stays chosen
            } else {
                feed.select(backend, day.isSelected());
            }
        });
        empty.getStyleClass().add("hint");
        LineChart<Number, Number> ttft = chart("ttft-chart", "Time to first token", "ms", 0, ttftP50, ttftP95);
        LineChart<Number, Number> speed = chart("tps-chart", "Generation speed", "tokens/s", 1, tokens);
        LineChart<Number, Number> count =
                chart("requests-chart", "Requests and errors", "per minute", 2, requests, errors);
        countAxis = (NumberAxis) count.getYAxis();
        NumberAxis probeX = new NumberAxis();
        probeX.setLabel("minutes ago");
        probeX.setForceZeroInRange(false);
        LineChart<Number, Number> probe = new LineChart<>(probeX, yAxis("ms"));
        style(probe, "probe-chart", "Probe latency (last " + Heartbeats.KEEP + " checks)");
        probe.getData().add(probes);
        view = new VBox(6, new HBox(4, hour, day), empty, ttft, speed, count, probe);
        view.setId("performance");
        feed.snapshotProperty().addListener((o, was, s) -> show(s.charts()));
    }

    public Node view() {
        return view;
    }

    /** The backend the charts are for (the details pane's). */
    public void setBackend(@Nullable Backend b) {
        backend = b;
        feed.select(b, day.isSelected());
        TelemetryViews.Charts c = feed.snapshotProperty().get().charts();
        show(c != null && b != null && c.backendId().equals(b.id()) ? c : null);
    }

    private void show(TelemetryViews.@Nullable Charts c) {
        if (c == null || backend == null || !c.backendId().equals(backend.id())) {
            for (XYChart.Series<Number, Number> s : List.of(ttftP50, ttftP95, tokens, requests, errors, probes)) {
                s.getData().clear();
            }
            empty.setVisible(true);
            empty.setManaged(true);
            return;
        }
        String unit = c.hourly() ? "hours ago" : "minutes ago";
        countAxis.setLabel(c.hourly() ? "per hour" : "per minute");
        double span = c.hourly() ? 24 : 60;
        for (NumberAxis x : xAxes) {
            x.setLabel(unit);
            x.setLowerBound(-span);
            x.setTickUnit(c.hourly() ? 4 : 10);
        }
        long size = c.hourly() ? 3_600_000L : 60_000L;
        List<XYChart.Data<Number, Number>> p50 = new ArrayList<>();
        List<XYChart.Data<Number, Number>> p95 = new ArrayList<>();
        List<XYChart.Data<Number, Number>> tps = new ArrayList<>();
        List<XYChart.Data<Number, Number>> req = new ArrayList<>();
        List<XYChart.Data<Number, Number>> err = new ArrayList<>();
        boolean any = false;
        List<RequestStats.Point> points = c.points();
        for (int i = 0; i < points.size(); i++) {
            double ago = -(points.size() - 1 - i)
                    - (double) ((c.nowMillis() - points.get(points.size() - 1).startMillis()) % size) / size;
            Summary s = points.get(i).summary();
            any |= s.requests() > 0;
            req.add(new XYChart.Data<>(ago, s.requests()));
            err.add(new XYChart.Data<>(ago, s.errors()));
            if (!Double.isNaN(s.ttftP50())) {
                p50.add(new XYChart.Data<>(ago, s.ttftP50()));
                p95.add(new XYChart.Data<>(ago, s.ttftP95()));
            }
            if (!Double.isNaN(s.tokensPerSecond())) {
                tps.add(new XYChart.Data<>(ago, s.tokensPerSecond()));
            }
        }
        ttftP50.getData().setAll(p50);
        ttftP95.getData().setAll(p95);
        tokens.getData().setAll(tps);
        requests.getData().setAll(req);
        errors.getData().setAll(err);
        List<XYChart.Data<Number, Number>> pr = new ArrayList<>();
        for (Heartbeats.Beat b : c.probes()) {
            if (!Double.isNaN(b.latencyMs())) {
                pr.add(new XYChart.Data<>((b.atMillis() - c.nowMillis()) / 60_000.0, b.latencyMs()));
            }
        }
        probes.getData().setAll(pr);
        empty.setVisible(!any);
        empty.setManaged(!any);
    }

    private LineChart<Number, Number> chart(
            String id, String title, String unit, int axis, XYChart.Series<Number, Number>... data) {
        NumberAxis x = new NumberAxis(-60, 0, 10);
        x.setAutoRanging(false);
        x.setLabel("minutes ago");
        x.setUpperBound(0);
        xAxes[axis] = x;
        LineChart<Number, Number> c = new LineChart<>(x, yAxis(unit));
        style(c, id, title);
        c.getData().addAll(data);
        return c;
    }

    private static NumberAxis yAxis(String unit) {
        NumberAxis y = new NumberAxis();
        y.setLabel(unit);
        y.setForceZeroInRange(true);
        return y;
    }

    private static void style(LineChart<Number, Number> c, String id, String title) {
        c.setId(id);
        c.setTitle(title);
        c.setAnimated(false);
        c.setCreateSymbols(false);
        c.setLegendVisible(true);
        c.setPrefHeight(190);
        c.setMinHeight(170);
        c.getStyleClass().add("performance-chart");
    }

    private static XYChart.Series<Number, Number> series(String name) {
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        s.setName(name);
        return s;
    }
}
