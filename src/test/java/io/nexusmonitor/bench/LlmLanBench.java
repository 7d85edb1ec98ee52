package io.nexusmonitor.bench;

import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.ConfigLoader;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.testing.SimulatedLlmBox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Routing under contention on a simulated LAN of unequal LLM boxes (issue 12's benchmark; not a
 * test). Three Ollama-like boxes, each with one model resident and room for one, a model swap
 * costing seconds and blocking the box; an open-loop Poisson stream of streaming chats over two
 * models. For each target it prints time to first token (p50/p95/p99), model swaps and failures:
 *
 * <ul>
 *   <li>the gateway with each routing strategy (an engine with the boxes as static backends, as
 *       {@code java -jar nexus-monitor.jar} would run it, in this JVM);</li>
 *   <li>a model-blind baseline: nginx {@code least_conn} when nginx is installed;</li>
 *   <li>the hand partition: each model sent straight to the boxes that have it loaded, weighted by
 *       their capacity — what a person who knows the LAN would configure.</li>
 * </ul>
 *
 * <p>Every target gets fresh boxes in their initial state. Run with {@code bench/llm-lan.sh}.
 * Arguments (all optional, {@code key=value}): {@code seconds=60 rate=4 targets=smart,round_robin,nginx,hand}.
 */
public final class LlmLanBench {
    private static final String M1 = "llama3:8b";
    private static final String M2 = "qwen2:7b";
    /** Share of requests for {@link #M1}; the rest ask for {@link #M2}. */
    private static final double M1_SHARE = 0.6;

    private LlmLanBench() {}

    /** The LAN: unequal boxes, every model on every disk, one resident at a time. */
    static List<SimulatedLlmBox> boxes() {
        return List.of(
                SimulatedLlmBox.builder("big")
                        .models(M1, M2)
                        .resident(M1)
                        .slots(4)
                        .tokensPerSecond(60)
                        .loadTime(Duration.ofSeconds(3))
                        .start(),
                SimulatedLlmBox.builder("mid")
                        .models(M1, M2)
                        .resident(M2)
                        .slots(4)
                        .tokensPerSecond(40)
                        .loadTime(Duration.ofSeconds(4))
                        .start(),
                SimulatedLlmBox.builder("small")
                        .models(M1, M2)
                        .resident(M1)
                        .slots(2)
                        .tokensPerSecond(25)
                        .loadTime(Duration.ofSeconds(6))
                        .start());
    }

    /** The hand partition: M1 to big and small by their capacity (4 slots at 60 tok/s vs 2 at 25), M2 to mid. */
    static String handPick(List<SimulatedLlmBox> boxes, String model) {
        if (model.equals(M2)) {
            return boxes.get(1).url();
        }
        return ThreadLocalRandom.current().nextDouble() < 240.0 / (240 + 50)
                ? boxes.get(0).url()
                : boxes.get(2).url();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = BenchStats.options(
                Map.of("seconds", "60", "rate", "4", "targets", "smart,round_robin,nginx,hand"), args);
        int seconds = Integer.parseInt(opts.get("seconds"));
        double rate = Double.parseDouble(opts.get("rate"));
        System.out.printf(
                Locale.ROOT,
                "LLM LAN bench: 3 boxes (big 4 slots 60 tok/s load 3 s, mid 4 slots 40 tok/s "
                        + "load 4 s, small 2 slots 25 tok/s load 6 s; one resident model each), Poisson %.1f req/s for %d s, "
                        + "%.0f%% %s / %.0f%% %s, 48 tokens per streamed reply%n",
                rate,
                seconds,
                M1_SHARE * 100,
                M1,
                (1 - M1_SHARE) * 100,
                M2);
        System.out.println("target         | sent | ok   | failed | TTFT p50 | p95     | p99     | swaps | swaps/min");
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(4096);
        client.setMaxRequestsQueuedPerDestination(65536);
        client.setIdleTimeout(600_000);
        client.start();
        try {
            for (String target : opts.get("targets").split(",")) {
                run(target.trim(), client, seconds, rate);
            }
        } finally {
            client.stop();
        }
    }

    private static void run(String target, HttpClient client, int seconds, double rate) throws Exception {
        List<SimulatedLlmBox> boxes = boxes();
        AutoCloseable running = null;
        try {
            Function<String, String> endpoint;
            switch (target) {
                case "hand" -> endpoint = model -> handPick(boxes, model);
                case "nginx" -> {
                    Nginx nginx = Nginx.leastConn(boxes);
                    if (nginx == null) {
                        System.out.println(
                                "nginx          | skipped: nginx is not installed (apt-get install -y nginx)");
                        return;
                    }
                    running = nginx;
                    endpoint = model -> nginx.url();
                }
                default -> {
                    NexusEngine engine = gateway(boxes, target);
                    running = engine;
                    String url = engine.status().apiAddress();
                    endpoint = model -> url;
                }
            }
            Outcome o = load(client, endpoint, seconds, rate);
            long swaps = boxes.stream().mapToLong(SimulatedLlmBox::loads).sum();
            System.out.printf(
                    Locale.ROOT,
                    "%-14s | %4d | %4d | %6d | %6.2f s | %5.2f s | %5.2f s | %5d | %8.1f%n",
                    target,
                    o.sent,
                    o.ok,
                    o.failed,
                    o.percentile(50) / 1e3,
                    o.percentile(95) / 1e3,
                    o.percentile(99) / 1e3,
                    swaps,
                    swaps * 60.0 / seconds);
            StringBuilder detail = new StringBuilder("               | ");
            for (SimulatedLlmBox b : boxes) {
                detail.append(b.summary()).append("; ");
            }
            if (!o.failures.isEmpty()) {
                detail.append("first failures: ")
                        .append(o.failures.stream().limit(3).toList());
            }
            System.out.println(detail);
        } finally {
            if (running != null) {
                running.close();
            }
            for (SimulatedLlmBox b : boxes) {
                b.close();
            }
        }
    }

    /** An engine with the boxes as static Ollama backends, health checks every second, API on a free port. */
    private static NexusEngine gateway(List<SimulatedLlmBox> boxes, String strategy) throws Exception {
        StringBuilder toml = new StringBuilder();
        toml.append("[server]\nhost = \"127.0.0.1\"\nport = 0\n");
        toml.append("[discovery]\nenabled = false\n");
        toml.append("[health_check]\ninterval_seconds = 1\ntimeout_seconds = 2\n");
        toml.append("[routing]\nstrategy = \"").append(strategy).append("\"\n");
        toml.append("[logging]\nlevel = \"warn\"\n");
        for (SimulatedLlmBox b : boxes) {
            toml.append("[[backends]]\nname = \"")
                    .append(b.name())
                    .append("\"\nurl = \"")
                    .append(b.url())
                    .append("\"\ntype = \"ollama\"\n");
        }
        NexusConfig config = ConfigLoader.parse(toml.toString(), null).config();
        Path state = Files.createTempDirectory("llm-lan-bench");
        NexusEngine engine = new NexusEngine(config, new EngineOptions(state, true));
        engine.start();
        // wait until every box has been checked once and is routable
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until
                && engine.registry().all().stream()
                        .anyMatch(b -> b.status() != io.nexusmonitor.registry.BackendStatus.HEALTHY)) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return engine;
    }

    private static final class Outcome {
        final List<Long> ttftMs = new ArrayList<>(); // guarded by itself
        final AtomicInteger okCount = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        int sent;
        int ok;
        int failed;

        /** Nearest-rank percentile of the times to first token, in milliseconds; 0 with none. */
        long percentile(double p) {
            return BenchStats.percentile(ttftMs, p);
        }
    }

    /** Open loop: arrivals at exponential intervals whatever the answers do; then waits for every answer. */
    private static Outcome load(HttpClient client, Function<String, String> endpoint, int seconds, double rate)
            throws InterruptedException {
        Outcome o = new Outcome();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long next = start;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<CountDownLatch> latches = new ArrayList<>();
        while (next < end) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String model = random.nextDouble() < M1_SHARE ? M1 : M2;
            latches.add(send(client, endpoint.apply(model), model, o));
            o.sent++;
            next += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
        }
        for (CountDownLatch l : latches) {
            if (!l.await(10, TimeUnit.MINUTES)) {
                o.failures.add("no answer within 10 minutes");
            }
        }
        o.ok = o.okCount.get();
        o.failed = o.sent - o.ok;
        return o;
    }

    private static CountDownLatch send(HttpClient client, String base, String model, Outcome o) {
        CountDownLatch done = new CountDownLatch(1);
        byte[] body = ("{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"Write a haiku about routers.\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        long sentAt = System.nanoTime();
        boolean[] first = {true};
        int[] status = {0};
        client.newRequest(base + "/v1/chat/completions")
                .method(HttpMethod.POST)
                .timeout(10, TimeUnit.MINUTES)
                .body(new BytesRequestContent("application/json", body))
                .onResponseBegin(r -> status[0] = r.getStatus())
                .onResponseContent((r, chunk) -> {
                    if (first[0] && status[0] == 200 && chunk.hasRemaining()) {
                        first[0] = false;
                        synchronized (o.ttftMs) {
                            o.ttftMs.add((System.nanoTime() - sentAt) / 1_000_000);
                        }
                    }
                })
                .send((Result result) -> {
                    if (result.isSucceeded() && status[0] == 200 && !first[0]) {
                        o.okCount.incrementAndGet();
                    } else {
                        o.failures.add(
                                result.isSucceeded()
                                        ? "HTTP " + status[0]
                                        : String.valueOf(result.getFailure().getMessage()));
                    }
                    done.countDown();
                });
        return done;
    }

    /** nginx as a model-blind reverse proxy ({@code least_conn}, streaming unbuffered) in front of the boxes. */
    static final class Nginx implements AutoCloseable {
        private final Process process;
        private final Path dir;
        private final int port;

        private Nginx(Process process, Path dir, int port) {
            this.process = process;
            this.dir = dir;
            this.port = port;
        }

        static Nginx leastConn(List<SimulatedLlmBox> boxes) throws IOException, InterruptedException {
            Path bin = Arrays.stream(new String[] {"/usr/sbin/nginx", "/usr/bin/nginx"})
                    .map(Path::of)
                    .filter(Files::isExecutable)
                    .findFirst()
                    .orElse(null);
            if (bin == null) {
                return null;
            }
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path dir = Files.createTempDirectory("llm-lan-nginx");
            Files.createDirectories(dir.resolve("tmp"));
            StringBuilder upstream = new StringBuilder("upstream boxes {\n    least_conn;\n");
            for (SimulatedLlmBox b : boxes) {
                upstream.append("    server ")
                        .append(b.url().substring("http://".length()))
                        .append(";\n");
            }
            upstream.append("    keepalive 64;\n  }\n");
            String conf = "worker_processes 1;\npid " + dir + "/nginx.pid;\nerror_log " + dir + "/error.log warn;\n"
                    + "daemon off;\nevents { worker_connections 8192; }\nhttp {\n  access_log off;\n"
                    + "  client_body_temp_path " + dir + "/tmp/body;\n  proxy_temp_path " + dir + "/tmp/proxy;\n"
                    + "  fastcgi_temp_path " + dir + "/tmp/fcgi;\n  uwsgi_temp_path " + dir + "/tmp/uwsgi;\n"
                    + "  scgi_temp_path " + dir + "/tmp/scgi;\n  " + upstream
                    + "  server {\n    listen 127.0.0.1:" + port + ";\n    location / {\n"
                    + "      proxy_pass http://boxes;\n      proxy_http_version 1.1;\n"
                    + "      proxy_set_header Connection \"\";\n      proxy_buffering off;\n"
                    + "      proxy_read_timeout 600s;\n    }\n  }\n}\n";
            Path confFile = dir.resolve("nginx.conf");
            Files.writeString(confFile, conf);
            Process p = new ProcessBuilder(bin.toString(), "-c", confFile.toString(), "-p", dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < until) {
                try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                    return new Nginx(p, dir, port);
                } catch (IOException notYet) {
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
            p.destroy();
            throw new IOException("nginx did not start; see " + dir.resolve("error.log"));
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        /** The nginx master's process id (its worker is a child). */
        long pid() {
            return process.pid();
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }
}
