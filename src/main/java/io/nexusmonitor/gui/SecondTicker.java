package io.nexusmonitor.gui;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;

/**
 * The window's one clock: once a second, one {@code Platform.runLater} that advances every
 * countdown, refreshes the counters and collects due notices. Not a {@code Timeline}: while any
 * JavaFX animation runs, the toolkit pulses 60 times a second, which alone cost the idle window
 * ~10 % of a core (see README, "Desktop window"); this clock makes one pulse a second. A tick is
 * skipped, not queued, while the previous one has not run yet.
 */
final class SecondTicker implements AutoCloseable {
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nexus-gui-clock");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean pending = new AtomicBoolean();

    /** Starts calling {@code tick} on the FX thread every second. */
    SecondTicker(Runnable tick) {
        clock.scheduleAtFixedRate(
                () -> {
                    if (pending.compareAndSet(false, true)) {
                        Platform.runLater(() -> {
                            pending.set(false);
                            tick.run();
                        });
                    }
                },
                1,
                1,
                TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
