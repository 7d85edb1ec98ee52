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

/**
 * A real etcd (Debian's {@code etcd-server}, {@code /usr/bin/etcd}) on 127.0.0.1 for one test
 * class: free client and peer ports, a temporary data dir, stopped (and its dir kept for a restart
 * with the same data) on {@link #stop()}, gone on {@link #close()}. Tests skip with a message where
 * etcd is not installed.
 */
public final class EtcdServer implements AutoCloseable {
    public static final Path ETCD = Path.of("/usr/bin/etcd");

    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    private final Path log;
    private Process process;

    private EtcdServer(Path dataDir, int clientPort, int peerPort) {
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
        EtcdServer e = new EtcdServer(tempDir.resolve("etcd-data"), freePort(), freePort());
        e.startProcess();
        return e;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
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
