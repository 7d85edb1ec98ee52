package io.nexusmonitor.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * A real etcd (Debian's {@code etcd-server}, {@code /usr/bin/etcd}) on 127.0.0.1 for one test
 * class: free client and peer ports, a temporary data dir, stopped (and its dir kept for a restart
 * with the same data) on {@link #stop()}, gone on {@link #close()}; plain http, or https with
 * {@link Tls} (and a client certificate required if it names a CA). Tests skip with a message where
 * etcd is not installed.
 */
public final class EtcdServer implements AutoCloseable {
    public static final Path ETCD = Path.of("/usr/bin/etcd");

    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    private final Path log;
    private final @Nullable Tls tls;
    private Process process;

    /**
     * Serve clients over https with this certificate and key (PEM); with {@code clientCa}, also
     * require a client certificate signed by it ({@code --client-cert-auth}).
     */
    public record Tls(Path certFile, Path keyFile, @Nullable Path clientCa) {}

    private EtcdServer(Path dataDir, int clientPort, int peerPort, @Nullable Tls tls) {
        this.tls = tls;
        this.dataDir = dataDir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    /** Skips the calling test where etcd is absent. */
    public static void assumeInstalled() {
        assumeTrue(
                Files.isExecutable(ETCD),
                "etcd is not installed (apt-get install etcd-server); the federation tests need a real one");
    }

    public static EtcdServer start(Path tempDir) throws IOException {
        assumeInstalled();
        return start(tempDir, null);
    }

    /** As {@link #start(Path)}, over https where {@code tls} is given. */
    public static EtcdServer start(Path tempDir, @Nullable Tls tls) throws IOException {
        assumeInstalled();
        EtcdServer e = new EtcdServer(tempDir.resolve("etcd-data"), freePort(), freePort(), tls);
        e.startProcess();
        return e;
    }

    public String endpoint() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    /** Starts it (again, with the data it had), and waits until it answers. */
    public synchronized void startProcess() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ETCD.toString(),
                "--name",
                "test",
                "--data-dir",
                dataDir.toString(),
                "--listen-client-urls",
                endpoint(),
                "--advertise-client-urls",
                endpoint(),
                "--listen-peer-urls",
                "http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls",
                "http://127.0.0.1:" + peerPort,
                "--initial-cluster",
                "test=http://127.0.0.1:" + peerPort,
                "--log-level",
                "warn"));
        if (tls != null) {
            cmd.addAll(List.of(
                    "--cert-file",
                    tls.certFile().toString(),
                    "--key-file",
                    tls.keyFile().toString()));
            if (tls.clientCa() != null) {
                cmd.addAll(List.of(
                        "--client-cert-auth",
                        "--trusted-ca-file",
                        tls.clientCa().toString()));
            }
        }
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Awaitility.await("etcd answers on " + endpoint())
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> process.isAlive() && answers());
    }

    private boolean answers() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), clientPort)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs {@code /usr/bin/etcdctl} against this etcd ({@code user add root:pw}, {@code auth
     * enable}), trusting its server certificate where it has one; fails with etcdctl's output.
     */
    public String etcdctl(@Nullable Path caCert, String... args) throws IOException, InterruptedException {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/etcdctl")),
                "etcdctl is not installed (apt-get install etcd-client); this test sets up etcd's users with it");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/etcdctl", "--endpoints=" + endpoint()));
        if (caCert != null) {
            cmd.add("--cacert=" + caCert);
        }
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("etcdctl " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** Stops etcd (SIGTERM, then SIGKILL); its data stays for {@link #startProcess()}. */
    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
