package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** the README's 'Configuration': a bad file never starts the program half-configured. */
class BrokenConfigTest {

    @Test
    void brokenConfigExits2WithEveryProblemAndStartsNothing(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(
                dir.resolve("bad.toml"),
                "[server]\nport = \"eighty\"\n\n[routing]\n"
                        + "strategy = \"fastest\"\n\n[routing.aliases]\na = \"b\"\nb = \"a\"\n\n[discovery]\nallow_subnets = [\"lan\"]\n");
        Path state = dir.resolve("state");
        // a started engine would run until SIGINT: returning at all shows nothing was started
        CliRun run = assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> CliRun.of("--no-gui", "-c", bad.toString(), "--state-dir", state.toString(), "--port", "0"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines())
                .containsExactly(
                        bad + ":2:1: server.port: expected an integer from 0 to 65535, found a string (\"eighty\")",
                        bad
                                + ":5:1: routing.strategy: expected one of smart | round_robin | priority_only | random, found \"fastest\"",
                        bad
                                + ":8:1: routing.aliases.a: alias loop: a -> b -> a (an alias may point to another alias, but must end at a model)",
                        bad
                                + ":12:18: discovery.allow_subnets[0]: invalid subnet: expected an IP address or block such as "
                                + "192.168.1.0/24 or fd00::/8, found \"lan\"",
                        "nexus-monitor: 4 problem(s) in " + bad + "; nothing started");
        assertThat(state).doesNotExist();
    }
}
