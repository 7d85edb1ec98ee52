package io.nexusmonitor.gui.tray;

import io.nexusmonitor.gui.desktop.Tray;
import io.nexusmonitor.gui.desktop.TrayImages;
import io.nexusmonitor.gui.desktop.TrayState;
import io.nexusmonitor.gui.notify.Notice;
import io.nexusmonitor.gui.notify.NoticeSink;
import java.awt.AWTException;
import java.awt.CheckboxMenuItem;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Menu;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.event.ItemEvent;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system-tray icon through AWT's {@link SystemTray} (XEmbed: the fallback where the desktop has
 * no StatusNotifierItem host): tooltip with healthy/total, a menu (show/hide, pause discovery, a
 * Wake submenu while an asleep box can be woken, quit)
 * and balloons for notices. Every AWT call runs on the AWT event thread;
 * callbacks are handed to the caller, who moves them to the FX thread. Install it from a worker
 * thread, not the FX thread: the first AWT use starts AWT's toolkit.
 */
public final class TrayController implements NoticeSink, Tray {
    private static final Logger log = LoggerFactory.getLogger(TrayController.class);

    private final TrayIcon icon;
    private final CheckboxMenuItem pause;
    /** The Wake submenu: in the menu (after Pause) only while some asleep box can be woken. */
    private final Menu wake = new Menu("Wake");

    private final Tray.Callbacks callbacks;
    private String tooltip = "";
    private TrayImages.Mood mood = TrayImages.Mood.IDLE;
    private boolean paused;
    private List<TrayState.Sleeping> sleeping = List.of();

    private TrayController(TrayIcon icon, CheckboxMenuItem pause, Tray.Callbacks callbacks) {
        this.icon = icon;
        this.pause = pause;
        this.callbacks = callbacks;
    }

    /** Puts the icon in the tray; empty where there is none (headless, or no tray host running). */
    public static Optional<TrayController> install(Tray.Callbacks callbacks) {
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
            log.warn(
                    "no tray icon: {}",
                    Objects.requireNonNullElse(e.getCause(), e).toString());
        }
        return Optional.ofNullable(out.get());
    }

    private static @Nullable TrayController create(Tray.Callbacks callbacks) {
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
        TrayIcon icon =
                new TrayIcon(TrayImages.draw(tray.getTrayIconSize(), TrayImages.Mood.IDLE), "Nexus Monitor", menu);
        icon.setImageAutoSize(true);
        icon.addActionListener(e -> callbacks.showHide().run()); // double-click / activate
        try {
            tray.add(icon);
        } catch (AWTException e) {
            log.warn("no tray icon: {}", e.getMessage());
            return null;
        }
        log.info("tray icon installed");
        return new TrayController(icon, pause, callbacks);
    }

    /** Tooltip ({@link TrayState#tooltip()}), the icon's colour and the pause check; only changes reach AWT. */
    @Override
    public synchronized void update(TrayState state) {
        String text = state.tooltip();
        TrayImages.Mood m = state.mood();
        boolean p = state.paused();
        List<TrayState.Sleeping> asleep = state.sleeping();
        if (text.equals(tooltip) && m == mood && p == paused && asleep.equals(sleeping)) {
            return;
        }
        boolean redraw = m != mood;
        boolean rebuild = !asleep.equals(sleeping);
        tooltip = text;
        mood = m;
        paused = p;
        sleeping = asleep;
        EventQueue.invokeLater(() -> {
            icon.setToolTip(text);
            pause.setState(p);
            if (redraw) {
                icon.setImage(TrayImages.draw(SystemTray.getSystemTray().getTrayIconSize(), m));
            }
            if (rebuild) {
                rebuildWake(asleep);
            }
        });
    }

    /** On the AWT thread: one entry per asleep box; the submenu leaves the menu when there is none. */
    private void rebuildWake(List<TrayState.Sleeping> asleep) {
        wake.removeAll();
        for (TrayState.Sleeping box : asleep) {
            MenuItem item = new MenuItem(box.label());
            item.addActionListener(e -> callbacks.wake().accept(box.id()));
            wake.add(item);
        }
        PopupMenu menu = icon.getPopupMenu();
        boolean shown = wake.getParent() == menu;
        if (asleep.isEmpty() && shown) {
            menu.remove(wake);
        } else if (!asleep.isEmpty() && !shown) {
            menu.insert(wake, 2); // after Show/Hide and Pause
        }
    }

    @Override
    public Optional<NoticeSink> balloons() {
        return Optional.of(this);
    }

    @Override
    public void show(Notice notice) {
        EventQueue.invokeLater(() -> icon.displayMessage(notice.title(), notice.body(), TrayIcon.MessageType.INFO));
    }

    /** Takes the icon out of the tray (on quit), waiting until it is gone. */
    @Override
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
