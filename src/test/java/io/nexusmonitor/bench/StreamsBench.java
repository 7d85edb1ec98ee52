package io.nexusmonitor.bench;

import io.nexusmonitor.testing.SimulatedLlmBox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Many concurrent streams through the gateway to a box with room for all of them (issue 12, item 8,
 * second bench; not a test): one {@link SimulatedLlmBox} with more slots than streams, a low token
 * rate and long replies, so every stream is held open at once. The gateway runs as its own process
 * ({@code cli.Main --no-gui}, the box as a static Ollama backend), so its resident memory can be
 * read from {@code /proc}; the same load then goes through nginx. Each target gets a short warm-up
 * and then the same load twice (round 1 meets a JVM still compiling its hot paths, round 2 the
 * steady state). Prints per round TTFT p50/p95/p99 from the caller's send, failures, the
 * gateway's RSS before the streams and while all are held (round 1), CPU per stream of the
 * gateway's JVM or nginx's worker, the TTFT p99 from the request being written (so the client's
 * own connection set-up and queueing are not in it), and the kernel's listen-queue overflows.
 *
 * <p>Run with {@code bench/streams.sh}; arguments {@code key=value}: {@code streams=2000
 * seconds=20} (how long each reply streams) {@code targets=gateway,nginx}.
 */
public final class StreamsBench {
    private StreamsBench() {}

    /** Extra JVM options for the gateway's process ({@code gateway_jvm="-XX:StartFlightRecording=..."}). */
    private static List<String> gatewayJvm = List.of();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = BenchStats.options(
                Map.of("streams", "2000", "seconds", "20", "targets", "gateway,nginx", "gateway_jvm", ""), args);
        gatewayJvm = opts.get("gateway_jvm").isBlank()
                ? List.of()
                : List.of(opts.get("gateway_jvm").trim().split("\\s+"));
        int streams = Integer.parseInt(opts.get("streams"));
        int seconds = Integer.parseInt(opts.get("seconds"));
        int tokens = 40;
        System.out.printf(
                Locale.ROOT,
                "streams bench: %d concurrent streams, %d tokens over ~%d s each, one box with "
                        + "%d slots (prefill 20 ms)%n",
                streams,
                tokens,
                seconds,
                streams * 2);
        System.out.println(
                "target   | round | streams | ok   | failed | TTFT p50 | p95     | p99     | RSS before | RSS held "
                        + "| MB per 1000 held | CPU ms per stream | p99 from request sent | listen overflows");
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(streams * 2);
        client.setMaxRequestsQueuedPerDestination(streams * 2);
        client.setIdleTimeout(600_000);
        client.start();
        try {
            for (String target : opts.get("targets").split(",")) {
                run(target.trim(), client, streams, seconds, tokens);
            }
        } finally {
            client.stop();
        }
    }

    private static void run(String target, HttpClient client, int streams, int seconds, int tokens) throws Exception {
        try (SimulatedLlmBox box = SimulatedLlmBox.builder("wide")
                .models("llama3:8b")
                .resident("llama3:8b")
                .slots(streams * 2)
                .maxQueue(streams * 2)
                .tokensPerSecond(tokens / (double) seconds)
                .prefill(Duration.ofMillis(20))
                .replyTokens(tokens)
                .start()) {
            Proc proc;
            if (target.equals("nginx")) {
                LlmLanBench.Nginx nginx = LlmLanBench.Nginx.leastConn(List.of(box));
                if (nginx == null) {
                    System.out.println("nginx    | skipped: nginx is not installed");
                    return;
                }
                proc = new Proc(nginx, nginx.url(), -1, workerOf(nginx.pid()));
            } else {
                proc = gateway(box, streams);
            }
            try {
                // warm up: connections, the learned figures, the first JIT compilations
                load(client, proc.url, 200, 1000).await();
                long before = proc.rss();
                // two rounds of the same load: the first is met by a JVM still compiling its hot paths
                // (the JIT's threads took as much CPU as the proxying), the second by the steady state;
                // both are printed, RSS growth is read in the first (the heap has grown by the second)
                for (int round = 1; round <= 2; round++) {
                    long overflowsBefore = listenOverflows();
                    long cpuBefore = cpuTicks(proc.cpuPid);
                    Load held = load(client, proc.url, streams, 2000);
                    held.allStarted.await(60, TimeUnit.SECONDS);
                    TimeUnit.MILLISECONDS.sleep(500);
                    long during = proc.rss();
                    held.await();
                    double cpuMsPerStream = (cpuTicks(proc.cpuPid) - cpuBefore) * 1000.0 / TICKS_PER_SECOND / streams;
                    double per1000 = (during - before) / 1024.0 / (streams / 1000.0);
                    System.out.printf(
                            Locale.ROOT,
                            "%-8s | %5d | %7d | %4d | %6d | %5.0f ms | %4.0f ms | %4.0f ms | %7s | %8s "
                                    + "| %s | %.2f | %.0f ms | %d%n",
                            target,
                            round,
                            streams,
                            held.ok.get(),
                            streams - held.ok.get(),
                            held.percentile(50),
                            held.percentile(95),
                            held.percentile(99),
                            round == 1 ? mb(before) : "",
                            round == 1 ? mb(during) : "",
                            proc.pid < 0 || round > 1 ? "n/a" : String.format(Locale.ROOT, "%.1f", per1000),
                            cpuMsPerStream,
                            BenchStats.percentile(held.ttftFromSentMicros, 99) / 1000.0,
                            listenOverflows() - overflowsBefore);
                    if (!held.failures.isEmpty()) {
                        System.out.println("         | first failures: "
                                + held.failures.stream().limit(3).toList());
                    }
                }
            } finally {
                proc.close();
            }
        }
    }

    private static String mb(long kb) {
        return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
    }

    /** The gateway in its own JVM on a free port, the box as its only backend. */
    /** @param streams the front door's connection cap ({@code [server] max_connections}, default 1000) is raised above it */
    private static Proc gateway(SimulatedLlmBox box, int streams) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("streams-bench");
        Path config = dir.resolve("nexus.toml");
        Files.writeString(
                config,
                "[server]\nhost = \"127.0.0.1\"\nport = " + port
                        + "\nmax_connections = " + (streams * 2 + 1000) + "\n[discovery]\nenabled = false\n"
                        + "[health_check]\ninterval_seconds = 2\n[logging]\nlevel = \"warn\"\n"
                        + "[[backends]]\nname = \"wide\"\nurl = \"" + box.url() + "\"\ntype = \"ollama\"\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
        command.addAll(gatewayJvm);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "io.nexusmonitor.cli.Main",
                "--no-gui",
                "-c",
                config.toString(),
                "--state-dir",
                dir.toString()));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway.log").toFile())
                .start();
        String url = "http://127.0.0.1:" + port;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > until || !p.isAlive()) {
                    p.destroy();
                    throw new IOException("the gateway did not start; see " + dir.resolve("gateway.log"));
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        TimeUnit.SECONDS.sleep(3); // the first health check marks the box healthy
        return new Proc(
                () -> {
                    p.destroy();
                    p.waitFor(10, TimeUnit.SECONDS);
                },
                url,
                p.pid(),
                p.pid());
    }

    /** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    /** User + system CPU time of a process (all its threads) in clock ticks; -1 when unknown. */
    private static long cpuTicks(long pid) {
        if (pid < 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The first child of an nginx master: its worker, which does the proxying. */
    private static long workerOf(long master) {
        try {
            String children = Files.readString(Path.of("/proc/" + master + "/task/" + master + "/children"))
                    .trim();
            return children.isEmpty() ? master : Long.parseLong(children.split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return master;
        }
    }

    /**
     * The kernel's count of connections dropped because a listen queue was full (TcpExt
     * ListenOverflows; for the whole machine, so other programs' drops count too). Each one costs
     * its caller a SYN or ACK retry of a second or more.
     */
    private static long listenOverflows() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
                    List<String> names = List.of(lines.get(i).split(" "));
                    int at = names.indexOf("ListenOverflows");
                    return at < 0 ? -1 : Long.parseLong(lines.get(i + 1).split(" ")[at]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** A target: its URL and, for the gateway, its process id (RSS); the process whose CPU time is counted. */
    private record Proc(AutoCloseable closer, String url, long pid, long cpuPid) implements AutoCloseable {
        long rss() throws IOException {
            if (pid < 0) {
                return -1;
            }
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        }

        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    private static final class Load {
        final List<Long> ttftMicros = new ArrayList<>();
        /** From when the request's headers and body were written (the connection was up) to the first token. */
        final List<Long> ttftFromSentMicros = new ArrayList<>();

        final AtomicInteger ok = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final CountDownLatch done;
        final CountDownLatch allStarted;

        Load(int n) {
            done = new CountDownLatch(n);
            allStarted = new CountDownLatch(n);
        }

        void await() throws InterruptedException {
            if (!done.await(10, TimeUnit.MINUTES)) {
                failures.add("no answer within 10 minutes");
            }
        }

        double percentile(double p) {
            return BenchStats.percentile(ttftMicros, p) / 1000.0;
        }
    }

    /** {@code n} streams, spread evenly over {@code rampMs}. */
    private static Load load(HttpClient client, String base, int n, long rampMs) throws InterruptedException {
        Load o = new Load(n);
        byte[] body = ("{\"model\":\"llama3:8b\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"Tell me a long story.\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + rampMs * 1_000_000L * i / Math.max(1, n);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long sentAt = System.nanoTime();
            long[] onWire = {0};
            boolean[] first = {true};
            int[] status = {0};
            client.newRequest(base + "/v1/chat/completions")
                    .method(HttpMethod.POST)
                    .timeout(10, TimeUnit.MINUTES)
                    .body(new BytesRequestContent("application/json", body))
                    .onRequestSuccess(r -> onWire[0] = System.nanoTime())
                    .onResponseBegin(r -> status[0] = r.getStatus())
                    .onResponseContent((r, chunk) -> {
                        if (first[0] && chunk.hasRemaining()) {
                            first[0] = false;
                            if (status[0] == 200) {
                                long now = System.nanoTime();
                                synchronized (o.ttftMicros) {
                                    o.ttftMicros.add((now - sentAt) / 1000);
                                    if (onWire[0] != 0) {
                                        o.ttftFromSentMicros.add((now - onWire[0]) / 1000);
                                    }
                                }
                            }
                            o.allStarted.countDown();
                        }
                    })
                    .send((Result result) -> {
                        if (result.isSucceeded() && status[0] == 200 && !first[0]) {
                            o.ok.incrementAndGet();
                        } else {
                            o.failures.add(
                                    result.isSucceeded()
                                            ? "HTTP " + status[0]
                                            : String.valueOf(result.getFailure().getMessage()));
                            if (first[0]) {
                                o.allStarted.countDown();
                            }
                        }
                        o.done.countDown();
                    });
        }
        return o;
    }
}
