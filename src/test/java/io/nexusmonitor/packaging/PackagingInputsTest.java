package io.nexusmonitor.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Keeps the packaging inputs under jpackage/ honest without building packages (that takes
 * minutes: jpackage/build.sh). The jlink module list must be what jdeps finds for the app.
 */
class PackagingInputsTest {
    private static final Path DIR = Path.of("jpackage");
    private static final Pattern FX_PLATFORM_JAR = Pattern.compile("javafx-[a-z]+-[^/]*-linux\\.jar$");
    private static final Pattern SIZES = Pattern.compile("for size in ([0-9 ]+); do");

    @Test
    void jlinkModuleListIsWhatJdepsFinds() throws IOException {
        Set<String> found = new TreeSet<>(Arrays.asList(jdepsModules().split(",")));
        Set<String> listed = new TreeSet<>(moduleLines("modules.txt").keySet());
        assertThat(listed)
                .as(
                        "jpackage/modules.txt must list what `jdeps --print-module-deps` finds; it found %s",
                        String.join("\n", found))
                .isEqualTo(found);
    }

    @Test
    void extraModulesAreOnlyThoseJdepsCannotSeeAndSayWhy() throws IOException {
        Map<String, String> extra = moduleLines("extra-modules.txt");
        assertThat(extra).isNotEmpty();
        assertThat(extra.keySet())
                .doesNotContainAnyElementsOf(moduleLines("modules.txt").keySet());
        assertThat(extra.values())
                .allSatisfy(reason -> assertThat(reason).as("a reason after #").isNotBlank());
        assertThat(Files.readString(DIR.resolve("build.sh")))
                .contains("jpackage/modules.txt")
                .contains("jpackage/extra-modules.txt");
    }

    @Test
    void desktopEntryHasNameIconCategoriesAndComment() throws IOException {
        Map<String, String> entry = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DIR.resolve("nexus-monitor.desktop"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                entry.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(entry)
                .containsEntry("Type", "Application")
                .containsEntry("Name", "Nexus Monitor")
                .containsEntry("Icon", "nexus-monitor")
                .containsEntry("Exec", "env GDK_GL=disable /opt/nexus-monitor/bin/nexus-monitor")
                .containsEntry("Terminal", "false");
        assertThat(entry.get("Comment")).isNotBlank();
        assertThat(entry.get("Categories")).startsWith("Network;").endsWith(";");
    }

    @Test
    void everyIconSizeTheScriptsInstallExistsAtThatSize() throws IOException {
        List<Integer> installed = sizes("resources/postinst");
        assertThat(installed).containsExactly(16, 24, 32, 48, 64, 128, 256, 512);
        assertThat(sizes("resources/prerm"))
                .as("prerm removes what postinst installs")
                .isEqualTo(installed);
        for (int size : installed) {
            BufferedImage png = ImageIO.read(
                    Path.of("resources/icons/nexus-monitor-" + size + ".png").toFile());
            assertThat(png.getWidth()).isEqualTo(size);
            assertThat(png.getHeight()).isEqualTo(size);
            assertThat(png.getColorModel().hasAlpha()).isTrue();
        }
        assertThat(Path.of("resources/icons/nexus-monitor.svg")).isRegularFile();
    }

    @Test
    void maintainerScriptsUndoWhatTheyAdd() throws IOException {
        String postinst = Files.readString(DIR.resolve("resources/postinst"));
        String prerm = Files.readString(DIR.resolve("resources/prerm"));
        for (String placed : List.of(
                "/usr/bin/nexus-monitor",
                "/usr/lib/systemd/user/nexus-monitor.service",
                "/usr/share/applications/nexus-monitor.desktop",
                "/usr/share/icons/hicolor/scalable/apps/nexus-monitor.svg",
                "/usr/share/icons/hicolor/${size}x${size}/apps/nexus-monitor.png")) {
            assertThat(postinst).as("postinst installs " + placed).contains(placed);
            assertThat(prerm).as("prerm removes " + placed).contains(placed);
        }
        // xdg-desktop-menu (jpackage's DESKTOP_COMMANDS_*) fails where there is no desktop menu: a headless server
        assertThat(postinst + prerm).doesNotContain("DESKTOP_COMMANDS").doesNotContain("UTILITY_SCRIPTS");
        assertThat(Files.readString(DIR.resolve("build.sh"))).doesNotContain("--linux-shortcut");
    }

    @Test
    void classDataArchiveTheLauncherNamesIsTheOneBuildAndInstallMakeAndRemoveDeletes() throws IOException {
        String build = Files.readString(DIR.resolve("build.sh"));
        String postinst = Files.readString(DIR.resolve("resources/postinst"));
        String prerm = Files.readString(DIR.resolve("resources/prerm"));
        Matcher named = Pattern.compile("--java-options '-XX:SharedArchiveFile=\\$APPDIR/([\\w.-]+\\.jsa)'")
                .matcher(build);
        assertThat(named.find())
                .as("build.sh gives the launcher -XX:SharedArchiveFile=$APPDIR/<name>.jsa")
                .isTrue();
        String archive = named.group(1);
        // build.sh records the class list and dumps the image's archive; postinst dumps the installed one
        // from that class list (the launcher's own option names the output file); prerm deletes it
        assertThat(build)
                .contains("-XX:DumpLoadedClassList=$image/lib/app/nexus-monitor.classlist")
                .contains("-Xshare:dump -XX:SharedClassListFile=$image/lib/app/nexus-monitor.classlist")
                .contains("$image/lib/app/" + archive);
        assertThat(postinst)
                .contains("-Xshare:dump -XX:SharedClassListFile=$APP_DIR/lib/app/nexus-monitor.classlist")
                .contains("rm -f \"$APP_DIR/lib/app/" + archive + "\"");
        assertThat(prerm).contains("/opt/nexus-monitor/lib/app/" + archive);
        // the .deb is made before the image's archive, which is bound to the build directory
        int deb = build.indexOf("--type deb");
        int dump = build.indexOf("-Xshare:dump");
        assertThat(deb).as("build.sh makes a .deb").isNotNegative();
        assertThat(dump).as("build.sh dumps the image's archive").isNotNegative();
        assertThat(deb).as("the .deb is made before the archive is dumped").isLessThan(dump);
    }

    @Test
    void aotCacheTheJava25LauncherNamesIsTheOneTheTrainingStartWrites() throws IOException {
        String build = Files.readString(DIR.resolve("build.sh"));
        Matcher named = Pattern.compile("--java-options '-XX:AOTCache=\\$APPDIR/([\\w.-]+\\.aot)'")
                .matcher(build);
        assertThat(named.find())
                .as("build.sh gives a Java 25 launcher -XX:AOTCache=$APPDIR/<name>.aot")
                .isTrue();
        String cache = named.group(1);
        assertThat(build).contains("-XX:AOTCacheOutput=$image/lib/app/" + cache).contains("$image/lib/app/" + cache);
        // a package with a Java 25 runtime ships no class list: postinst dumps an AppCDS archive only from one
        assertThat(Files.readString(DIR.resolve("resources/postinst")))
                .contains("[ -f \"$APP_DIR/lib/app/nexus-monitor.classlist\" ]");
        assertThat(Files.readAllLines(DIR.resolve("jvm-options.conf")))
                .anySatisfy(line -> assertThat(line).startsWith("java_options_25=-XX:"));
    }

    @Test
    void systemdUnitRunsTheInstalledLauncherHeadless() throws IOException {
        List<String> unit = Files.readAllLines(DIR.resolve("nexus-monitor.service"));
        assertThat(unit)
                .contains(
                        "[Unit]",
                        "[Service]",
                        "[Install]",
                        "WantedBy=default.target",
                        "ExecStart=/opt/nexus-monitor/bin/nexus-monitor --no-gui",
                        "Environment=MALLOC_ARENA_MAX=2",
                        "RestartPreventExitStatus=2");
    }

    /** Runs jdeps the way jpackage/build.sh does: the app's classes, JavaFX on the module path. */
    private static String jdepsModules() {
        List<String> fx = new ArrayList<>();
        List<String> cp = new ArrayList<>();
        String appClasses = null;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String name = entry.replace('\\', '/');
            if (name.endsWith("/target/classes")) {
                appClasses = entry;
            } else if (FX_PLATFORM_JAR.matcher(name).find()) {
                fx.add(entry);
            } else if (name.endsWith(".jar")
                    && !name.substring(name.lastIndexOf('/') + 1).startsWith("javafx-")) {
                // test libraries are here too; jdeps only follows what the app's classes reach
                cp.add(entry);
            }
        }
        assertThat(appClasses).as("target/classes on the test class path").isNotNull();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = jdeps.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                "--multi-release",
                "17",
                "--ignore-missing-deps",
                "--print-module-deps",
                "--module-path",
                String.join(java.io.File.pathSeparator, fx),
                "--class-path",
                String.join(java.io.File.pathSeparator, cp),
                appClasses);
        assertThat(code).as("jdeps: %s", err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    /** Module name -> the comment after it, for the lines of a module list. */
    private static Map<String, String> moduleLines(String file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DIR.resolve(file))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int hash = line.indexOf('#');
            String module = (hash < 0 ? line : line.substring(0, hash)).trim();
            out.put(module, hash < 0 ? "" : line.substring(hash + 1).trim());
        }
        return out;
    }

    private static List<Integer> sizes(String script) throws IOException {
        Matcher m = SIZES.matcher(Files.readString(DIR.resolve(script)));
        assertThat(m.find()).as("a size loop in %s", script).isTrue();
        return Arrays.stream(m.group(1).trim().split(" +"))
                .map(Integer::valueOf)
                .collect(Collectors.toList());
    }
}
