package io.nexusmonitor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The XDG locations the README's 'Command line' names, resolved against an environment (testable). */
final class Locations {
    private final Map<String, String> env;
    private final Path home;
    private final Path workingDir;

    Locations(Map<String, String> env, Path home, Path workingDir) {
        this.env = env;
        this.home = home;
        this.workingDir = workingDir;
    }

    static Locations system() {
        return new Locations(
                System.getenv(),
                Path.of(System.getProperty("user.home")),
                Path.of("").toAbsolutePath());
    }

    /** {@code ./nexus.toml} if present, else {@code $XDG_CONFIG_HOME/nexus-monitor/nexus.toml} if present. */
    Optional<Path> defaultConfigFile() {
        Path local = workingDir.resolve("nexus.toml");
        if (Files.isRegularFile(local)) {
            return Optional.of(local);
        }
        Path xdg = xdg("XDG_CONFIG_HOME", ".config").resolve("nexus-monitor").resolve("nexus.toml");
        return Files.isRegularFile(xdg) ? Optional.of(xdg) : Optional.empty();
    }

    /** {@code $XDG_DATA_HOME/nexus-monitor}, by default {@code ~/.local/share/nexus-monitor}. */
    Path defaultStateDir() {
        return xdg("XDG_DATA_HOME", ".local/share").resolve("nexus-monitor");
    }

    /** Whether a desktop session is reachable: X11 ({@code DISPLAY}) or Wayland ({@code WAYLAND_DISPLAY}). */
    boolean hasDisplay() {
        return isSet("DISPLAY") || isSet("WAYLAND_DISPLAY");
    }

    private boolean isSet(String variable) {
        String v = env.get(variable);
        return v != null && !v.isBlank();
    }

    private Path xdg(String variable, String fallbackUnderHome) {
        String v = env.get(variable);
        return v != null && !v.isBlank() && Path.of(v).isAbsolute() ? Path.of(v) : home.resolve(fallbackUnderHome);
    }
}
