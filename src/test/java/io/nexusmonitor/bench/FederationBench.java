package io.nexusmonitor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.RegistryEvent;
import io.nexusmonitor.testing.EtcdServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/**
 * Federation through a real etcd on 127.0.0.1 (bench/federation.sh): (1) propagation latency from
 * a change on one monitor to the registry of another (adds and removals, one at a time), (2) the
 * time and heap to import 10 000 backends of 20 sites, (3) recovery after etcd restarts: from the
 * restart until both monitors are connected again, and until a change made then arrives.
 *
 * <p>Arguments ({@code key=value}): {@code changes} (default 200), {@code sites} (20),
 * {@code per_site} (500).
 */
public final class FederationBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FederationBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchStats.options(Map.of("changes", "200", "sites", "20", "per_site", "500"), args);
        int changes = Integer.parseInt(o.get("changes"));
        int sites = Integer.parseInt(o.get("sites"));
        int perSite = Integer.parseInt(o.get("per_site"));
        Path dir = Files.createTempDirectory("federation-bench");
        System.out.printf(
                "federation bench: etcd %s on 127.0.0.1, %d cores, load %s%n",
                "3.4 (/usr/bin/etcd)",
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        try (EtcdServer etcd = EtcdServer.start(dir)) {
            List<NexusEngine> engines = new ArrayList<>();
            try {
                NexusEngine a = engine(etcd, "a", dir, 1000);
                NexusEngine b = engine(etcd, "b", dir, 1000);
                engines.add(a);
                engines.add(b);
                propagation(a, b, changes);
                recovery(etcd, a, b);
                importMany(etcd, dir, sites, perSite);
            } finally {
                for (NexusEngine e : engines) {
                    e.close();
                }
            }
        }
    }

    private static NexusEngine engine(EtcdServer etcd, String site, Path dir, int maxBackends)
            throws InterruptedException {
        NexusConfig d = NexusConfig.defaults();
        NexusConfig c = d.withDiscovery(d.discovery().withEnabled(false))
                .withHealthCheck(d.healthCheck().withEnabled(false))
                .withLimits(new NexusConfig.Limits(maxBackends, 2000, 128, 256))
                .withFederation(NexusConfig.Federation.of(List.of(etcd.endpoint()), site)
                        .withFlags(true, true, true, false));
        NexusEngine e = new NexusEngine(c, new EngineOptions(dir.resolve("state-" + site), false));
        e.start();
        await(
                () -> "connected"
                        .equals(Objects.requireNonNull(e.status().federation()).state()),
                20_000);
        return e;
    }

    /** One change at a time on a, timed until b's registry has it. */
    private static void propagation(NexusEngine a, NexusEngine b, int changes) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();
        List<Long> adds = new ArrayList<>();
        List<Long> removals = new ArrayList<>();
        b.registry().subscribe(e -> {
            String key = e.kind() + " " + e.backend().url();
            Long t0 = sentAt.remove(key);
            if (t0 != null) {
                long us = (System.nanoTime() - t0) / 1000;
                (e.kind() == RegistryEvent.Kind.BACKEND_ADDED ? adds : removals).add(us);
                arrived.get(key).countDown();
            }
        });
        for (int i = 0; i < changes; i++) {
            String url = "http://127.0.0.1:" + (20000 + i);
            String key = RegistryEvent.Kind.BACKEND_ADDED + " " + url;
            arrived.put(key, new CountDownLatch(1));
            sentAt.put(key, System.nanoTime());
            var added = a.addManual(url, "bench-" + i, BackendType.OLLAMA, null, null);
            if (!arrived.get(key).await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("add " + i + " did not arrive");
            }
            String gone = RegistryEvent.Kind.GRACE_STARTED + " " + url;
            arrived.put(gone, new CountDownLatch(1));
            sentAt.put(gone, System.nanoTime());
            a.remove(added.id());
            if (!arrived.get(gone).await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("removal " + i + " did not arrive");
            }
            // a quiet spell, so every change is the first of one: the next one is sent by a timer
            CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(QUIET_MS, TimeUnit.MILLISECONDS))
                    .join();
        }
        System.out.printf(
                "propagation a -> b, %d adds: p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
                adds.size(),
                ms(BenchStats.percentile(adds, 50)),
                ms(BenchStats.percentile(adds, 95)),
                ms(BenchStats.percentile(adds, 100)));
        System.out.printf(
                "propagation a -> b, %d removals (grace started): p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
                removals.size(),
                ms(BenchStats.percentile(removals, 50)),
                ms(BenchStats.percentile(removals, 95)),
                ms(BenchStats.percentile(removals, 100)));
    }

    /** More than the publisher's 100 ms coalescing window. */
    private static final long QUIET_MS = 120;

    private static double ms(long us) {
        return us / 1000.0;
    }

    private static void recovery(EtcdServer etcd, NexusEngine a, NexusEngine b) throws Exception {
        etcd.stop();
        await(
                () -> "unreachable"
                                .equals(Objects.requireNonNull(a.status().federation())
                                        .state())
                        && "unreachable"
                                .equals(Objects.requireNonNull(b.status().federation())
                                        .state()),
                20_000);
        long t0 = System.nanoTime();
        etcd.startProcess();
        long up = System.nanoTime();
        await(
                () -> "connected"
                                .equals(Objects.requireNonNull(a.status().federation())
                                        .state())
                        && "connected"
                                .equals(Objects.requireNonNull(b.status().federation())
                                        .state()),
                30_000);
        long connected = System.nanoTime();
        String url = "http://127.0.0.1:19999";
        a.addManual(url, "after-restart", BackendType.OLLAMA, null, null);
        await(() -> b.registry().findByUrl(url).isPresent(), 30_000);
        long propagated = System.nanoTime();
        System.out.printf(
                "recovery after etcd restart: etcd answering %.0f ms after start, both monitors connected %.0f ms"
                        + " after it answered, a new change on b %.0f ms after that%n",
                (up - t0) / 1e6, (connected - up) / 1e6, (propagated - connected) / 1e6);
    }

    /** 10 000 records of 20 sites written straight into etcd, then a new monitor imports them. */
    private static void importMany(EtcdServer etcd, Path dir, int sites, int perSite) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<ObjectNode> ops = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            for (int i = 0; i < perSite; i++) {
                String site = "site" + s;
                String url = "http://127.0.0." + (2 + s) + ":" + (30000 + i);
                ObjectNode rec = JSON.createObjectNode()
                        .put("v", 1)
                        .put("site", site)
                        .put("url", url)
                        .put("name", site + "-box-" + i)
                        .put("type", "ollama")
                        .put("status", "healthy");
                rec.putArray("models").addObject().put("id", "llama3:8b").put("loaded", true);
                rec.put("in_flight", 0).put("priority", 50).put("pinned", false);
                ObjectNode op = JSON.createObjectNode();
                op.putObject("request_put")
                        .put("key", b64("/nexus-monitor/backends/" + site + "/" + s + "-" + i))
                        .put("value", b64(rec.toString()));
                ops.add(op);
            }
        }
        for (int from = 0; from < ops.size(); from += 100) {
            ObjectNode txn = JSON.createObjectNode();
            ArrayNode success = txn.putArray("success");
            ops.subList(from, Math.min(ops.size(), from + 100)).forEach(success::add);
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(etcd.endpoint() + "/v3/kv/txn"))
                            .POST(HttpRequest.BodyPublishers.ofString(txn.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("etcd refused the write: " + r.body());
            }
        }
        int total = sites * perSite;
        System.gc();
        long heapBefore = usedHeap();
        long t0 = System.nanoTime();
        NexusEngine c = engine(etcd, "importer", dir, total + 1000);
        try {
            await(() -> c.registry().size() >= total, 120_000);
            long t1 = System.nanoTime();
            System.gc();
            long heapAfter = usedHeap();
            System.out.printf(
                    "import of %d backends from %d sites: %.0f ms from start to all in the registry, heap +%.1f MB"
                            + " (after GC)%n",
                    total, sites, (t1 - t0) / 1e6, (heapAfter - heapBefore) / 1048576.0);
        } finally {
            c.close();
        }
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Polls every 5 ms (Awaitility) until {@code done}; fails the bench after {@code timeoutMs}. */
    private static void await(BooleanSupplier done, long timeoutMs) {
        Awaitility.await()
                .atMost(Duration.ofMillis(timeoutMs))
                .pollInterval(Duration.ofMillis(5))
                .until(done::getAsBoolean);
    }
}
