package io.nexusmonitor.gui.theme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The desktop's light/dark preference, from what can be read without a toolkit, first answer wins:
 * {@code GTK_THEME} ending in {@code :dark} (a per-process override), the XDG desktop portal's
 * {@code org.freedesktop.appearance color-scheme} (GNOME, KDE and others implement it), KDE's
 * {@code kdeglobals} colour scheme on KDE, GNOME's {@code gsettings org.gnome.desktop.interface
 * color-scheme} (then its {@code gtk-theme} name ending in {@code -dark}), elsewhere
 * {@code kdeglobals}. Plain Java; the parsers are public for tests on recorded inputs.
 */
public final class DesktopPreference {

    /**
     * What was read.
     *
     * @param appearance null: no source states a preference
     * @param source     where it came from, for the log and the View menu ({@code GNOME color-scheme})
     */
    public record Reading(@Nullable Appearance appearance, String source) {
        public static final Reading NONE = new Reading(null, "no desktop preference found");
    }

    /** What the reader may consult; tests pass recorded answers. */
    public record Sources(
            Map<String, String> env,
            Supplier<Optional<Appearance>> portal,
            Function<List<String>, Optional<String>> gsettings,
            Path kdeglobals) {}

    private static final long GSETTINGS_TIMEOUT_MS = 2000;

    private DesktopPreference() {}

    /** This session's sources: its environment, the given portal reader, gsettings, kdeglobals. */
    public static Sources system(Supplier<Optional<Appearance>> portal) {
        Map<String, String> env = System.getenv();
        return new Sources(env, portal, DesktopPreference::gsettings, kdeglobals(env));
    }

    /**
     * Runs {@code gsettings get SCHEMA KEY}, waiting {@value #GSETTINGS_TIMEOUT_MS} ms at most;
     * empty when gsettings is missing, fails or is slow.
     */
    public static Optional<String> gsettings(List<String> schemaAndKey) {
        List<String> command = new java.util.ArrayList<>(List.of("gsettings", "get"));
        command.addAll(schemaAndKey);
        Process p = null;
        try {
            p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(GSETTINGS_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return out.isBlank() ? Optional.empty() : Optional.of(out.trim());
        } catch (IOException e) {
            return Optional.empty(); // no gsettings here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    public static Reading read(Sources s) {
        Optional<Appearance> gtk = fromGtkTheme(s.env().get("GTK_THEME"));
        if (gtk.isPresent()) {
            return new Reading(gtk.get(), "GTK_THEME");
        }
        Optional<Appearance> portal = s.portal().get();
        if (portal.isPresent()) {
            return new Reading(portal.get(), "the desktop portal's color-scheme");
        }
        boolean kde = s.env()
                .getOrDefault("XDG_CURRENT_DESKTOP", "")
                .toUpperCase(Locale.ROOT)
                .contains("KDE");
        if (kde) {
            Optional<Appearance> k = kdeFile(s.kdeglobals());
            if (k.isPresent()) {
                return new Reading(k.get(), "KDE's colour scheme");
            }
        }
        Optional<Appearance> scheme = s.gsettings()
                .apply(List.of("org.gnome.desktop.interface", "color-scheme"))
                .flatMap(DesktopPreference::fromGsettingsColorScheme);
        if (scheme.isPresent()) {
            return new Reading(scheme.get(), "GNOME color-scheme");
        }
        Optional<Appearance> theme = s.gsettings()
                .apply(List.of("org.gnome.desktop.interface", "gtk-theme"))
                .flatMap(DesktopPreference::fromGtkThemeName);
        if (theme.isPresent()) {
            return new Reading(theme.get(), "the GTK theme's name");
        }
        if (!kde) {
            Optional<Appearance> k = kdeFile(s.kdeglobals());
            if (k.isPresent()) {
                return new Reading(k.get(), "KDE's colour scheme");
            }
        }
        return Reading.NONE;
    }

    /** {@code Adwaita:dark} → dark, {@code Adwaita:light} → light; anything else states nothing. */
    public static Optional<Appearance> fromGtkTheme(@Nullable String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith(":dark")) {
            return Optional.of(Appearance.DARK);
        }
        if (v.endsWith(":light")) {
            return Optional.of(Appearance.LIGHT);
        }
        return fromGtkThemeName(v);
    }

    /** A GTK theme name such as {@code 'Adwaita-dark'} (gsettings quotes it): dark when it ends in {@code -dark}. */
    public static Optional<Appearance> fromGtkThemeName(@Nullable String output) {
        String v = unquote(output);
        return v.endsWith("-dark") ? Optional.of(Appearance.DARK) : Optional.empty();
    }

    /** {@code gsettings get org.gnome.desktop.interface color-scheme}: {@code 'prefer-dark'}, {@code 'prefer-light'}, {@code 'default'}. */
    public static Optional<Appearance> fromGsettingsColorScheme(@Nullable String output) {
        return switch (unquote(output)) {
            case "prefer-dark" -> Optional.of(Appearance.DARK);
            case "prefer-light" -> Optional.of(Appearance.LIGHT);
            default -> Optional.empty(); // 'default': no preference stated
        };
    }

    /** The portal's {@code color-scheme} number: 1 prefer dark, 2 prefer light, 0 (or other) no preference. */
    public static Optional<Appearance> fromPortal(long value) {
        if (value == 1) {
            return Optional.of(Appearance.DARK);
        }
        return value == 2 ? Optional.of(Appearance.LIGHT) : Optional.empty();
    }

    /**
     * KDE's {@code kdeglobals}: {@code [General] ColorScheme} naming a dark scheme ({@code BreezeDark}),
     * else the luminance of {@code [Colors:Window] BackgroundNormal} ({@code r,g,b}); empty when it
     * has neither.
     */
    public static Optional<Appearance> fromKdeGlobals(String content) {
        String section = "";
        String scheme = null;
        String windowBackground = null;
        for (String raw : content.split("\\R")) {
            String line = raw.trim();
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (section.equals("General") && key.equals("ColorScheme")) {
                scheme = value;
            } else if (section.equals("Colors:Window") && key.equals("BackgroundNormal")) {
                windowBackground = value;
            }
        }
        if (scheme != null && scheme.toLowerCase(Locale.ROOT).contains("dark")) {
            return Optional.of(Appearance.DARK);
        }
        if (windowBackground != null) {
            Optional<Appearance> byColour = fromRgb(windowBackground);
            if (byColour.isPresent()) {
                return byColour;
            }
        }
        return scheme != null ? Optional.of(Appearance.LIGHT) : Optional.empty();
    }

    private static Optional<Appearance> fromRgb(String rgb) {
        String[] parts = rgb.split(",");
        if (parts.length < 3) {
            return Optional.empty();
        }
        try {
            double[] c = new double[3];
            for (int i = 0; i < 3; i++) {
                c[i] = Integer.parseInt(parts[i].trim()) / 255.0;
            }
            return Optional.of(Contrast.luminance(c[0], c[1], c[2]) < 0.18 ? Appearance.DARK : Appearance.LIGHT);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Appearance> kdeFile(Path file) {
        try {
            return Files.isRegularFile(file) ? fromKdeGlobals(Files.readString(file)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable: it states nothing
        }
    }

    /** {@code $XDG_CONFIG_HOME/kdeglobals}, else {@code ~/.config/kdeglobals}. */
    public static Path kdeglobals(Map<String, String> env) {
        String config = env.get("XDG_CONFIG_HOME");
        if (config != null && !config.isBlank()) {
            return Path.of(config, "kdeglobals");
        }
        return Path.of(System.getProperty("user.home"), ".config", "kdeglobals");
    }

    private static String unquote(@Nullable String output) {
        if (output == null) {
            return "";
        }
        String v = output.trim().toLowerCase(Locale.ROOT);
        if (v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))) {
            v = v.substring(1, v.length() - 1);
        }
        return v;
    }
}
