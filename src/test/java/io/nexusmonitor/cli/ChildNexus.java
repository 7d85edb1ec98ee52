package io.nexusmonitor.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The real program in a child JVM (the test's class path, the app's logging), its output collected line by line. */
final class ChildNexus implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    /**
     * A child inherits ignored signals: started from a background job or under {@code nohup}, the
     * test JVM ignores SIGINT, so would the child, and the JVM then leaves SIGINT alone (as it
     * should). The child is started through GNU {@code env --default-signal} where there is one, so
     * it sees SIGINT and SIGTERM as it would when started from a terminal.
     */
    private static final List<String> SIGNALS_AS_IN_A_TERMINAL = signalReset();

    private static List<String> signalReset() {
        List<String> reset = List.of("/usr/bin/env", "--default-signal=INT,TERM");
        try {
            List<String> probe = new ArrayList<>(reset);
            probe.add("true");
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? reset : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private ChildNexus(Process process) {
        this.process = process;
        reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        lines.add("(output read failed: " + e + ")");
                    }
                },
                "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildNexus start(Path workDir, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(SIGNALS_AS_IN_A_TERMINAL);
        command.addAll(List.of(
                java, // no logback.configurationFile: the program's own logging (LogDefaults), INFO
                "-Dnexus.mdns.loopback-only=true",
                "-cp",
                System.getProperty("java.class.path"),
                "io.nexusmonitor.cli.Main"));
        command.addAll(List.of(args));
        return new ChildNexus(new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start());
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits until a line matches; false when the time ran out or the process ended first. */
    boolean awaitLine(Predicate<String> match, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            if (lines.stream().anyMatch(match)) {
                return true;
            }
            if (!process.isAlive()) {
                reader.join(2000);
                return lines.stream().anyMatch(match);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return false;
    }

    /** Sends a signal by name ({@code INT}, {@code TERM}) with the system's {@code kill}. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start();
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    /** The exit code, or null when it did not end in time. */
    Integer exitWithin(Duration d) throws InterruptedException {
        if (!process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        reader.join(5000);
        return process.exitValue();
    }

    Process process() {
        return process;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
