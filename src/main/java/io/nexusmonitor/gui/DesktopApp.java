package io.nexusmonitor.gui;

import io.nexusmonitor.control.EngineStatus;
import io.nexusmonitor.gui.actions.BackendActions;
import io.nexusmonitor.gui.desktop.Autostart;
import io.nexusmonitor.gui.desktop.BusNotices;
import io.nexusmonitor.gui.desktop.DesktopBus;
import io.nexusmonitor.gui.desktop.DesktopShell;
import io.nexusmonitor.gui.desktop.PortalAppearance;
import io.nexusmonitor.gui.desktop.Tray;
import io.nexusmonitor.gui.desktop.TrayState;
import io.nexusmonitor.gui.model.BackendTableModel;
import io.nexusmonitor.gui.model.RegistryBatcher;
import io.nexusmonitor.gui.notify.Notice;
import io.nexusmonitor.gui.notify.NoticePolicy;
import io.nexusmonitor.gui.notify.NoticeSink;
import io.nexusmonitor.gui.theme.DesktopPreference;
import io.nexusmonitor.gui.theme.Themes;
import io.nexusmonitor.gui.tray.TrayController;
import io.nexusmonitor.gui.window.MainWindow;
import io.nexusmonitor.gui.window.WindowStateStore;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.List;
import java.util.Optional;
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
 * status bar), puts the tray icon and notices on the desktop ({@link DesktopShell}: StatusNotifierItem
 * and D-Bus notices, else AWT's tray, else the in-window banner), and quits cleanly.
 */
public final class DesktopApp {
    private static final Logger log = LoggerFactory.getLogger(DesktopApp.class);

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
    private DesktopShell shell;
    private BackendActions actions;
    private int queued;
    /** The tray's speed and queue line ({@code Telemetry.trayText}), read with the status each second off the FX thread. */
    private String trayActivity = "";
    /** A backend was removed since the window was last shown: the tray icon asks for attention. */
    private volatile boolean lostSinceShown;
    /** The desktop's light/dark preference, as last read ({@link #readDesktopTheme}); FX thread. */
    private DesktopPreference.Reading desktopTheme = DesktopPreference.Reading.NONE;

    private volatile int exitCode;
    private volatile boolean engineStarted;
    private boolean quitting;

    /**
     * @param worker runs everything that must not run on the FX thread (control calls, tray setup)
     * @param onExit called once, off the FX thread, after the engine has stopped, with the exit code
     */
    @SuppressWarnings(
            "NullAway.Init") // window, stage, ticker, subscription: set by start(Stage), the FX lifecycle's first call
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
        io.nexusmonitor.gui.desktop.WindowClass.apply(); // WM_CLASS nexus-monitor, as the .desktop's StartupWMClass
        BackendTableModel model = new BackendTableModel(registry, session.gracePeriod());
        actions = new BackendActions(session.control(), worker, msg -> window.showProblem(msg));
        window = new MainWindow(model, actions);
        if (session.control().telemetry() != null) {
            feed = new io.nexusmonitor.gui.stats.TelemetryFeed(
                    session.control().telemetry(), registry, worker, Platform::runLater);
            window.showTelemetry(feed);
            feed.watchDegraded(
                    new io.nexusmonitor.stats.DegradedWatch(
                            session.notifications().degradedErrorPercent(),
                            session.notifications().degradedTtftP95Seconds()),
                    d -> noticePolicy.offerDegraded(
                            d.backendUrl(), d.name(), d.why(), registry.clock().instant()));
        }
        Scene scene = new Scene(window.root());
        Themes.style(window.root());
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
        applyTheme();
        window.themeChoiceProperty().addListener((o, was, now) -> {
            applyTheme();
            saveWindowState(); // remembered at once, not only on quit
        });
        stage.setOnCloseRequest(e -> {
            e.consume();
            if (shell != null && shell.route().closeHides()) {
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
                if (e.kind() == RegistryEvent.Kind.BACKEND_REMOVED) {
                    lostSinceShown = true;
                }
            }
        });
        batcher.seed(registry.all());

        ticker = new SecondTicker(this::tick);
        stage.show();
        window.tick();
        startEngine();
        worker.execute(this::installTray);
        worker.execute(this::readAutostart);
    }

    public MainWindow window() {
        return window;
    }

    /** How the tray and notices reach the desktop; empty until chosen (just after start). FX thread. */
    public Optional<io.nexusmonitor.gui.desktop.DesktopRoute> desktopRoute() {
        return Optional.ofNullable(shell).map(DesktopShell::route);
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

    /** Off the FX thread: connects to the session bus (with a timeout) and picks the tray and notice sink. */
    private void installTray() {
        Tray.Callbacks callbacks = new Tray.Callbacks(
                () -> Platform.runLater(this::toggleVisible),
                paused -> Platform.runLater(() -> window.pauseDiscoveryButton().setSelected(paused)),
                () -> Platform.runLater(this::quit),
                id -> Platform.runLater(() -> registry.get(id)
                        .ifPresentOrElse(
                                actions::wake,
                                () -> window.showProblem("That backend is gone; there is nothing to wake."))));
        BusNotices.Actions noticeActions = new BusNotices.Actions() {
            @Override
            public void show() {
                Platform.runLater(DesktopApp.this::showWindow);
            }

            @Override
            public void pin(String backendId) {
                Platform.runLater(() -> registry.get(backendId)
                        .ifPresentOrElse(
                                actions::pin,
                                () -> window.showProblem("That backend is gone; there is nothing to pin.")));
            }
        };
        Optional<DesktopBus> bus = DesktopBus.connectSession();
        readDesktopTheme(bus);
        DesktopShell s = DesktopShell.open(
                bus,
                TrayState.INITIAL,
                callbacks,
                noticeActions,
                n -> Platform.runLater(() -> window.notices().show(n)),
                () -> TrayController.install(callbacks));
        Platform.runLater(() -> {
            if (quitting) {
                worker.execute(s::close);
                return;
            }
            shell = s;
            s.tray().ifPresent(t -> {
                t.update(trayState());
                window.pauseDiscoveryButton().selectedProperty().addListener((o, was, paused) -> t.update(trayState()));
            });
            window.log().note(s.route().describe());
        });
    }

    /**
     * Off the FX thread: the desktop's light/dark preference ({@link DesktopPreference}: GTK_THEME,
     * the XDG portal, KDE, GNOME), then the portal's changes as they come.
     */
    private void readDesktopTheme(Optional<DesktopBus> bus) {
        DesktopPreference.Reading r =
                DesktopPreference.read(DesktopPreference.system(() -> bus.flatMap(PortalAppearance::read)));
        Platform.runLater(() -> {
            desktopTheme = r;
            applyTheme();
            io.nexusmonitor.gui.theme.Appearance a = r.appearance();
            if (a != null) {
                window.log()
                        .note("desktop prefers " + a.name().toLowerCase(java.util.Locale.ROOT) + " (" + r.source()
                                + ")");
            }
        });
        bus.ifPresent(b -> PortalAppearance.follow(
                b,
                a -> Platform.runLater(() -> {
                    desktopTheme = new DesktopPreference.Reading(a.orElse(null), "the desktop portal's color-scheme");
                    applyTheme();
                })));
    }

    /** Shows the theme the View menu's choice and the desktop's preference call for. FX thread. */
    private void applyTheme() {
        Themes.apply(window.themeChoiceProperty().get().resolve(desktopTheme.appearance()));
    }

    /** Off the FX thread: whether the autostart entry is there, then the toggle writes or removes it. */
    private void readAutostart() {
        Autostart autostart = Autostart.forThisUser();
        boolean on = autostart.enabled();
        var command = Autostart.launchCommand();
        Platform.runLater(() -> {
            var item = window.startAtLoginItem();
            item.setSelected(on);
            if (command.isEmpty() && !on) {
                item.setDisable(true); // run from a build tree: there is no program to name
                return;
            }
            AtomicBoolean reverting = new AtomicBoolean();
            item.selectedProperty().addListener((o, was, want) -> {
                if (!reverting.get()) {
                    worker.execute(() -> writeAutostart(autostart, command, want, was, reverting));
                }
            });
        });
    }

    /** Off the FX thread: writes or removes the entry; on failure says why and puts the toggle back. */
    private void writeAutostart(
            Autostart autostart, Optional<List<String>> command, boolean want, boolean was, AtomicBoolean reverting) {
        try {
            if (want) {
                autostart.enable(command.orElseThrow());
            } else {
                autostart.disable();
            }
            Platform.runLater(() -> {
                window.log().note((want ? "start at login: wrote " : "start at login: removed ") + autostart.file());
                window.startAtLoginItem().setDisable(command.isEmpty()); // nothing to name in a new entry
            });
        } catch (IOException | RuntimeException e) {
            log.warn("start at login: {}", e.toString());
            Platform.runLater(() -> {
                window.showProblem("Could not " + (want ? "write " : "remove ") + autostart.file()
                        + (e instanceof AccessDeniedException ? ": permission denied" : ""));
                reverting.set(true);
                window.startAtLoginItem().setSelected(was);
                reverting.set(false);
            });
        }
    }

    private TrayState trayState() {
        return new TrayState(
                window.model().count(BackendStatus.HEALTHY),
                window.model().rows().size(),
                queued,
                lostSinceShown,
                window.pauseDiscoveryButton().isSelected(),
                stage.isShowing(),
                trayActivity,
                window.model().rows().stream()
                        .map(r -> r.backend())
                        .filter(b ->
                                b.status() == BackendStatus.ASLEEP && io.nexusmonitor.registry.WakeOnLan.wakeable(b))
                        .map(b -> new TrayState.Sleeping(b.id(), registry.label(b)))
                        .toList());
    }

    private void toggleVisible() {
        if (stage.isShowing()) {
            saveWindowState();
            stage.hide();
        } else {
            showWindow();
        }
        if (shell != null) { // a click can come in before the shell is handed to the FX thread
            shell.tray().ifPresent(t -> t.update(trayState()));
        }
    }

    private void showWindow() {
        lostSinceShown = false;
        stage.show();
        stage.toFront();
    }

    /** The one-second tick: rows, due notices, tray tooltip, status bar. */
    private void tick() {
        window.tick();
        if (feed != null) {
            feed.tick();
        }
        noticePolicy.due(registry.clock().instant()).ifPresent(this::notify);
        if (stage.isShowing() && stage.isFocused()) {
            lostSinceShown = false; // the user is looking at it
        }
        if (shell != null) {
            shell.tray().ifPresent(t -> t.update(trayState()));
        }
        pollStatus();
    }

    private void notify(Notice n) {
        NoticeSink sink = shell != null ? shell.notices() : window.notices();
        sink.show(n);
        window.log()
                .note("notice: " + n.title()
                        + (n.body().isEmpty() ? "" : " — " + n.body().replace("\n", "; ")));
    }

    /** Asks the control for its status off the FX thread; at most one request in flight. */
    private void pollStatus() {
        if (!statusPollPending.compareAndSet(false, true)) {
            return;
        }
        worker.execute(() -> {
            try {
                EngineStatus s = session.control().status();
                io.nexusmonitor.stats.Telemetry t = session.control().telemetry();
                String activity = t == null ? "" : t.trayText(s.queued()); // merges buckets: not on the FX thread
                Platform.runLater(() -> {
                    trayActivity = activity;
                    showStatus(s);
                });
            } catch (RuntimeException e) {
                log.debug("status not available", e);
            } finally {
                statusPollPending.set(false);
            }
        });
    }

    private void showStatus(EngineStatus s) {
        window.statusBar().show(s);
        window.showDiscovery(s.discovery());
        queued = s.queued();
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
        DesktopShell d = shell;
        worker.execute(() -> {
            if (d != null) {
                d.close();
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
