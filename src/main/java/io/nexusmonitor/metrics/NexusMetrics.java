package io.nexusmonitor.metrics;

import io.nexusmonitor.gpu.GpuSummary;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.Registry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The numbers {@code GET /metrics} exposes, in one Prometheus registry of our own (not the
 * global default, so two engines in one JVM, as in tests, do not share counts). The gateway,
 * the health checker and discovery record into it through the plain methods below; nothing here
 * knows about HTTP servers.
 *
 * <p>Label values come from clients and backends, so they are bounded: a request's model gets its
 * own {@code model} label only while some backend in the registry lists it (or the config names it
 * as an alias or fallback), and for at most {@value #MODEL_LABEL_LIMIT} distinct models; any other
 * model is counted as {@value #OTHER}. Each scrape drops the series of models no backend lists any
 * more and of backend names no backend carries any more, so churn cannot grow the output forever.
 */
public final class NexusMetrics {
    /** The {@code model} label of requests for models no backend lists (or beyond the limit). */
    public static final String OTHER = "other";
    /** At most this many distinct models get their own label. */
    public static final int MODEL_LABEL_LIMIT = 1000;
    /** The {@code backend} label when no backend was chosen. */
    private static final String NO_BACKEND = "none";

    /** Request durations from 5 ms to 5 min: LLM answers range from cached embeddings to long generations. */
    private static final double[] DURATION_BUCKETS = {
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300
    };

    /** Time to first token from 5 ms (a warm small model on the LAN) to 2 min (a large model loading). */
    private static final double[] TTFT_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

    private final Registry registry;
    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram duration;
    private final Counter discoveryEvents;
    private final Counter healthChecks;
    private final Histogram ttft;
    private final Counter tokens;
    /** Models that have their own label now. */
    private final Set<String> labelled = ConcurrentHashMap.newKeySet();
    /** Names the config gives models (aliases, fallback keys): labelled although no backend lists them. */
    private volatile Set<String> configured = Set.of();

    /**
     * Counters and histograms are built without exemplars: there is no trace to link them to, and a
     * sampler re-arms itself on Prometheus' own timer thread after each observation (a wake-up per
     * health check).
     */
    public NexusMetrics(Registry registry) {
        this.registry = registry;
        requests = Counter.builder()
                .withoutExemplars()
                .name("nexus_requests_total")
                .help("Gateway requests by backend name, requested model (other: a model no backend lists) and HTTP "
                        + "status (none: no backend was chosen)")
                .labelNames("backend", "model", "status")
                .register(prometheus);
        duration = Histogram.builder()
                .withoutExemplars()
                .name("nexus_request_duration_seconds")
                .help("Gateway request duration, from the request to the last byte of the answer")
                .labelNames("backend")
                .classicOnly()
                .classicUpperBounds(DURATION_BUCKETS)
                .register(prometheus);
        discoveryEvents = Counter.builder()
                .withoutExemplars()
                .name("nexus_discovery_events_total")
                .help("mDNS discovery events by kind (found, removed, expired, ignored, ...)")
                .labelNames("kind")
                .register(prometheus);
        ttft = Histogram.builder()
                .withoutExemplars()
                .name("nexus_time_to_first_token_seconds")
                .help("Time from sending a request to the backend to the first content token of its answer (the first "
                        + "byte for an answer that is not streamed), successful requests, by backend name and model")
                .labelNames("backend", "model")
                .classicOnly()
                .classicUpperBounds(TTFT_BUCKETS)
                .register(prometheus);
        tokens = Counter.builder()
                .withoutExemplars()
                .name("nexus_tokens_total")
                .help("Tokens through the gateway by backend name, model and direction (in: prompt, out: completion; "
                        + "out includes counts estimated from stream chunks where the backend sent no usage)")
                .labelNames("backend", "model", "direction")
                .register(prometheus);
        healthChecks = Counter.builder()
                .withoutExemplars()
                .name("nexus_health_checks_total")
                .help("Health checks by result (ok, loading, failed, timeout, ...)")
                .labelNames("result")
                .register(prometheus);
        GaugeWithCallback.builder()
                .name("nexus_backends")
                .help("Backends in the registry by status")
                .labelNames("status")
                .callback(cb -> {
                    for (Map.Entry<BackendStatus, Integer> e :
                            registry.countByStatus().entrySet()) {
                        cb.call(e.getValue(), e.getKey().wire());
                    }
                })
                .register(prometheus);
        registerGpuGauges();
    }

    /**
     * {@code [federation]}: whether etcd answers, the other sites and their backends, and the
     * writes, watch events and reconnects so far; read from {@code status} at each scrape. Only
     * registered when the section is there.
     */
    public void registerFederation(java.util.function.Supplier<io.nexusmonitor.control.FederationStatus> status) {
        GaugeWithCallback.builder()
                .name("nexus_federation_connected")
                .help("1 while etcd answers ([federation]), else 0")
                .callback(cb -> cb.call(status.get().state().equals("connected") ? 1 : 0))
                .register(prometheus);
        GaugeWithCallback.builder()
                .name("nexus_federation_other_sites")
                .help("Sites other than this one that publish backends through etcd")
                .callback(cb -> cb.call(status.get().otherSites()))
                .register(prometheus);
        GaugeWithCallback.builder()
                .name("nexus_federation_remote_backends")
                .help("Backends other sites publish through etcd")
                .callback(cb -> cb.call(status.get().remoteBackends()))
                .register(prometheus);
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
                .name("nexus_federation_writes_total")
                .help("Keys this monitor put or deleted in etcd")
                .callback(cb -> cb.call(status.get().writes()))
                .register(prometheus);
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
                .name("nexus_federation_events_total")
                .help("Changes of other sites this monitor read from etcd (watch events and range reads)")
                .callback(cb -> cb.call(status.get().events()))
                .register(prometheus);
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
                .name("nexus_federation_reconnects_total")
                .help("Times etcd answered again after being out of reach")
                .callback(cb -> cb.call(status.get().reconnects()))
                .register(prometheus);
    }

    /**
     * VRAM per GPU host from its announced TXT summary ({@code announce}): one series per backend
     * that announces GPUs, labelled by backend name (the first of equal names), read at each scrape.
     */
    private void registerGpuGauges() {
        GaugeWithCallback.builder()
                .name("nexus_gpu_vram_bytes")
                .help("VRAM of the backend's host, summed over its GPUs, as its announce says (TXT vram_mb)")
                .labelNames("backend")
                .callback(cb -> gpuSummaries().forEach((b, g) -> {
                    if (g.vramMb() != null) {
                        cb.call(g.vramMb() * 1024.0 * 1024.0, b);
                    }
                }))
                .register(prometheus);
        GaugeWithCallback.builder()
                .name("nexus_gpu_vram_used_bytes")
                .help("VRAM in use on the backend's host, summed over its GPUs (TXT vram_used_mb)")
                .labelNames("backend")
                .callback(cb -> gpuSummaries().forEach((b, g) -> {
                    if (g.usedMb() != null) {
                        cb.call(g.usedMb() * 1024.0 * 1024.0, b);
                    }
                }))
                .register(prometheus);
        GaugeWithCallback.builder()
                .name("nexus_gpus")
                .help("GPUs on the backend's host (TXT gpus)")
                .labelNames("backend")
                .callback(cb -> gpuSummaries().forEach((b, g) -> cb.call(g.count(), b)))
                .register(prometheus);
    }

    private Map<String, GpuSummary> gpuSummaries() {
        Map<String, GpuSummary> out = new java.util.LinkedHashMap<>();
        for (io.nexusmonitor.registry.Backend b : registry.all()) {
            GpuSummary g = GpuSummary.of(b);
            if (g != null) {
                out.putIfAbsent(b.name(), g);
            }
        }
        return out;
    }

    /** Seconds a request waited in the gateway's queue: 10 ms to 5 min. */
    private static final double[] WAIT_BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

    private volatile @Nullable Histogram queueWait;
    private volatile @Nullable Counter queueRefused;

    /**
     * The gateway's queue: {@code nexus_queue_depth{model}} (waiting now), {@code
     * nexus_queue_wait_seconds} (wait of each request the queue dispatched), {@code
     * nexus_queue_refused_total{reason}} ({@code full}: 429, {@code timeout}: 503, {@code asleep}: 503
     * {@code backend_asleep}); and requests in
     * flight through the gateway per backend ({@code nexus_backend_in_flight{backend}}).
     *
     * @param depths   model -> requests waiting now
     * @param inFlight backend name -> requests in flight now
     */
    public void registerQueue(
            java.util.function.Supplier<Map<String, Integer>> depths,
            java.util.function.Supplier<Map<String, Integer>> inFlight) {
        GaugeWithCallback.builder()
                .name("nexus_queue_depth")
                .help("Requests waiting in the gateway's queue, by requested model")
                .labelNames("model")
                .callback(cb -> depths.get().forEach((m, n) -> cb.call(n, modelLabel(m))))
                .register(prometheus);
        GaugeWithCallback.builder()
                .name("nexus_backend_in_flight")
                .help("Requests in flight through the gateway, by backend name")
                .labelNames("backend")
                .callback(cb -> inFlight.get().forEach((b, n) -> cb.call(n, b)))
                .register(prometheus);
        queueWait = Histogram.builder()
                .withoutExemplars()
                .name("nexus_queue_wait_seconds")
                .help("How long each request dispatched from the gateway's queue waited in it")
                .classicOnly()
                .classicUpperBounds(WAIT_BUCKETS)
                .register(prometheus);
        queueRefused = Counter.builder()
                .withoutExemplars()
                .name("nexus_queue_refused_total")
                .help("Requests the gateway's queue refused: full (429 queue_full), timeout (503 queue_timeout) or"
                        + " asleep (503 backend_asleep)")
                .labelNames("reason")
                .register(prometheus);
    }

    /** A request left the queue for a backend after waiting this long. */
    public void recordQueueWait(double seconds) {
        Histogram h = queueWait;
        if (h != null) {
            h.observe(Math.max(0, seconds));
        }
    }

    /** The queue refused a request: {@code full}, {@code timeout} or {@code asleep}. */
    public void recordQueueRefused(String reason) {
        Counter c = queueRefused;
        if (c != null) {
            c.labelValues(reason).inc();
        }
    }

    /** Model names from the config (aliases, fallbacks) that keep their own label though no backend lists them. */
    public void labelConfiguredModels(Collection<String> names) {
        configured = Set.copyOf(names);
    }

    /** One gateway request ended: which backend served it (or {@code none}), for which model, with which status. */
    public void recordRequest(@Nullable String backend, @Nullable String model, String status, double seconds) {
        String b = backend == null ? NO_BACKEND : backend;
        requests.labelValues(b, modelLabel(model), status).inc();
        duration.labelValues(b).observe(Math.max(0, seconds));
    }

    /** One request the gateway finished with a backend: its time to first token and its tokens. */
    public void recordFinished(io.nexusmonitor.stats.RequestRecord r) {
        String model = modelLabel(r.model());
        if (r.outcome() == io.nexusmonitor.stats.Outcome.OK) {
            long first = r.firstTokenNanos() >= 0 ? r.firstTokenNanos() : r.firstByteNanos();
            if (first >= 0) {
                ttft.labelValues(r.backendName(), model).observe(first / 1e9);
            }
        }
        if (r.promptTokens() > 0) {
            tokens.labelValues(r.backendName(), model, "in").inc(r.promptTokens());
        }
        if (r.completionTokens() > 0) {
            tokens.labelValues(r.backendName(), model, "out").inc(r.completionTokens());
        }
    }

    /** The {@code model} label for a requested model: itself while it is known (see the class), else {@value #OTHER}. */
    String modelLabel(@Nullable String model) {

        if (model == null) {
            return "";
        }
        if (!known(model)) {
            return OTHER;
        }
        if (labelled.contains(model)) {
            return model;
        }
        if (labelled.size() >= MODEL_LABEL_LIMIT) {
            return OTHER;
        }
        labelled.add(model);
        return model;
    }

    private boolean known(String model) {
        return registry.listsModel(model) || configured.contains(model);
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

    /** Writes every metric in the Prometheus text format (0.0.4), after dropping series of what is gone. */
    public void writeText(OutputStream out) throws IOException {
        prune();
        PrometheusTextFormatWriter.create().write(out, prometheus.scrape());
    }

    /** Drops the series of models and backend names the registry no longer has. */
    void prune() {
        labelled.removeIf(m -> !known(m));
        requests.removeIf(labels -> goneBackend(labels.get(0)) || goneModel(labels.get(1)));
        duration.removeIf(labels -> goneBackend(labels.get(0)));
        ttft.removeIf(labels -> goneBackend(labels.get(0)) || goneModel(labels.get(1)));
        tokens.removeIf(labels -> goneBackend(labels.get(0)) || goneModel(labels.get(1)));
    }

    private boolean goneBackend(String name) {
        return !name.equals(NO_BACKEND) && !registry.hasName(name);
    }

    private boolean goneModel(String model) {
        return !model.isEmpty() && !model.equals(OTHER) && !labelled.contains(model);
    }
}
