package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WindowLaunchTest {
    @TempDir
    Path dir;

    @Test
    void withoutADisplayTheWindowModeSaysToUseNoGuiAndExits2() {
        NexusCommand cmd = new NexusCommand();
        cmd.locations = new Locations(Map.of("HOME", dir.toString()), dir, dir);
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("--state-dir", dir.toString());
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("no display: use --no-gui");
    }

    @Test
    void anX11OrWaylandSessionCountsAsADisplay() {
        assertThat(new Locations(Map.of("DISPLAY", ":0"), dir, dir).hasDisplay())
                .isTrue();
        assertThat(new Locations(Map.of("WAYLAND_DISPLAY", "wayland-0"), dir, dir).hasDisplay())
                .isTrue();
        assertThat(new Locations(Map.of("DISPLAY", " "), dir, dir).hasDisplay()).isFalse();
    }
}
