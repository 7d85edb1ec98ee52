package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real program in a child JVM: headless start, then SIGTERM, then a clean exit 0. */
class HeadlessModeTest {
    @TempDir
    Path dir;

    @Test
    void stopsCleanlyWithExitZeroOnSigterm() throws Exception {
        try (ChildNexus child = ChildNexus.start(
                dir,
                "--no-gui",
                "--no-discovery",
                "--no-health-check",
                "--port",
                "0",
                "--state-dir",
                dir.resolve("state").toString())) {
            assertThat(child.awaitLine(
                            l -> l.contains("Nexus Monitor") && l.contains("started"), Duration.ofSeconds(60)))
                    .as("started; output: %s", child.lines())
                    .isTrue();

            // SIGTERM through the handle: Process.destroy() would also close our end of the output pipe
            child.process().toHandle().destroy();

            assertThat(child.exitWithin(Duration.ofSeconds(10)))
                    .as("exit code; output: %s", child.lines())
                    .isZero();
            assertThat(child.lines()).anyMatch(l -> l.contains("SIGTERM")).anyMatch(l -> l.contains("stopped"));
        }
    }
}
