package io.nexusmonitor.gui;

import io.nexusmonitor.control.EngineStatus;
import io.nexusmonitor.gui.actions.BackendActions;
import io.nexusmonitor.gui.model.BackendTableModel;
import io.nexusmonitor.gui.model.RegistryBatcher;
import io.nexusmonitor.gui.notify.Notice;
import io.nexusmonitor.gui.notify.NoticePolicy;
import io.nexusmonitor.gui.notify.NoticeSink;
import io.nexusmonitor.gui.tray.TrayController;
import io.nexusmonitor.gui.window.MainWindow;
import io.nexusmonitor.gui.window.WindowStateStore;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.Registry;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import javafx.application.Platform;
import javafx.concurrent.Service;
import javafx.concurrent.Task;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop application's lifecycle on the FX thread: shows the window at once, subscribes it to
 * the registry through the {@link RegistryBatcher}, starts the engine on a background
 * {@link Service}, runs the one 1-second {@link SecondTicker} (countdowns, counters, due notices,
 * status bar), installs the tray icon when there is a tray, and quits cleanly.
 */
public final class DesktopApp {
    private static final Logger log = LoggerFactory.getLogger(DesktopApp.class);
    static final String STYLESHEET = "/io/nexusmonitor/gui/app.css";

    private final DesktopSession session;
    private final Executor worker;
    private final IntConsumer onExit;
    private final Registry registry;
    private final NoticePolicy noticePolicy;
    private final WindowStateStore stateStore;
    private final AtomicBoolean statusPollPending = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private MainWindow window;
    private Stage stage;
    private SecondTicker ticker;
    /** The telemetry the window draws; null when the control measures nothing. */
    private io.nexusmonitor.gui.stats.TelemetryFeed feed;
    private AutoCloseable subscription;
    private TrayController tray;
    private volatile int exitCode;
    private volatile boolean engineStarted;
    private boolean quitting;

    /**
     * @param worker runs everything that must not run on the FX thread (control calls, tray setup)
     * @param onExit called once, off the FX thread, after the engine has stopped, with the exit code
     */
    public DesktopApp(DesktopSession session, Executor worker, IntConsumer onExit) {
        this.session = session;
        this.worker = worker;
        this.onExit = onExit;
        this.registry = session.control().registry();
        this.noticePolicy = new NoticePolicy(session.notifications());
        this.stateStore = new WindowStateStore(session.stateDir());
    }

    /** Builds and shows the window on the given stage, then starts the engine. FX thread. */
    public void start(Stage primary) {
        this.stage = primary;
        BackendTableModel model = new BackendTableModel(registry, session.gracePeriod());
        BackendActions actions = new BackendActions(session.control(), worker, msg -> window.showProblem(msg));
        window = new MainWindow(model, actions);
        if (session.control().telemetry() != null) {
            feed = new io.nexusmonitor.gui.stats.TelemetryFeed(session.control().telemetry(), registry, worker, Platform::runLater);
            window.showTelemetry(feed);
            feed.watchDegraded(new io.nexusmonitor.stats.DegradedWatch(session.notifications().degradedErrorPercent(),
                    session.notifications().degradedTtftP95Seconds()), d -> noticePolicy.offerDegraded(d.backendUrl(),
                    d.name(), d.why(), registry.clock().instant()));
        }
        Scene scene = new Scene(window.root());
        scene.getStylesheets().add(Objects.requireNonNull(DesktopApp.class.getResource(STYLESHEET)).toExternalForm());
        stage.setScene(scene);
        stage.setTitle("Nexus Monitor");
        for (int size : new int[] {16, 24, 32, 48, 64, 128, 256}) {
            var icon = DesktopApp.class.getResource("/icons/nexus-monitor-" + size + ".png");
            if (icon != null) { // the packaged app's icon set (jpackage/make-icons.sh)
                stage.getIcons().add(new Image(icon.toExternalForm()));
            }
        }
        stage.setMinWidth(640);
        stage.setMinHeight(400);
        window.restore(stateStore.load(), stage);
        stage.setOnCloseRequest(e -> {
            e.consume();
            if (tray != null) {
                saveWindowState();
                stage.hide();
            } else {
                quit();
            }
        });

        RegistryBatcher batcher = new RegistryBatcher(Platform::runLater, window::apply);
        subscription = registry.subscribe(e -> {
            batcher.onEvent(e);
            if (engineStarted) { // start-up (config backends, restored pins) is not news
                noticePolicy.offer(e);
            }
        });
        batcher.seed(registry.all());

        ticker = new SecondTicker(this::tick);
        stage.show();
        window.tick();
        startEngine();
        worker.execute(this::installTray);
    }

    public MainWindow window() {
        return window;
    }

    private void startEngine() {
        Service<Void> engine = new Service<>() {
            @Override
            protected Task<Void> createTask() {
                return new Task<>() {
                    @Override
                    protected Void call() {
                        session.start().run();
                        return null;
                    }
                };
            }
        };
        window.statusBar().showEngine("starting…", false);
        engine.setOnSucceeded(e -> {
            engineStarted = true;
            window.statusBar().showEngine("", false);
            pollStatus();
        });
        engine.setOnFailed(e -> {
            Throwable t = engine.getException();
            log.error("the engine did not start", t);
            exitCode = 1;
            window.statusBar().showEngine("not running: " + t.getMessage(), true);
            window.showProblem("The engine did not start: " + t.getMessage());
        });
        engine.start();
    }

    private void installTray() {
        TrayController.Callbacks callbacks = new TrayController.Callbacks(
                () -> Platform.runLater(this::toggleVisible),
                paused -> Platform.runLater(() -> window.pauseDiscoveryButton().setSelected(paused)),
                () -> Platform.runLater(this::quit));
        TrayController t = TrayController.install(callbacks).orElse(null);
        Platform.runLater(() -> {
            tray = t;
            if (t != null) {
                window.pauseDiscoveryButton().selectedProperty().addListener((o, was, paused) -> t.showPaused(paused));
                window.log().note("tray icon installed: closing the window hides it to the tray");
            } else {
                window.log().note("no system tray: notices show in this window, and closing it quits");
            }
        });
    }

    private void toggleVisible() {
        if (stage.isShowing()) {
            saveWindowState();
            stage.hide();
        } else {
            stage.show();
            stage.toFront();
        }
    }

    /** The one-second tick: rows, due notices, tray tooltip, status bar. */
    private void tick() {
        window.tick();
        if (feed != null) {
            feed.tick();
        }
        noticePolicy.due(registry.clock().instant()).ifPresent(this::notify);
        if (tray != null) {
            tray.showCounts(window.model().count(BackendStatus.HEALTHY), window.model().rows().size());
        }
        pollStatus();
    }

    private void notify(Notice n) {
        NoticeSink sink = tray != null ? tray : window.notices();
        sink.show(n);
        window.log().note("notice: " + n.title() + (n.body().isEmpty() ? "" : " — " + n.body().replace("\n", "; ")));
    }

    /** Asks the control for its status off the FX thread; at most one request in flight. */
    private void pollStatus() {
        if (!statusPollPending.compareAndSet(false, true)) {
            return;
        }
        worker.execute(() -> {
            try {
                EngineStatus s = session.control().status();
                Platform.runLater(() -> showStatus(s));
            } catch (RuntimeException e) {
                log.debug("status not available", e);
            } finally {
                statusPollPending.set(false);
            }
        });
    }

    private void showStatus(EngineStatus s) {
        window.statusBar().show(s);
        if (tray != null) {
            tray.showQueued(s.queued());
        }
        // nothing to pause when discovery is off or could not start; the button itself holds the
        // paused state (the engine starts unpaused), so a late status answer never flips it back
        boolean available = "running".equals(s.discovery()) || "paused".equals(s.discovery());
        window.pauseDiscoveryButton().setDisable(!available);
    }

    /** Quits: saves the layout, hides everything, stops the engine off the FX thread, then exits. */
    public void quit() {
        if (quitting) {
            return;
        }
        quitting = true;
        saveWindowState();
        ticker.close();
        closeSubscription();
        stage.hide();
        TrayController t = tray;
        worker.execute(() -> {
            if (t != null) {
                t.remove();
            }
            stopEngine();
            onExit.accept(exitCode);
        });
    }

    /** Stops the engine once, whoever asks first (quit, or the JVM shutting down on a signal). */
    public void stopEngine() {
        if (stopped.compareAndSet(false, true)) {
            try {
                session.stop().run();
            } catch (RuntimeException e) {
                log.warn("stopping the engine failed", e);
            }
        }
    }

    private void saveWindowState() {
        stateStore.save(window.capture(stage));
    }

    private void closeSubscription() {
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("unsubscribe failed", e);
        }
    }
}
