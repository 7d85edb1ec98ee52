package io.nexusmonitor.gui.desktop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the window draws, and what its launchers set for it: JavaFX's software pipeline ({@code
 * prism.order=sw}) at 30 pulses a second, and GTK without OpenGL ({@code GDK_GL=disable}).
 *
 * <p>Why: a table that changes a few cells a second needs no GPU, and OpenGL costs the process the
 * whole Mesa driver. GTK 3 loads it when it opens the display (libepoxy, libGL, the DRI driver and,
 * in Debian's Mesa, libLLVM) although JavaFX never draws through GTK; JavaFX's own es2 pipeline
 * then loads it again, and under a software-only X server rejects it and falls back to {@code sw}
 * anyway. What each setting saves is measured in the README ("Memory") and
 * docs/decisions/0005-window-software-drawing.md. A property the user sets ({@code -Dprism.order=es2,sw}) wins; GTK's
 * variable can only come from the environment, so the launchers the project writes carry it: the
 * packaged menu entry ({@code jpackage/nexus-monitor.desktop}, held to {@link #ENVIRONMENT} by a
 * test) and the login entry ({@link Autostart}).
 */
public final class WindowRendering {
    /** What the window's launchers put in the environment: GTK opens the display without OpenGL. */
    public static final Map<String, String> ENVIRONMENT = Map.of("GDK_GL", "disable");

    /**
     * The toolkit's properties the window starts with unless the user set them: the software
     * pipeline, and a pulse of 30 a second instead of 60. On GTK JavaFX's pulse timer never pauses
     * (a glib timeout that wakes the FX thread every 16 ms, shown or hidden, busy or idle); a table
     * that changes once a second loses nothing at 30, and the process half those wake-ups.
     */
    static final Map<String, String> PROPERTIES = Map.of("prism.order", "sw", "javafx.animation.pulse", "30");

    private WindowRendering() {}

    /** Sets {@link #PROPERTIES} the user did not set (by {@code -D}); call before the toolkit starts. */
    public static void applyDefaults() {
        PROPERTIES.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }

    /**
     * Whether this process runs as the launchers start it; false names what to set, for a log line.
     * Only the variables: a user's own {@code GDK_GL} value is theirs.
     */
    public static boolean environmentSet(Map<String, String> env) {
        return ENVIRONMENT.keySet().stream().allMatch(env::containsKey);
    }

    /** {@link #ENVIRONMENT} as shell assignments, by name: {@code GDK_GL=disable}. */
    public static List<String> assignments() {
        return ENVIRONMENT.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList();
    }

    /** {@code command} started through {@code env} with {@link #ENVIRONMENT}, for a desktop entry's {@code Exec}. */
    public static List<String> launchedWithEnvironment(List<String> command) {
        List<String> out = new ArrayList<>();
        out.add("env");
        out.addAll(assignments());
        out.addAll(command);
        return out;
    }
}
