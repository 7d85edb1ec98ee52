package io.nexusmonitor.gui.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The XDG autostart entry in a temp config dir. */
class AutostartTest {
    @TempDir
    Path dir;

    @Test
    void theConfigHomeIsXdgConfigHomeWhenAbsoluteElseDotConfig() {
        Path home = Path.of("/home/ana");
        assertThat(Autostart.configHome(Map.of("XDG_CONFIG_HOME", "/srv/cfg"), home))
                .isEqualTo(Path.of("/srv/cfg"));
        assertThat(Autostart.configHome(Map.of("XDG_CONFIG_HOME", "relative/cfg"), home))
                .isEqualTo(home.resolve(".config"));
        assertThat(Autostart.configHome(Map.of(), home)).isEqualTo(home.resolve(".config"));
    }

    @Test
    void enableWritesTheEntryAndDisableRemovesIt() throws Exception {
        Autostart a = new Autostart(dir);
        assertThat(a.file()).isEqualTo(dir.resolve("autostart/nexus-monitor.desktop"));
        assertThat(a.enabled()).isFalse();
        a.enable(List.of("/opt/nexus-monitor/bin/nexus-monitor"));
        assertThat(a.enabled()).isTrue();
        String text = Files.readString(a.file());
        assertThat(text)
                .startsWith("[Desktop Entry]\n")
                .contains(
                        "\nType=Application\n",
                        "\nExec=env GDK_GL=disable /opt/nexus-monitor/bin/nexus-monitor\n",
                        "\nStartupWMClass=nexus-monitor\n",
                        "\nIcon=nexus-monitor\n");
        assertThat(Files.list(a.file().getParent())).containsExactly(a.file()); // no temp file left
        a.enable(List.of("/usr/bin/java", "-jar", "/home/ana/My Apps/nexus-monitor.jar"));
        assertThat(Files.readString(a.file()))
                .contains("\nExec=env GDK_GL=disable /usr/bin/java -jar \"/home/ana/My Apps/nexus-monitor.jar\"\n");
        a.disable();
        assertThat(a.file()).doesNotExist();
        assertThat(a.enabled()).isFalse();
        a.disable(); // already gone: fine
    }

    @Test
    void anEntrySwitchedOffByTheDesktopCountsAsOff() throws Exception {
        Autostart a = new Autostart(dir);
        a.enable(List.of("nexus-monitor"));
        Files.writeString(a.file(), Files.readString(a.file()) + "Hidden=true\n");
        assertThat(a.enabled()).isFalse();
    }

    @Test
    void execArgumentsAreQuotedAsTheSpecSays() {
        assertThat(Autostart.quote("/opt/nexus-monitor/bin/nexus-monitor"))
                .isEqualTo("/opt/nexus-monitor/bin/nexus-monitor");
        assertThat(Autostart.quote("/a b/x.jar")).isEqualTo("\"/a b/x.jar\"");
        // $ and " escaped with a backslash inside quotes, then every backslash doubled (string escape)
        assertThat(Autostart.quote("/a$b\"c")).isEqualTo("\"/a\\\\$b\\\\\"c\"");
        assertThat(Autostart.quote("100%")).isEqualTo("100%%");
        assertThat(Autostart.quote("")).isEqualTo("\"\"");
    }
}
