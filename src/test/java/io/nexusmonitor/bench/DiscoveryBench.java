package io.nexusmonitor.bench;

import io.nexusmonitor.discovery.MdnsDiscovery;
import io.nexusmonitor.discovery.logic.DiscoveryConfig;
import io.nexusmonitor.discovery.logic.DiscoveryEventHandler;
import io.nexusmonitor.discovery.logic.ExecutorDeadlineScheduler;
import io.nexusmonitor.discovery.logic.SubnetFilter;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

/**
 * End-to-end discovery bench over real mDNS packets on 127.0.0.1 (nothing leaves the loopback).
 * A JmDNS responder announces and withdraws services; a passive listener on 224.0.0.251:5353
 * (loopback only, it never sends) timestamps the announcement and the goodbye as they go over the
 * wire; the registry's events timestamp what discovery made of them. Measures:
 * <ul>
 *   <li>announcement packet -> backend in the registry (target p95 <= 20 ms)</li>
 *   <li>goodbye packet -> backend {@code unknown} in its grace period (target <= 1.2 s)</li>
 *   <li>removal time - grace deadline (target within +-250 ms)</li>
 *   <li>how long closing discovery takes</li>
 * </ul>
 * Run: {@code bench/discovery-bench.sh [ROUNDS]} (default 30).
 */
public final class DiscoveryBench {
    private static final String TYPE = "_llm._tcp.local.";
    private static final int WARMUP = 3;

    private final Map<String, Long> announcedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> goodbyeAt = new ConcurrentHashMap<>();
    private final Map<String, Long> addedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> unknownAt = new ConcurrentHashMap<>();
    private final Map<String, Long> removalErrorMs = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> removed = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> added = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> unknown = new ConcurrentHashMap<>();
    private volatile String withdrawing;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        new DiscoveryBench().run(rounds);
        System.exit(0);
    }

    private void run(int rounds) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        Registry registry = new Registry();
        registry.subscribe(this::onEvent);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-scheduler");
            t.setDaemon(true);
            return t;
        });
        // the bench announces on 127.0.0.1: a single-host setup, so loopback addresses are allowed
        DiscoveryConfig config = new DiscoveryConfig(
                true, List.of(TYPE), Duration.ofSeconds(1), List.of("127.0.0.1"), SubnetFilter.any(), false, true);
        DiscoveryEventHandler handler =
                new DiscoveryEventHandler(registry, config, new ExecutorDeadlineScheduler(scheduler, registry.clock()));
        MdnsDiscovery discovery = new MdnsDiscovery(config, handler::handle, scheduler);
        discovery.start();
        Thread sniffer = startSniffer(lo);
        JmDNS responder = JmDNS.create(lo, "bench-responder");
        try {
            for (int i = 0; i < WARMUP; i++) { // JIT and JmDNS warm-up, not counted
                round(responder, "warmup-" + ProcessHandle.current().pid() + "-" + i, 19000 + i);
            }
            for (int i = 0; i < rounds; i++) {
                round(responder, "bench-" + ProcessHandle.current().pid() + "-" + i, 20000 + i);
            }
        } finally {
            responder.close();
            long t0 = System.nanoTime();
            discovery.close();
            long closeMs = (System.nanoTime() - t0) / 1_000_000;
            sniffer.interrupt();
            scheduler.shutdownNow();
            report(rounds, closeMs);
        }
    }

    private void round(JmDNS responder, String name, int port) throws Exception {
        added.put(name, new CountDownLatch(1));
        unknown.put(name, new CountDownLatch(1));
        removed.put(name, new CountDownLatch(1));
        ServiceInfo info = ServiceInfo.create(TYPE, name, port, 0, 0, Map.of("type", "vllm"));
        responder.registerService(info);
        if (!added.get(name).await(15, TimeUnit.SECONDS)) {
            System.out.println(name + ": not discovered within 15 s");
            return;
        }
        withdrawing = name;
        responder.unregisterService(info);
        if (!unknown.get(name).await(15, TimeUnit.SECONDS) || !removed.get(name).await(15, TimeUnit.SECONDS)) {
            System.out.println(name + ": not withdrawn/removed within 15 s");
        }
    }

    private void onEvent(RegistryEvent e) {
        long now = System.nanoTime();
        Backend b = e.backend();
        if (b.mdns() == null) {
            return;
        }
        String name = b.mdns().instance().substring(0, b.mdns().instance().indexOf('.'));
        switch (e.kind()) {
            case BACKEND_ADDED -> {
                addedAt.put(name, now);
                count(added, name);
            }
            case GRACE_STARTED -> {
                unknownAt.put(name, now);
                count(unknown, name);
            }
            case BACKEND_REMOVED -> {
                Backend before = e.previous();
                if (before.graceDeadline() != null) {
                    removalErrorMs.put(
                            name,
                            Duration.between(before.graceDeadline(), e.at()).toMillis());
                }
                count(removed, name);
            }
            default -> {}
        }
    }

    private static void count(Map<String, CountDownLatch> latches, String name) {
        CountDownLatch l = latches.get(name);
        if (l != null) {
            l.countDown();
        }
    }

    /** Listens (never sends) for mDNS responses on the loopback and notes when ours pass by. */
    private Thread startSniffer(InetAddress lo) throws IOException {
        MulticastSocket socket = new MulticastSocket(null);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(5353));
        NetworkInterface nif = NetworkInterface.getByInetAddress(lo);
        socket.joinGroup(new InetSocketAddress(InetAddress.getByName("224.0.0.251"), 5353), nif);
        CountDownLatch ready = new CountDownLatch(1);
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[9000];
                    ready.countDown();
                    while (!Thread.currentThread().isInterrupted()) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        try {
                            socket.receive(p);
                        } catch (SocketException e) {
                            return;
                        } catch (IOException e) {
                            continue;
                        }
                        long now = System.nanoTime();
                        boolean response = (buf[2] & 0x80) != 0;
                        if (!response) {
                            continue;
                        }
                        String text = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
                        for (String name : added.keySet()) {
                            if (!text.contains(name)) {
                                continue;
                            }
                            if (name.equals(withdrawing)) {
                                goodbyeAt.putIfAbsent(name, now);
                            } else {
                                announcedAt.putIfAbsent(name, now);
                            }
                        }
                    }
                    socket.close();
                },
                "bench-sniffer");
        t.setDaemon(true);
        t.start();
        try {
            ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return t;
    }

    private void report(int rounds, long closeMs) {
        List<Double> add = new ArrayList<>();
        List<Double> bye = new ArrayList<>();
        List<Double> err = new ArrayList<>();
        for (String name : added.keySet()) {
            if (name.startsWith("warmup-")) {
                continue;
            }
            Long a = announcedAt.get(name);
            Long r = addedAt.get(name);
            if (a != null && r != null) {
                add.add((r - a) / 1e6);
            }
            Long g = goodbyeAt.get(name);
            Long u = unknownAt.get(name);
            if (g != null && u != null) {
                bye.add((u - g) / 1e6);
            }
            Long e = removalErrorMs.get(name);
            if (e != null) {
                err.add(e.doubleValue());
            }
        }
        System.out.printf("discovery bench, %d rounds over mDNS on 127.0.0.1%n", rounds);
        line("announcement -> registry add (ms)", add);
        line("goodbye -> unknown + grace (ms)", bye);
        line("grace removal - deadline (ms)", err);
        System.out.printf("close discovery: %d ms%n", closeMs);
    }

    private static void line(String what, List<Double> v) {
        if (v.isEmpty()) {
            System.out.printf("%-36s no samples%n", what);
            return;
        }
        Collections.sort(v);
        System.out.printf(
                "%-36s n=%d min=%.1f p50=%.1f p95=%.1f max=%.1f%n",
                what, v.size(), v.get(0), pct(v, 50), pct(v, 95), v.get(v.size() - 1));
        StringBuilder all = new StringBuilder("    samples:");
        v.forEach(x -> all.append(String.format(" %.0f", x)));
        System.out.println(all);
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
