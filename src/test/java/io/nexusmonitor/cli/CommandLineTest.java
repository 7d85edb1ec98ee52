package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void printsVersion() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("nexus-monitor ");
    }

    @Test
    void helpListsTheOptionsOfTheContract() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains(
                        "--no-gui",
                        "--config",
                        "--host",
                        "--port",
                        "--no-discovery",
                        "--no-health-check",
                        "--no-api",
                        "--interface",
                        "--state-dir",
                        "Exit codes");
    }

    @Test
    void unknownOptionIsBadUsage() {
        CliRun run = CliRun.of("--frobnicate");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--frobnicate");
    }

    @Test
    void configLookupPrefersWorkingDirectoryThenXdg() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path xdg = Files.createDirectories(dir.resolve("xdg/nexus-monitor"));
        Locations loc =
                new Locations(Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString()), home, work);

        assertThat(loc.defaultConfigFile()).isEmpty();
        Files.writeString(xdg.resolve("nexus.toml"), "");
        assertThat(loc.defaultConfigFile()).contains(xdg.resolve("nexus.toml"));
        Files.writeString(work.resolve("nexus.toml"), "");
        assertThat(loc.defaultConfigFile()).contains(work.resolve("nexus.toml"));
    }

    @Test
    void stateDirFollowsXdgDataHomeWithHomeFallback() {
        Path home = dir.resolve("home");
        assertThat(new Locations(Map.of(), home, dir).defaultStateDir())
                .isEqualTo(home.resolve(".local/share/nexus-monitor"));
        assertThat(new Locations(Map.of("XDG_DATA_HOME", "/data"), home, dir).defaultStateDir())
                .isEqualTo(Path.of("/data/nexus-monitor"));
        assertThat(new Locations(Map.of("XDG_DATA_HOME", "relative"), home, dir).defaultStateDir())
                .as("a relative XDG path is ignored, as the XDG spec says")
                .isEqualTo(home.resolve(".local/share/nexus-monitor"));
    }
}
