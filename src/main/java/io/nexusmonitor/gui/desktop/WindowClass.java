package io.nexusmonitor.gui.desktop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window's X11 class ({@code WM_CLASS}), which docks and task bars match against the
 * {@code StartupWMClass} of the {@code .desktop} file to group the window under Nexus Monitor.
 * JavaFX names a toolkit started without an {@code Application} subclass "java", like every other
 * Java program; its glass layer takes the name from {@code com.sun.glass.ui.Application}, which is
 * set here before the first window opens. Where that package is not open to the app (a jlinked
 * runtime without {@code --add-exports javafx.graphics/com.sun.glass.ui=ALL-UNNAMED}) the class
 * stays "java", logged once.
 */
public final class WindowClass {
    private static final Logger log = LoggerFactory.getLogger(WindowClass.class);
    public static final String NAME = "nexus-monitor";

    private WindowClass() {}

    /** Sets the name; FX thread, before the first stage shows. False when the toolkit did not allow it. */
    public static boolean apply() {
        try {
            Class<?> c = Class.forName("com.sun.glass.ui.Application");
            Object app = c.getMethod("GetApplication").invoke(null);
            c.getMethod("setName", String.class).invoke(app, NAME);
            return NAME.equals(c.getMethod("getName").invoke(app));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.info(
                    "the window's WM_CLASS stays \"java\" ({}): docks may not group it under Nexus Monitor",
                    e.toString());
            return false;
        }
    }
}
