package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real program in a child JVM: headless start, then SIGTERM, then a clean exit 0. */
class HeadlessModeTest {
    @TempDir
    Path dir;

    @Test
    void stopsCleanlyWithExitZeroOnSigterm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String appLogging = "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath();
        Process p = new ProcessBuilder(java, appLogging, "-cp", System.getProperty("java.class.path"), "io.nexusmonitor.cli.Main",
                "--no-gui", "--no-discovery", "--no-health-check", "--port", "0", "--state-dir", dir.resolve("state").toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    if (line.contains("Nexus Monitor") && line.contains("started")) {
                        started.complete(null);
                    }
                }
            } catch (java.io.IOException e) {
                started.completeExceptionally(e);
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            started.get(60, TimeUnit.SECONDS);

            // SIGTERM through the handle: Process.destroy() would also close our end of the output pipe
            p.toHandle().destroy();

            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s; output: %s", lines).isTrue();
            assertThat(p.exitValue()).as("exit code; output: %s", lines).isZero();
            reader.join(10000);
            assertThat(reader.isAlive()).as("output closed").isFalse();
            assertThat(lines).anyMatch(l -> l.contains("SIGTERM")).anyMatch(l -> l.contains("stopped"));
        } finally {
            p.destroyForcibly();
        }
    }
}
