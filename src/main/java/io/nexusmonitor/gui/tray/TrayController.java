package io.nexusmonitor.gui.tray;

import io.nexusmonitor.gui.notify.Notice;
import io.nexusmonitor.gui.notify.NoticeSink;
import java.awt.AWTException;
import java.awt.CheckboxMenuItem;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.event.ItemEvent;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system-tray icon (AWT {@link SystemTray}): tooltip with healthy/total, a menu (show/hide,
 * pause discovery, quit) and balloons for notices. Every AWT call runs on the AWT event thread;
 * callbacks are handed to the caller, who moves them to the FX thread. Install it from a worker
 * thread, not the FX thread: the first AWT use starts AWT's toolkit.
 */
public final class TrayController implements NoticeSink {
    private static final Logger log = LoggerFactory.getLogger(TrayController.class);

    /** What the tray's menu does; each runs on the AWT event thread and must hand off quickly. */
    public record Callbacks(Runnable showHide, Consumer<Boolean> pauseDiscovery, Runnable quit) {
    }

    private final TrayIcon icon;
    private final CheckboxMenuItem pause;
    private String tooltip = "";
    private volatile int queued;
    private long lastHealthy;
    private long lastTotal;
    private TrayImages.Mood mood = TrayImages.Mood.IDLE;

    private TrayController(TrayIcon icon, CheckboxMenuItem pause) {
        this.icon = icon;
        this.pause = pause;
    }

    /** Puts the icon in the tray; empty where there is none (headless, or no tray host running). */
    public static Optional<TrayController> install(Callbacks callbacks) {
        if (GraphicsEnvironment.isHeadless()) {
            return Optional.empty();
        }
        AtomicReference<TrayController> out = new AtomicReference<>();
        try {
            EventQueue.invokeAndWait(() -> {
                if (!SystemTray.isSupported()) {
                    return;
                }
                out.set(create(callbacks));
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (InvocationTargetException e) {
            log.warn("no tray icon: {}", Objects.requireNonNullElse(e.getCause(), e).toString());
        }
        return Optional.ofNullable(out.get());
    }

    private static @Nullable TrayController create(Callbacks callbacks) {
        MenuItem showHide = new MenuItem("Show/Hide window");
        showHide.addActionListener(e -> callbacks.showHide().run());
        CheckboxMenuItem pause = new CheckboxMenuItem("Pause discovery");
        pause.addItemListener(e -> callbacks.pauseDiscovery().accept(e.getStateChange() == ItemEvent.SELECTED));
        MenuItem quit = new MenuItem("Quit");
        quit.addActionListener(e -> callbacks.quit().run());
        PopupMenu menu = new PopupMenu();
        menu.add(showHide);
        menu.add(pause);
        menu.addSeparator();
        menu.add(quit);
        SystemTray tray = SystemTray.getSystemTray();
        TrayIcon icon = new TrayIcon(TrayImages.draw(tray.getTrayIconSize(), TrayImages.Mood.IDLE), "Nexus Monitor", menu);
        icon.setImageAutoSize(true);
        icon.addActionListener(e -> callbacks.showHide().run()); // double-click / activate
        try {
            tray.add(icon);
        } catch (AWTException e) {
            log.warn("no tray icon: {}", e.getMessage());
            return null;
        }
        log.info("tray icon installed");
        return new TrayController(icon, pause);
    }

    /** Requests waiting in the gateway's queue: the tooltip ends with {@code , 2 queued} while any wait. */
    public void showQueued(int n) {
        queued = n;
        showCounts(lastHealthy, lastTotal);
    }

    /** Tooltip "Nexus Monitor: 3 / 5 healthy" (", 2 queued") and the icon's colour; only changes reach AWT. */
    public void showCounts(long healthy, long total) {
        lastHealthy = healthy;
        lastTotal = total;
        int q = queued;
        String text = "Nexus Monitor: " + healthy + " / " + total + " healthy"
                + (q > 0 ? ", " + io.nexusmonitor.gui.status.StatusBar.queuedText(q) : "");
        TrayImages.Mood m = TrayImages.mood(healthy, total);
        if (text.equals(tooltip) && m == mood) {
            return;
        }
        boolean redraw = m != mood;
        tooltip = text;
        mood = m;
        EventQueue.invokeLater(() -> {
            icon.setToolTip(text);
            if (redraw) {
                icon.setImage(TrayImages.draw(SystemTray.getSystemTray().getTrayIconSize(), m));
            }
        });
    }

    public void showPaused(boolean paused) {
        EventQueue.invokeLater(() -> pause.setState(paused));
    }

    @Override
    public void show(Notice notice) {
        EventQueue.invokeLater(() -> icon.displayMessage(notice.title(), notice.body(), TrayIcon.MessageType.INFO));
    }

    /** Takes the icon out of the tray (on quit), waiting until it is gone. */
    public void remove() {
        try {
            EventQueue.invokeAndWait(() -> SystemTray.getSystemTray().remove(icon));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (InvocationTargetException e) {
            log.debug("removing the tray icon failed", e);
        }
    }
}
