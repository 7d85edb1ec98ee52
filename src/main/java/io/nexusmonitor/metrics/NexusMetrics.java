package io.nexusmonitor.metrics;

import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.Registry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * The numbers {@code GET /metrics} exposes, in one Prometheus registry of our own (not the
 * global default, so two engines in one JVM, as in tests, do not share counts). The gateway,
 * the health checker and discovery record into it through the plain methods below; nothing here
 * knows about HTTP servers.
 */
public final class NexusMetrics {
    /** Request durations from 5 ms to 5 min: LLM answers range from cached embeddings to long generations. */
    private static final double[] DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
        120, 300};

    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram duration;
    private final Counter discoveryEvents;
    private final Counter healthChecks;

    public NexusMetrics(Registry registry) {
        requests = Counter.builder().name("nexus_requests_total")
                .help("Gateway requests by backend name, requested model and HTTP status (none: no backend was chosen)")
                .labelNames("backend", "model", "status").register(prometheus);
        duration = Histogram.builder().name("nexus_request_duration_seconds")
                .help("Gateway request duration, from the request to the last byte of the answer")
                .labelNames("backend").classicOnly().classicUpperBounds(DURATION_BUCKETS).register(prometheus);
        discoveryEvents = Counter.builder().name("nexus_discovery_events_total")
                .help("mDNS discovery events by kind (found, removed, expired, ignored, ...)")
                .labelNames("kind").register(prometheus);
        healthChecks = Counter.builder().name("nexus_health_checks_total")
                .help("Health checks by result (ok, loading, failed, timeout, ...)")
                .labelNames("result").register(prometheus);
        GaugeWithCallback.builder().name("nexus_backends")
                .help("Backends in the registry by status")
                .labelNames("status")
                .callback(cb -> {
                    for (Map.Entry<BackendStatus, Integer> e : registry.countByStatus().entrySet()) {
                        cb.call(e.getValue(), e.getKey().wire());
                    }
                }).register(prometheus);
    }

    /** One gateway request ended: which backend served it (or {@code none}), for which model, with which status. */
    public void recordRequest(String backend, String model, String status, double seconds) {
        String b = backend == null ? "none" : backend;
        requests.labelValues(b, model == null ? "" : model, status).inc();
        duration.labelValues(b).observe(Math.max(0, seconds));
    }

    /** One discovery event ({@code found}, {@code removed}, {@code expired}, {@code ignored}, ...). */
    public void recordDiscoveryEvent(String kind) {
        discoveryEvents.labelValues(kind).inc();
    }

    /** One health check ended with this result ({@code ok}, {@code loading}, {@code failed}, {@code timeout}, ...). */
    public void recordHealthCheck(String result) {
        healthChecks.labelValues(result).inc();
    }

    /** The content type of {@link #writeText}. */
    public static String textContentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** Writes every metric in the Prometheus text format (0.0.4). */
    public void writeText(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, prometheus.scrape());
    }
}
