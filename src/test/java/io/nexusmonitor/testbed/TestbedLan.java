package io.nexusmonitor.testbed;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One test's private virtual LAN made by {@code ../shared/testbed/lan.sh} (network namespaces and
 * a bridge; no packet leaves them): the checks that this machine can make one (else the test is
 * skipped, with the reason), a {@code LAN_PREFIX} of this JVM's own (two test runs on one machine
 * do not share hosts), the processes a test starts in its hosts, and their logs, kept under
 * {@code target/testbed-logs} for a failed run to be looked at. Closing it ends those processes and
 * takes the LAN down.
 */
final class TestbedLan implements AutoCloseable {
    static final Path SCRIPT =
            Path.of("../shared/testbed/lan.sh").toAbsolutePath().normalize();

    private final String prefix;
    private final Path dir;
    private final String logPrefix;
    private final List<Process> processes = new ArrayList<>();

    private TestbedLan(String prefix, Path dir, String logPrefix) {
        this.prefix = prefix;
        this.dir = dir;
        this.logPrefix = logPrefix;
    }

    /**
     * Makes {@code hosts} hosts (h1 198.18.0.1, h2 198.18.0.2, ...), or skips the calling test when
     * this machine cannot. {@code tag} (a letter or two) tells this test's LAN from another's of the
     * same JVM; the logs of {@code dir} are kept as {@code target/testbed-logs/<logPrefix><name>.log}.
     */
    static TestbedLan up(int hosts, String tag, Path dir, String logPrefix) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(SCRIPT), "testbed skipped: " + SCRIPT + " not found");
        assumeTrue("root".equals(System.getProperty("user.name")), "testbed skipped: needs root (ip netns)");
        TestbedLan lan = new TestbedLan("nx" + tag + (ProcessHandle.current().pid() % 100_000), dir, logPrefix);
        assumeTrue(lan.run("ip", "-V") == 0, "testbed skipped: needs iproute2 (ip)");
        lan.run(SCRIPT.toString(), "down"); // a killed run of this JVM's pid may have left hosts behind
        int made = lan.run(SCRIPT.toString(), "up", Integer.toString(hosts));
        if (made != 0) {
            lan.run(SCRIPT.toString(), "down"); // whatever it made before failing
        }
        assumeTrue(
                made == 0,
                "testbed skipped: lan.sh up exited " + made
                        + " (network namespaces cannot be made here, e.g. inside an unprivileged container)");
        return lan;
    }

    /** The java command that runs {@code main} from the test class path. */
    static List<String> java(String main, String... args) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp, main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts {@code command} in a host, in the test's directory, its output in {@code <label>.log} there. */
    Process start(String host, String label, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), "exec", host));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(label + ".log").toFile());
        pb.environment().put("LAN_PREFIX", prefix);
        pb.directory(dir.toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /**
     * Starts {@code nexus-monitor --no-gui} in a host with this config and state directory, its API
     * on the host's 127.0.0.1:8000, its output in {@code <label>.log}.
     */
    Process monitor(String host, String label, Path config, Path stateDir) throws IOException {
        return start(
                host,
                label,
                java(
                        "io.nexusmonitor.cli.Main",
                        "--no-gui",
                        "-c",
                        config.toString(),
                        "--port",
                        "8000",
                        "--state-dir",
                        stateDir.toString()));
    }

    /** Runs a command in a host and returns what it printed on stdout (its stderr is dropped). */
    String exec(String host, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), "exec", host));
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LAN_PREFIX", prefix);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** Runs a command here (not in a host) with this LAN's prefix; its exit code, -1 after 60 s. */
    int run(String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LAN_PREFIX", prefix);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** Stops one process this LAN started (SIGTERM, then SIGKILL after 10 s). */
    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        run(SCRIPT.toString(), "down");
        Path logs = Path.of("target", "testbed-logs");
        Files.createDirectories(logs);
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".log")).toList()) {
                Files.copy(f, logs.resolve(logPrefix + f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
