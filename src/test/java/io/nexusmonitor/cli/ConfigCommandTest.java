package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.ConfigLoader;
import io.nexusmonitor.config.ExampleConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
    @TempDir
    Path dir;

    @Test
    void initWritesTheExampleToTheGivenFile() throws Exception {
        Path file = dir.resolve("sub/dir/nexus.toml");
        CliRun run = CliRun.of("config", "init", "-o", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(Files.readString(file)).isEqualTo(ExampleConfig.text());
        assertThat(run.out()).contains("wrote " + file);
        assertThat(ConfigLoader.load(file).warnings()).isEmpty();
    }

    @Test
    void initWritesNexusTomlInTheWorkingDirectoryByDefault() throws Exception {
        CliRun run = CliRun.of(cl -> initCommand(cl).workingDir = dir, "config", "init");
        assertThat(run.exitCode()).isZero();
        assertThat(Files.readString(dir.resolve("nexus.toml"))).isEqualTo(ExampleConfig.text());
    }

    @Test
    void initRefusesToOverwriteWithoutForce() throws Exception {
        Path file = Files.writeString(dir.resolve("nexus.toml"), "# mine\n");
        CliRun run = CliRun.of("config", "init", "-o", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(file + " already exists; use --force to overwrite it");
        assertThat(Files.readString(file)).isEqualTo("# mine\n");
    }

    @Test
    void initOverwritesWithForce() throws Exception {
        Path file = Files.writeString(dir.resolve("nexus.toml"), "# mine\n");
        CliRun run = CliRun.of("config", "init", "-o", file.toString(), "--force");
        assertThat(run.exitCode()).isZero();
        assertThat(Files.readString(file)).isEqualTo(ExampleConfig.text());
    }

    @Test
    void initWithDashWritesToStdout() {
        CliRun run = CliRun.of("config", "init", "-o", "-");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(ExampleConfig.text());
    }

    @Test
    void initReportsAFileThatCannotBeWritten() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        CliRun run =
                CliRun.of("config", "init", "-o", blocker.resolve("nexus.toml").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot write");
    }

    @Test
    void checkPrintsOkAndWarningsForAUsableFile() throws Exception {
        Path file = Files.writeString(dir.resolve("n.toml"), "[server]\nport = 9000\nhots = \"x\"\n");
        CliRun run = CliRun.of("config", "check", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("ok (1 warning(s))" + System.lineSeparator());
        assertThat(run.err())
                .contains("warning: " + file + ":3:1: server.hots: unknown key, ignored (did you mean host?)");
    }

    @Test
    void checkPrintsPlainOkForACleanFile() throws Exception {
        Path file = Files.writeString(dir.resolve("n.toml"), "[server]\nport = 9000\n");
        CliRun run = CliRun.of("config", "check", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().trim()).isEqualTo("ok");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void checkPrintsEveryProblemAndExits2() throws Exception {
        Path file = Files.writeString(
                dir.resolve("bad.toml"),
                "[server]\nport = 70000\n[health_check]\ninterval_seconds = 0\n[[backends]]\nurl = \"ftp://x\"\n");
        CliRun run = CliRun.of("config", "check", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines())
                .containsExactly(
                        file + ":2:1: server.port: expected an integer from 0 to 65535, found 70000",
                        file + ":4:1: health_check.interval_seconds: expected an integer of at least 1, found 0",
                        file + ":6:1: backends[0].url: URL must start with http:// or https://: ftp://x",
                        "3 problem(s) in " + file);
    }

    @Test
    void checkOfAMissingFileExits2() {
        Path file = dir.resolve("absent.toml");
        CliRun run = CliRun.of("config", "check", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(file + ": no such file");
    }

    @Test
    void configWithoutASubcommandIsAUsageError() {
        CliRun run = CliRun.of("config");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("Missing required subcommand")
                .contains("init")
                .contains("check");
    }

    @Test
    void checkWithoutAFileIsAUsageError() {
        assertThat(CliRun.of("config", "check").exitCode()).isEqualTo(2);
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun run = CliRun.of("config", "check", "--strict", "x.toml");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--strict'");
    }

    private static ConfigInitCommand initCommand(picocli.CommandLine cl) {
        return cl.getSubcommands().get("config").getSubcommands().get("init").getCommand();
    }
}
