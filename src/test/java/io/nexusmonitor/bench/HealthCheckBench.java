package io.nexusmonitor.bench;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.health.HealthChecker;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * End-to-end health-check bench: N fake backends on 127.0.0.1 (a share of them hanging), the real
 * {@link HealthChecker} with the production settings, and three measurements:
 * <ol>
 *   <li>start-up: time until every backend has its first verdict (healthy with models, or unhealthy
 *       by timeout for the hanging ones);</li>
 *   <li>periodic cycles: checks per cycle, CPU of the checker's threads per cycle, the busiest second
 *       (spread), checks in flight and health threads at most; then the shown latency against a
 *       plain client's, and the floor: a bare blocking client's CPU per request at the same rate;</li>
 *   <li>add-to-healthy: backends answering in 1 ms added one at a time, each on a port never probed
 *       before (a new connection); time from {@code registry.add} to the first probe arriving and to
 *       {@code healthy} with models.</li>
 * </ol>
 * The fake backends share one Jetty server: 50 ports on 127.0.0.1, each serving N/50 backends under
 * a path prefix ({@code http://127.0.0.1:PORT/b17}), Ollama and OpenAI formats alternating.
 *
 * <p>Run: {@code bench/health-bench.sh [backends] [interval_s] [timeout_s] [hanging_percent] [cycles]}
 * (defaults 1000 30 5 20 2).
 */
public final class HealthCheckBench {
    private static final int PORTS = 50;
    /** Backends added one at a time at the end, each on a port of its own never probed before. */
    private static final int LATE = 50;

    private static final String MODELS_OLLAMA = "{\"models\":[{\"name\":\"llama3:8b\",\"model\":\"llama3:8b\"},"
            + "{\"name\":\"qwen2:7b\",\"model\":\"qwen2:7b\"}]}";
    private static final String MODELS_OPENAI =
            "{\"object\":\"list\",\"data\":[{\"id\":\"mistral-7b\",\"object\":\"model\","
                    + "\"max_model_len\":32768}]}";

    private final Server farm;
    private final List<ServerConnector> connectors = new ArrayList<>();
    private final Map<String, Boolean> hanging = new ConcurrentHashMap<>();
    private final Map<String, Long> firstProbeNanos = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> requestTimes = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Callback> held = new ConcurrentLinkedQueue<>();
    private final AtomicLong requests = new AtomicLong();
    /** Thread id to its CPU time when last seen ({@link #checkerCpuNanos}). */
    private final Map<Long, Long> checkerCpuSeen = new ConcurrentHashMap<>();

    private HealthCheckBench() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(400, 8);
        pool.setName("fake-farm");
        pool.setDaemon(true);
        farm = new Server(pool);
        for (int i = 0; i < PORTS + LATE; i++) {
            ServerConnector c = new ServerConnector(farm, 0, 1);
            c.setHost("127.0.0.1");
            // idle connections kept 75 s, as nginx's default keepalive_timeout (Ollama's Go server keeps
            // them for good); Jetty's default 30 s would close a kept connection just as the next check
            // at 30 s goes out, and a connect per check would be measured instead (see the README)
            c.setIdleTimeout(75_000);
            c.setPort(0);
            c.setAcceptQueueSize(1024);
            farm.addConnector(c);
            connectors.add(c);
        }
        farm.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        farm.start();
    }

    private void serve(Request request, Response response, Callback callback) {
        long now = System.nanoTime();
        requests.incrementAndGet();
        requestTimes.add(now);
        String path = Request.getPathInContext(request);
        int slash = path.indexOf('/', 1);
        String key = request.getHttpURI().getPort() + (slash < 0 ? path : path.substring(0, slash));
        firstProbeNanos.putIfAbsent(key, now);
        if (hanging.getOrDefault(key, false)) {
            held.add(callback);
            return;
        }
        String tail = slash < 0 ? "" : path.substring(slash);
        String body;
        if (tail.equals("/api/tags")) {
            body = MODELS_OLLAMA;
        } else if (tail.equals("/api/ps")) {
            body = "{\"models\":[{\"name\":\"llama3:8b\",\"context_length\":8192}]}";
        } else {
            body = MODELS_OPENAI;
        }
        // "a backend that answers in 1 ms"
        farm.getScheduler()
                .schedule(
                        () -> {
                            response.setStatus(200);
                            response.getHeaders().put("Content-Type", "application/json");
                            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                        },
                        1,
                        TimeUnit.MILLISECONDS);
    }

    /**
     * The yardstick: the same backends timed by a plain client (one kept socket per backend,
     * a blocking GET of the primary probe, from the request written to the last byte read; the
     * first exchange per socket not counted), next to the figure the monitor shows for each.
     */
    private static void plainClientReference(List<Backend> all) throws java.io.IOException {
        List<Double> plain = new ArrayList<>();
        List<Double> gap = new ArrayList<>();
        int within = 0;
        int n = 0;
        for (Backend b : all) {
            if (b.status() != BackendStatus.HEALTHY || b.avgLatencyMs() == null || n >= 100) {
                continue;
            }
            n++;
            java.net.URI u = java.net.URI.create(b.url());
            byte[] get = ("GET " + u.getRawPath() + "/api/tags HTTP/1.1\r\nHost: 127.0.0.1:" + u.getPort() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            List<Double> mine = new ArrayList<>();
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", u.getPort())) {
                socket.setTcpNoDelay(true);
                java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
                for (int k = 0; k < 6; k++) {
                    long t0 = System.nanoTime();
                    socket.getOutputStream().write(get);
                    readAnswer(in);
                    if (k > 0) {
                        mine.add((System.nanoTime() - t0) / 1e6);
                    }
                }
            }
            Collections.sort(mine);
            double median = mine.get(mine.size() / 2);
            double shownMs = b.avgLatencyMs();
            plain.add(median);
            gap.add(shownMs - median);
            if (shownMs <= median + 1 + 0.1 * median) {
                within++;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "the same backends by a plain client (median of 5 kept-socket GETs each): %s%n"
                        + "shown minus plain: %s; within 1 ms + 10 %% of the plain figure: %d of %d%n",
                stats(plain),
                stats(gap),
                within,
                n);
    }

    /** Reads one HTTP/1.1 answer with a Content-Length (what the farm sends). */
    /**
     * The floor the checker's CPU per request is judged against: the leanest client a JVM can be
     * (one thread, a kept socket per backend, a blocking write and read, the answer skipped, not
     * parsed, nothing written anywhere) sending the same GETs at the rate the checker just did, for
     * up to 30 s. Its thread's CPU per request is what any client pays on this box at this rate
     * (system calls, loopback TCP, waking up), before HTTP parsing, JSON and the registry.
     */
    private static void plainClientFloor(List<Backend> all, double perSecond) throws Exception {
        List<java.net.Socket> sockets = new ArrayList<>();
        List<byte[]> gets = new ArrayList<>();
        try {
            for (Backend b : all) {
                if (b.status() != BackendStatus.HEALTHY) {
                    continue;
                }
                java.net.URI u = java.net.URI.create(b.url());
                java.net.Socket socket = new java.net.Socket("127.0.0.1", u.getPort());
                socket.setTcpNoDelay(true);
                sockets.add(socket);
                gets.add(("GET " + u.getRawPath() + "/api/tags HTTP/1.1\r\nHost: 127.0.0.1:" + u.getPort() + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            if (sockets.isEmpty() || perSecond <= 0) {
                return;
            }
            List<java.io.InputStream> ins = new ArrayList<>();
            for (java.net.Socket s : sockets) {
                ins.add(new java.io.BufferedInputStream(s.getInputStream()));
            }
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long period = (long) (1e9 / perSecond);
            byte[] head = new byte[8192];
            int count = (int) Math.max(1, Math.min(30 * perSecond, 100_000));
            long cpu0 = mx.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                waitUntil(start + i * period);
                int k = i % sockets.size();
                sockets.get(k).getOutputStream().write(gets.get(k));
                skipAnswer(ins.get(k), head);
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            System.out.printf(
                    Locale.ROOT,
                    "floor: a plain blocking client (kept sockets, no parsing) at the same %.1f requests/s: CPU per request %.3f ms (%d requests)%n",
                    perSecond,
                    cpu / 1e6 / count,
                    count);
        } finally {
            for (java.net.Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Reads one answer's head into {@code head} and skips its body (Content-Length), allocating nothing. */
    private static void skipAnswer(java.io.InputStream in, byte[] head) throws java.io.IOException {
        int n = 0;
        while (n < 4 || head[n - 4] != '\r' || head[n - 3] != '\n' || head[n - 2] != '\r' || head[n - 1] != '\n') {
            int c = in.read();
            if (c < 0 || n == head.length) {
                throw new java.io.IOException("no answer head");
            }
            head[n++] = (byte) c;
        }
        byte[] name = "content-length:".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + name.length < n; i++) {
            int j = 0;
            while (j < name.length && Character.toLowerCase(head[i + j]) == name[j]) {
                j++;
            }
            if (j == name.length) {
                long length = 0;
                for (int k = i + j; k < n && head[k] != '\r'; k++) {
                    if (head[k] >= '0' && head[k] <= '9') {
                        length = length * 10 + head[k] - '0';
                    }
                }
                in.skipNBytes(length);
                return;
            }
        }
        throw new java.io.IOException("no Content-Length");
    }

    private static void readAnswer(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("the backend closed the connection");
            }
            head.append((char) c);
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (!m.find()) {
            throw new java.io.IOException("no Content-Length in " + head);
        }
        in.readNBytes(Integer.parseInt(m.group(1)));
    }

    private int backends;

    /** The first {@code backends} share {@link #PORTS} ports; each late one has its own (a new destination). */
    private int port(int i) {
        return connectors
                .get(i < backends ? i % PORTS : PORTS + (i - backends) % LATE)
                .getLocalPort();
    }

    private String url(int i) {
        return "http://127.0.0.1:" + port(i) + "/b" + i;
    }

    private String key(int i) {
        return port(i) + "/b" + i;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int interval = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int timeout = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int hangingPercent = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int cycles = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        // 1000 transitions at INFO would drown the figures
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.nexusmonitor"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        HealthCheckBench bench = new HealthCheckBench();
        try {
            bench.run(n, interval, timeout, hangingPercent, cycles);
        } finally {
            bench.farm.stop();
        }
    }

    private void run(int n, int interval, int timeout, int hangingPercent, int cycles) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "health bench: %d backends (%d%% hanging), interval %d s, timeout %d s, %d cycles, %d cores%n",
                n,
                hangingPercent,
                interval,
                timeout,
                cycles,
                Runtime.getRuntime().availableProcessors());
        backends = n;
        // room for the late backends too: at 1000 the default max_backends (1000) refused them
        io.nexusmonitor.registry.RegistryLimits d = io.nexusmonitor.registry.RegistryLimits.defaults();
        Registry registry = new Registry(
                java.time.Clock.systemUTC(),
                new io.nexusmonitor.registry.RegistryLimits(
                        Math.max(d.maxBackends(), n + LATE),
                        d.maxModelsPerBackend(),
                        d.maxNameLength(),
                        d.maxModelIdLength()));
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "nexus-scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        HealthChecker checker =
                new HealthChecker(registry, new NexusConfig.HealthCheck(true, interval, timeout, 3, 2), scheduler);
        int hangingCount = n * hangingPercent / 100;
        for (int i = 0; i < n; i++) {
            hanging.put(key(i), i % 100 < hangingPercent);
        }
        int threadsBefore = Thread.activeCount();
        checker.start();

        // 1. start-up: N backends added at once (discovered in a burst)
        CountDownLatch verdicts = new CountDownLatch(n);
        AutoCloseable sub = registry.subscribe(e -> {
            if (e.kind() == RegistryEvent.Kind.STATUS_CHANGED && e.previous().status() == BackendStatus.UNKNOWN) {
                verdicts.countDown();
            }
        });
        long cpu0 = checkerCpuNanos();
        long t0 = System.nanoTime();
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            registry.add(
                    Backend.create(
                            "",
                            "b" + i,
                            url(i),
                            i % 2 == 0 ? BackendType.OLLAMA : BackendType.VLLM,
                            BackendSource.MDNS,
                            50,
                            now),
                    "found");
        }
        boolean all = verdicts.await(timeout * 4L + 30, TimeUnit.SECONDS);
        sub.close();
        long startup = System.nanoTime() - t0;
        Map<BackendStatus, Integer> counts = registry.countByStatus();
        long healthyWithModels = registry.all().stream()
                .filter(b -> b.status() == BackendStatus.HEALTHY && !b.models().isEmpty())
                .count();
        System.out.printf(
                Locale.ROOT,
                "start-up: all %d verdicts in %.2f s (%s); healthy with models %d, unhealthy %d (hanging: %d); checker CPU %.0f ms%n",
                n,
                startup / 1e9,
                all ? "complete" : "INCOMPLETE",
                healthyWithModels,
                counts.get(BackendStatus.UNHEALTHY),
                hangingCount,
                (checkerCpuNanos() - cpu0) / 1e6);

        // 2. periodic cycles: wait for the first round to begin, then measure whole intervals
        requestTimes.clear();
        long firstRound = t0 + TimeUnit.SECONDS.toNanos(interval);
        waitUntil(firstRound);
        double lastRate = 0;
        for (int c = 0; c < cycles; c++) {
            long start = System.nanoTime();
            long req0 = requests.get();
            long cpuStart = checkerCpuNanos();
            long procStart = processCpuNanos();
            int maxInFlight = 0;
            long maxThreads = 0;
            long end = start + TimeUnit.SECONDS.toNanos(interval);
            long nextCpuSample = start;
            while (System.nanoTime() < end) {
                maxInFlight = Math.max(maxInFlight, checker.checksInFlight());
                maxThreads = Math.max(maxThreads, checker.threads());
                if (System.nanoTime() >= nextCpuSample) {
                    checkerCpuNanos();
                    nextCpuSample = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                }
                waitUntil(Math.min(end, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)));
            }
            long reqs = requests.get() - req0;
            List<Long> times = new ArrayList<>(requestTimes);
            requestTimes.clear();
            int busiest = busiestSecond(times);
            long cpu = checkerCpuNanos() - cpuStart;
            lastRate = reqs * 1e9 / (end - start);
            System.out.printf(
                    Locale.ROOT,
                    "cycle %d: CPU per probe request %.3f ms, process CPU %.2f%% of a core (/proc/self/stat, farm included)%n",
                    c + 1,
                    reqs == 0 ? Double.NaN : cpu / 1e6 / reqs,
                    100.0 * (processCpuNanos() - procStart) / (end - start));
            System.out.printf(
                    Locale.ROOT,
                    "cycle %d: %d probe requests, checker CPU %.0f ms (%.2f%% of one core), busiest second %d requests (even spread: %d/s), in flight max %d, health threads max %d, JVM threads %d (before start %d)%n",
                    c + 1,
                    reqs,
                    cpu / 1e6,
                    100.0 * cpu / (end - start),
                    busiest,
                    Math.max(1, reqs / interval),
                    maxInFlight,
                    maxThreads,
                    Thread.activeCount(),
                    threadsBefore);
        }
        System.out.printf(Locale.ROOT, "state after cycles: %s%n", registry.countByStatus());
        List<Double> shown = new ArrayList<>();
        for (Backend b : registry.all()) {
            if (b.status() == BackendStatus.HEALTHY && b.avgLatencyMs() != null) {
                shown.add(b.avgLatencyMs());
            }
        }
        if (!shown.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "shown latency of healthy backends (the farm answers after 1 ms; issue: within 1 ms + 10 %%): %s%n",
                    stats(shown));
            plainClientReference(registry.all());
            plainClientFloor(registry.all(), lastRate);
        }

        // 3. add-to-healthy for backends answering in 1 ms, one at a time
        List<Double> toProbe = new ArrayList<>();
        List<Double> toHealthy = new ArrayList<>();
        for (int k = 0; k < LATE; k++) {
            int i = n + k;
            hanging.put(key(i), false);
            CountDownLatch healthy = new CountDownLatch(1);
            String u = url(i);
            AutoCloseable s = registry.subscribe(e -> {
                if (e.backend().url().equals(u)
                        && e.backend().status() == BackendStatus.HEALTHY
                        && !e.backend().models().isEmpty()) {
                    healthy.countDown();
                }
            });
            long a = System.nanoTime();
            registry.add(
                    Backend.create(
                            "",
                            "late" + k,
                            u,
                            k % 2 == 0 ? BackendType.OLLAMA : BackendType.VLLM,
                            BackendSource.MDNS,
                            50,
                            Instant.now()),
                    "found");
            healthy.await(10, TimeUnit.SECONDS);
            long h = System.nanoTime();
            s.close();
            toHealthy.add((h - a) / 1e6);
            Long p = firstProbeNanos.get(key(i));
            toProbe.add(p == null ? Double.NaN : (p - a) / 1e6);
        }
        System.out.printf(Locale.ROOT, "add -> first probe at the server (ms): %s%n", stats(toProbe));
        System.out.printf(Locale.ROOT, "add -> healthy with models (ms):     %s%n", stats(toHealthy));
        checker.close();
        scheduler.shutdownNow();
        System.out.printf(
                Locale.ROOT, "total probe requests: %d, still hanging at the farm: %d%n", requests.get(), held.size());
    }

    private static void waitUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            new CountDownLatch(1)
                    .await(left, TimeUnit.NANOSECONDS); // a timed wait, not a sleep: nothing counts it down
        }
    }

    private static int busiestSecond(List<Long> times) {
        if (times.isEmpty()) {
            return 0;
        }
        Collections.sort(times);
        int best = 0;
        int j = 0;
        for (int i = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(j) >= 1_000_000_000L) {
                j++;
            }
            best = Math.max(best, i - j + 1);
        }
        return best;
    }

    private static String stats(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return String.format(
                Locale.ROOT,
                "min %.1f, median %.1f, p95 %.1f, max %.1f (n=%d)",
                s.get(0),
                s.get(s.size() / 2),
                s.get((int) Math.min(s.size() - 1, Math.round(s.size() * 0.95))),
                s.get(s.size() - 1),
                s.size());
    }

    /** CPU (user + system) of this whole process from /proc/self/stat; -1 where there is none. */
    private static long processCpuNanos() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time of the checker's threads (the client's pool and the engine's scheduler) since they
     * started, dead ones included: the pool lets idle threads go after a minute, and a sum over the
     * live threads alone would lose their time (a cycle could come out negative). Each thread's last
     * figure is kept; sampled every half second in a cycle, so a thread that ends (idle for a minute
     * first) loses nothing.
     */
    private long checkerCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds(), 0)) {
            if (t != null
                    && (t.getThreadName().startsWith("nexus-health")
                            || t.getThreadName().startsWith("nexus-scheduler"))) {
                long cpu = mx.getThreadCpuTime(t.getThreadId());
                if (cpu > 0) {
                    checkerCpuSeen.put(t.getThreadId(), cpu);
                }
            }
        }
        return checkerCpuSeen.values().stream().mapToLong(Long::longValue).sum();
    }
}
