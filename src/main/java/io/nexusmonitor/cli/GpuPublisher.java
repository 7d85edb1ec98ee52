package io.nexusmonitor.cli;

import io.nexusmonitor.discovery.Announcer;
import io.nexusmonitor.gpu.GpuProbe;
import io.nexusmonitor.gpu.GpuStatusJson;
import io.nexusmonitor.gpu.GpuSummary;
import io.nexusmonitor.registry.GpuReading;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code announce}'s GPU reports: reads the host's GPUs at start and every {@value #REFRESH_SECONDS} s,
 * keeps the last reading for the status endpoint, and re-announces the TXT summary when it changed.
 */
final class GpuPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GpuPublisher.class);
    /** TXT key: the port of the status endpoint. */
    static final String STATUS_PORT = "status_port";

    static final long REFRESH_SECONDS = 60;

    private final GpuProbe probe;
    private final Map<String, String> base;
    private volatile GpuStatusJson.Status snapshot = new GpuStatusJson.Status(List.of(), Instant.now());
    private @Nullable ScheduledExecutorService timer;

    GpuPublisher(GpuProbe probe, Map<String, String> base) {
        this.probe = probe;
        this.base = Map.copyOf(base);
        this.order = List.copyOf(base.keySet());
    }

    private final List<String> order;

    /** Reads the GPUs now and returns the TXT records: the base ones, then the GPU summary (none without GPUs). */
    Map<String, String> readNow() {
        List<GpuReading> gpus = probe.read();
        snapshot = new GpuStatusJson.Status(gpus, Instant.now());
        Map<String, String> records = new LinkedHashMap<>();
        order.forEach(k -> records.put(k, base.get(k)));
        GpuSummary s = GpuSummary.of(gpus);
        if (s != null) {
            s.toTxt().forEach(records::putIfAbsent);
        }
        return records;
    }

    GpuStatusJson.Status snapshot() {
        return snapshot;
    }

    /** Re-reads periodically and gives the announcer the new records. */
    synchronized void start(Announcer announcer) {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "announce-gpu");
            th.setDaemon(true);
            return th;
        });
        var unused = t.scheduleWithFixedDelay(
                () -> {
                    try {
                        announcer.updateTxt(readNow());
                    } catch (RuntimeException e) {
                        log.warn("reading GPUs failed: {}", e.getMessage());
                    }
                },
                REFRESH_SECONDS,
                REFRESH_SECONDS,
                TimeUnit.SECONDS);
        timer = t;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
