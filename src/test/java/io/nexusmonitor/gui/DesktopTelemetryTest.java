package io.nexusmonitor.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.control.EngineStatus;
import io.nexusmonitor.gui.stats.TelemetryViews;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.stats.Heartbeats;
import io.nexusmonitor.stats.Outcome;
import io.nexusmonitor.stats.RequestRecord;
import io.nexusmonitor.stats.Telemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The window draws what the telemetry holds: heartbeat strips and sparklines, the Models view, the charts. */
@ExtendWith(ApplicationExtension.class)
class DesktopTelemetryTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path stateDir;

    private final FakeControl fake = new FakeControl();
    private final Telemetry telemetry = new Telemetry();
    private DesktopApp app;
    private Backend alpha;
    private Backend beta;

    /** The fake control, with telemetry. */
    private final class Measured implements BackendControl {
        @Override
        public Registry registry() {
            return fake.registry();
        }

        @Override
        public Backend addManual(
                String url, String name, BackendType type, Integer priority, BackendSettings settings) {
            return fake.addManual(url, name, type, priority, settings);
        }

        @Override
        public Backend remove(String id) {
            return fake.remove(id);
        }

        @Override
        public Backend pin(String id) {
            return fake.pin(id);
        }

        @Override
        public Backend unpin(String id) {
            return fake.unpin(id);
        }

        @Override
        public void checkNow(String id) {
            fake.checkNow(id);
        }

        @Override
        public void checkAll() {
            fake.checkAll();
        }

        @Override
        public void setDiscoveryPaused(boolean paused) {
            fake.setDiscoveryPaused(paused);
        }

        @Override
        public EngineStatus status() {
            return fake.status();
        }

        @Override
        public Telemetry telemetry() {
            return telemetry;
        }
    }

    @Start
    void start(Stage stage) {
        alpha = fake.discover("alpha", "http://127.0.0.1:11434");
        beta = fake.discover("beta", "http://127.0.0.1:11435");
        fake.registry()
                .update(
                        alpha.id(),
                        "probe",
                        b -> b.withStatus(BackendStatus.HEALTHY)
                                .withModels(List.of(
                                        new ModelInfo("llama3:70b", null, true, List.of()), ModelInfo.of("qwen2:7b"))));
        fake.registry()
                .update(
                        beta.id(),
                        "probe",
                        b -> b.withStatus(BackendStatus.HEALTHY)
                                .withModels(List.of(new ModelInfo("llama3:70b", null, false, List.of()))));
        long now = System.currentTimeMillis();
        for (int i = 0; i < 40; i++) {
            Heartbeats.Kind k = i == 35 || i == 38 ? Heartbeats.Kind.FAILED : Heartbeats.Kind.OK;
            telemetry
                    .heartbeats()
                    .record(
                            alpha.id(),
                            new Heartbeats.Beat(
                                    now - (40 - i) * 5000L, k, k == Heartbeats.Kind.OK ? 3 + i % 4 : Double.NaN));
        }
        for (int i = 0; i < 5; i++) {
            telemetry.listener().finished(record(alpha, 120, 2_000, 201));
            telemetry.listener().finished(record(beta, 900, 4_000, 101));
        }
        DesktopSession session = new DesktopSession(
                new Measured(),
                () -> {},
                () -> {},
                NexusConfig.Notifications.defaults(),
                Duration.ofSeconds(60),
                stateDir);
        app = new DesktopApp(session, Executors.newSingleThreadExecutor(), code -> {});
        app.start(stage);
    }

    private static RequestRecord record(Backend b, long ttftMs, long totalMs, int tokens) {
        return new RequestRecord(
                b.id(),
                b.url(),
                b.name(),
                "llama3:70b",
                System.currentTimeMillis(),
                ttftMs * 1_000_000,
                ttftMs * 1_000_000,
                totalMs * 1_000_000,
                20,
                tokens,
                false,
                Outcome.OK);
    }

    @AfterEach
    void quit(FxRobot robot) {
        robot.interact(app::quit);
    }

    private static <T> T onFx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, WaitForAsyncUtils.asyncFx(read));
        } catch (TimeoutException e) {
            throw new AssertionError("the FX thread did not answer", e);
        }
    }

    private Set<String> activityTexts(FxRobot robot) {
        return onFx(() -> robot.lookup(".activity-cell").queryAll().stream()
                .map(Node::getAccessibleText)
                .filter(t -> t != null)
                .collect(Collectors.toSet()));
    }

    @Test
    void eachRowShowsItsLastThirtyChecksAndItsSpeed(FxRobot robot) {
        await().atMost(WAIT).until(() -> activityTexts(robot).stream().anyMatch(t -> t.startsWith("last 30 checks")));
        assertThat(activityTexts(robot))
                .anySatisfy(t -> assertThat(t)
                        .startsWith("last 30 checks: 28 ok, 0 loading, 2 failed")
                        .contains("tokens/s"));
        assertThat(activityTexts(robot))
                .anySatisfy(t -> assertThat(t).startsWith("no checks yet").contains("tokens/s"));
    }

    @Test
    void theModelsViewSaysWhereEachModelIsAndWhichBoxIsFastest(FxRobot robot) {
        TabPane tabs = robot.lookup("#main-tabs").queryAs(TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(1));
        TableView<TelemetryViews.ModelRow> models =
                robot.lookup("#models-table").queryTableView();
        await().atMost(WAIT).until(() -> onFx(() -> models.getItems().size()) == 2);
        TelemetryViews.ModelRow llama = onFx(() -> models.getItems().get(0));
        assertThat(llama.model()).isEqualTo("llama3:70b");
        assertThat(llama.availableOn()).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(llama.loadedOn()).containsExactly("alpha");
        assertThat(llama.fastestBackend()).isEqualTo("alpha");
        assertThat(llama.fastestTtftMs()).isBetween(118.0, 122.0);
        assertThat(llama.requestsLastHour()).isEqualTo(10);
        assertThat(onFx(() -> models.getItems().get(1).model())).isEqualTo("qwen2:7b");
        // and the text a user reads
        assertThat(onFx(() -> models.getColumns().get(3).getCellData(0))).isEqualTo("alpha · 120 ms");
    }

    @Test
    void theDetailsPaneChartsTheSelectedBackend(FxRobot robot) {
        TableView<?> table = robot.lookup("#backend-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().select(0));
        await().atMost(WAIT)
                .until(() -> onFx(() -> {
                    LineChart<?, ?> ttft = robot.lookup("#ttft-chart").queryAs(LineChart.class);
                    return !ttft.getData().get(0).getData().isEmpty();
                }));
        LineChart<?, ?> probe = robot.lookup("#probe-chart").queryAs(LineChart.class);
        String selected = onFx(() -> ((io.nexusmonitor.gui.model.BackendRow)
                        table.getSelectionModel().getSelectedItem())
                .backend()
                .name());
        int probes = onFx(() -> probe.getData().get(0).getData().size());
        assertThat(probes).isEqualTo(selected.equals("alpha") ? 38 : 0); // its 40 checks less the 2 failed ones
        robot.clickOn("#charts-24h");
        await().atMost(WAIT)
                .until(() -> onFx(() -> robot.lookup("#ttft-chart")
                                .queryAs(LineChart.class)
                                .getXAxis()
                                .getLabel())
                        .equals("hours ago"));
    }

    /** Each row's strip text, by backend name (the cell's row). */
    private java.util.Map<String, String> activityByName(FxRobot robot) {
        return onFx(() -> {
            java.util.Map<String, String> m = new java.util.HashMap<>();
            for (Node n : robot.lookup(".activity-cell").queryAll()) {
                var cell = (javafx.scene.control.TableCell<?, ?>) n;
                if (cell.getTableRow() != null
                        && cell.getTableRow().getItem() instanceof io.nexusmonitor.gui.model.BackendRow r
                        && n.getAccessibleText() != null) {
                    m.put(r.backend().name(), n.getAccessibleText());
                }
            }
            return m;
        });
    }

    @Test
    void aCheckOfOneBackendRedrawsOnlyItsOwnStrip(FxRobot robot) {
        await().atMost(WAIT)
                .until(() -> String.valueOf(activityByName(robot).get("alpha")).startsWith("last 30 checks"));
        // the table's first layouts may still make new cells (and draw alpha again, same text, a new
        // String): take alpha's text once the same object has been seen on five polls in a row
        String[] seen = {null};
        int[] same = {0};
        await().atMost(WAIT).pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
            String now = activityByName(robot).get("alpha");
            same[0] = now == seen[0] ? same[0] + 1 : 0;
            seen[0] = now;
            return same[0] >= 4;
        });
        String alphaBefore = seen[0];
        TableView<TelemetryViews.ModelRow> models =
                robot.lookup("#models-table").queryTableView();
        await().atMost(WAIT).until(() -> onFx(() -> models.getItems().size()) == 2);
        TelemetryViews.ModelRow modelRowBefore = onFx(() -> models.getItems().get(0));

        telemetry
                .heartbeats()
                .record(beta.id(), new Heartbeats.Beat(System.currentTimeMillis(), Heartbeats.Kind.OK, 4));
        await().atMost(WAIT).until(() -> activityByName(robot).get("beta").startsWith("last 1 checks"));

        // the same String object: alpha's canvas was not drawn again (nor its text set again)
        assertThat(activityByName(robot).get("alpha")).isSameAs(alphaBefore);
        // and the Models view kept its rows: the same figures are not set again
        assertThat(onFx(() -> models.getItems().get(0))).isSameAs(modelRowBefore);
    }
}
