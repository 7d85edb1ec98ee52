package io.nexusmonitor.gui.actions;

import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.LogText;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window's controller for user actions. Every call into {@link BackendControl} runs on the
 * worker executor, never on the FX thread (a registry write runs listeners, a check may touch the
 * network); the result comes back through registry events, failures through {@code onFailure}
 * on the FX thread with the control's own sentence ("... is defined in nexus.toml:12 ...").
 */
public final class BackendActions {
    private static final Logger log = LoggerFactory.getLogger(BackendActions.class);

    private final BackendControl control;
    private final Executor worker;
    private final Consumer<String> onFailure;

    public BackendActions(BackendControl control, Executor worker, Consumer<String> onFailure) {
        this.control = control;
        this.worker = worker;
        this.onFailure = onFailure;
    }

    /** The executor every control call runs on (never the FX thread). */
    public Executor worker() {
        return worker;
    }

    public BackendControl control() {
        return control;
    }

    public void pin(Backend b) {
        run("pin " + LogText.of(b.name()), () -> control.pin(b.id()));
    }

    public void unpin(Backend b) {
        run("unpin " + LogText.of(b.name()), () -> control.unpin(b.id()));
    }

    /** Sends the box a Wake-on-LAN packet; it shows healthy once it answers its health check. */
    public void wake(Backend b) {
        run("wake " + LogText.of(b.name()), () -> control.wake(b.id()));
    }

    /** Stores the backend's Wake-on-LAN settings and pins it (only a pinned backend can be asleep). */
    public void setWakeAndPin(Backend b, io.nexusmonitor.registry.WakeOnLan wake) {
        run("wake-on-lan settings of " + LogText.of(b.name()), () -> {
            Backend set = control.setWake(b.id(), wake);
            return set.pinned() ? set : control.pin(b.id());
        });
    }

    public void togglePin(Backend b) {
        if (b.pinned()) {
            unpin(b);
        } else {
            pin(b);
        }
    }

    public void remove(Backend b) {
        run("remove " + LogText.of(b.name()), () -> control.remove(b.id()));
    }

    public void checkNow(Backend b) {
        run("check " + LogText.of(b.name()), () -> {
            control.checkNow(b.id());
            return b;
        });
    }

    public void checkAll() {
        run("check every backend", () -> {
            control.checkAll();
            return null;
        });
    }

    public void setDiscoveryPaused(boolean paused) {
        run(paused ? "pause discovery" : "resume discovery", () -> {
            control.setDiscoveryPaused(paused);
            return null;
        });
    }

    /** Adds a manual backend; the future completes on the worker with the new backend or the control's error. */
    public CompletableFuture<Backend> add(String url, @Nullable String name, @Nullable BackendType type) {
        return add(url, name, type, BackendSettings.DEFAULTS);
    }

    /** Like {@link #add(String, String, BackendType)}, with capacity, weight and key. */
    public CompletableFuture<Backend> add(
            String url, @Nullable String name, @Nullable BackendType type, @Nullable BackendSettings settings) {
        return CompletableFuture.supplyAsync(() -> control.addManual(url, name, type, null, settings), worker);
    }

    /** Puts the backend's URL on the clipboard (FX thread). */
    public void copyUrl(Backend b) {
        ClipboardContent c = new ClipboardContent();
        c.putString(b.url());
        Clipboard.getSystemClipboard().setContent(c);
    }

    private <T> void run(String what, Supplier<T> action) {
        CompletableFuture.supplyAsync(action, worker).whenComplete((r, error) -> {
            if (error != null) {
                Throwable cause =
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                String message =
                        cause instanceof ControlException ? cause.getMessage() : "could not " + what + ": " + cause;
                if (!(cause instanceof ControlException)) {
                    log.warn("could not {}", what, cause);
                }
                Platform.runLater(() -> onFailure.accept(message));
            }
        });
    }
}
