package io.nexusmonitor.gui.desktop;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * "Start at login": the XDG autostart entry {@code $XDG_CONFIG_HOME/autostart/nexus-monitor.desktop}
 * ({@code ~/.config} when the variable is unset or not absolute), which GNOME, KDE, XFCE and most
 * session managers run at login. Enabling writes it (atomically), disabling removes it. File I/O:
 * call it off the FX thread.
 */
public final class Autostart {
    public static final String FILE_NAME = "nexus-monitor.desktop";

    private final Path file;

    public Autostart(Path configHome) {
        this.file = configHome.resolve("autostart").resolve(FILE_NAME);
    }

    /** This user's entry, by {@code XDG_CONFIG_HOME} and the home directory. */
    public static Autostart forThisUser() {
        return new Autostart(configHome(System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    /** {@code $XDG_CONFIG_HOME} when set to an absolute path (the spec ignores a relative one), else {@code ~/.config}. */
    public static Path configHome(Map<String, String> env, Path home) {
        String x = env.get("XDG_CONFIG_HOME");
        if (x != null && !x.isBlank() && Path.of(x).isAbsolute()) {
            return Path.of(x);
        }
        return home.resolve(".config");
    }

    public Path file() {
        return file;
    }

    /** Whether the entry is there and not switched off ({@code Hidden=true}, as a desktop's settings may write). */
    public boolean enabled() {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::trim)
                    .noneMatch(l -> l.equalsIgnoreCase("Hidden=true"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes the entry that starts {@code command} (program first, then its arguments) at login,
     * through {@code env} with the window's {@link WindowRendering#ENVIRONMENT}.
     */
    public void enable(List<String> command) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.writeString(tmp, entry(command), StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public void disable() throws IOException {
        Files.deleteIfExists(file);
    }

    static String entry(List<String> command) {
        return "[Desktop Entry]\n"
                + "Type=Application\n"
                + "Name=Nexus Monitor\n"
                + "Comment=Watch the LLM servers on your network from the tray\n"
                + "Exec=" + exec(WindowRendering.launchedWithEnvironment(command)) + "\n"
                + "Icon=nexus-monitor\n"
                + "Terminal=false\n"
                + "StartupWMClass=" + WindowClass.NAME + "\n"
                + "X-GNOME-Autostart-enabled=true\n";
    }

    /** The {@code Exec} value: each argument quoted where the Desktop Entry spec needs it. */
    static String exec(List<String> command) {
        return command.stream().map(Autostart::quote).collect(Collectors.joining(" "));
    }

    private static final String RESERVED = " \t\n\"'\\><~|&;$*?#()`";

    /**
     * One argument of {@code Exec}: in double quotes, with {@code " ` $ \} backslash-escaped, when it
     * holds a reserved character; then the string escape (a backslash doubled) and {@code %} as {@code %%}.
     */
    static String quote(String arg) {
        boolean plain = !arg.isEmpty() && arg.chars().noneMatch(c -> RESERVED.indexOf(c) >= 0);
        String q;
        if (plain) {
            q = arg;
        } else {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : arg.toCharArray()) {
                if (c == '"' || c == '`' || c == '$' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            q = sb.append('"').toString();
        }
        return q.replace("\\", "\\\\").replace("%", "%%");
    }

    /**
     * How this program was started, for the entry: the packaged launcher ({@code jpackage.app-path}),
     * else this JVM with {@code -jar} and the jar; empty when run from classes (a build tree).
     */
    public static Optional<List<String>> launchCommand() {
        String app = System.getProperty("jpackage.app-path");
        if (app != null && !app.isBlank()) {
            return Optional.of(List.of(app));
        }
        try {
            var src = Autostart.class.getProtectionDomain().getCodeSource();
            if (src == null) {
                return Optional.empty();
            }
            Path jar = Path.of(src.getLocation().toURI());
            if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
                return Optional.empty();
            }
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            return Optional.of(
                    List.of(java.toString(), "-jar", jar.toAbsolutePath().toString()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
