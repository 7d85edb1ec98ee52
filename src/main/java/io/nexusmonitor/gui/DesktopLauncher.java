package io.nexusmonitor.gui;

import io.nexusmonitor.gui.desktop.WindowRendering;
import io.nexusmonitor.process.StopSignals;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small entry point the command line calls only when a window is wanted (after it checked for
 * a display), so {@code --no-gui} never loads a JavaFX class. It starts the toolkit without an
 * {@code Application} subclass, runs {@link DesktopApp} and blocks until the user quits.
 */
public final class DesktopLauncher {
    private static final Logger log = LoggerFactory.getLogger(DesktopLauncher.class);

    /** Returned when the toolkit cannot open the display; the same code as bad usage. */
    public static final int NO_DISPLAY = 2;

    private DesktopLauncher() {}

    /** Runs the window until quit; returns 0, 1 when the engine failed to start, 2 without a usable display. */
    public static int run(DesktopSession session) {
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nexus-gui-worker");
            t.setDaemon(true);
            return t;
        });
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        AtomicReference<DesktopApp> app = new AtomicReference<>();
        WindowRendering.applyDefaults();
        if (!WindowRendering.environmentSet(System.getenv())) {
            log.info(
                    "GTK will load OpenGL (the Mesa driver, about 55 MB) although the window does not use it:"
                            + " start with {} in the environment to save it, as the packaged menu entry does",
                    String.join(" ", WindowRendering.assignments()));
        }
        try {
            Platform.setImplicitExit(false);
            Platform.startup(() -> {
                try {
                    DesktopApp a = new DesktopApp(session, worker, exit::complete);
                    app.set(a);
                    a.start(new Stage());
                } catch (RuntimeException e) {
                    exit.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            log.error("cannot open the display: {}", e.getMessage());
            System.err.println("nexus-monitor: cannot open the display (" + e.getMessage() + "): use --no-gui");
            return NO_DISPLAY;
        }
        // SIGINT/SIGTERM quit like the tray's Quit (layout saved, engine stopped, exit 0)
        StopSignals.onStop(name -> {
            log.info("received SIG{}, quitting", name);
            DesktopApp a = app.get();
            if (a != null) {
                Platform.runLater(a::quit);
            } else {
                exit.complete(0);
            }
        });
        // any other way the JVM goes down: still stop the engine cleanly
        Thread hook = new Thread(
                () -> {
                    DesktopApp a = app.get();
                    if (a != null) {
                        a.stopEngine();
                    }
                },
                "nexus-gui-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code;
        try {
            code = exit.join();
        } catch (RuntimeException e) {
            log.error("the window failed", e);
            DesktopApp a = app.get();
            if (a != null) {
                a.stopEngine();
            } else {
                session.stop().run();
            }
            code = 1;
        }
        Platform.exit();
        worker.shutdown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            log.debug("JVM already shutting down");
        }
        return code;
    }
}
