package io.nexusmonitor.health;

import io.nexusmonitor.gpu.GpuStatusJson;
import io.nexusmonitor.health.logic.Failure;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.GpuReport;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.Registry;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Polls {@code announce --status-port} (TXT {@code status_port}) with the health checks (issue 17):
 * after a check that found the backend up, one {@code GET /status} on the backend's own address
 * (the one it is probed at), with the check's timeout, no redirects and a body cap. What it answers
 * becomes the backend's {@link GpuReport}, the fresh figures shown instead of the TXT summary. A
 * poll that fails (not reachable, a timeout, not JSON) is a line in the backend's history when its
 * reason changes, and the report says why; it never makes the backend unhealthy.
 */
final class GpuStatusPoller {
    /** TXT key: the announcer's status endpoint port. */
    static final String TXT_STATUS_PORT = "status_port";

    private final Registry registry;
    private final Prober prober;
    private final int timeoutSeconds;
    /** One poll per backend at a time. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    GpuStatusPoller(Registry registry, Prober prober, int timeoutSeconds) {
        this.registry = Objects.requireNonNull(registry);
        this.prober = Objects.requireNonNull(prober);
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The port a backend's announcement gives for its status endpoint; null when none (or not a port). */
    static @Nullable Integer statusPort(Backend b) {
        MdnsInfo md = b.mdns();
        String v = md == null ? null : md.txt().get(TXT_STATUS_PORT);
        if (v == null || !v.strip().matches("\\d{1,5}")) {
            return null;
        }
        int p = Integer.parseInt(v.strip());
        return p >= 1 && p <= 65535 ? p : null;
    }

    /** The status endpoint's URL on the backend's own host; null when the backend has no status port. */
    static @Nullable String statusUrl(Backend b) {
        Integer port = statusPort(b);
        if (port == null) {
            return null;
        }
        String host = URI.create(b.url()).getHost(); // an IPv6 literal keeps its brackets
        return host == null ? null : "http://" + host + ":" + port + GpuStatusJson.PATH;
    }

    /** After a check: polls when the backend is up and announces a status port; drops a report it no longer has. */
    void afterCheck(Backend b) {
        String url = statusUrl(b);
        if (url == null) {
            if (b.gpuReport() != null) {
                registry.update(b.id(), "no status endpoint announced", x -> x.withGpuReport(null));
            }
            return;
        }
        if (b.status() != BackendStatus.HEALTHY && b.status() != BackendStatus.LOADING) {
            return; // a box that does not answer its probe would not answer this either
        }
        if (!inFlight.add(b.id())) {
            return;
        }
        String where = URI.create(url).getAuthority();
        prober.fetch(url, GpuStatusJson.MAX_BYTES).whenComplete((answer, error) -> {
            try {
                Instant now = registry.clock().instant();
                GpuReport report;
                if (error != null) {
                    report = GpuReport.failed(
                            Objects.requireNonNullElse(
                                    Failure.of(error, timeoutSeconds, where).sentence(), "it could not be reached"),
                            now);
                } else if (answer.status() != 200) {
                    report = GpuReport.failed(
                            Objects.requireNonNullElse(
                                    Failure.http(answer.status(), answer.reason(), GpuStatusJson.PATH)
                                            .sentence(),
                                    "HTTP " + answer.status()),
                            now);
                } else {
                    report = parse(answer.body(), now);
                }
                record(b.id(), report);
            } finally {
                inFlight.remove(b.id());
            }
        });
    }

    private static GpuReport parse(byte[] body, Instant now) {
        try {
            GpuStatusJson.Status s = GpuStatusJson.parse(body);
            return GpuReport.read(s.gpus(), s.readAt(), now);
        } catch (GpuStatusJson.BadStatus e) {
            return GpuReport.failed(Objects.requireNonNullElse(e.getMessage(), "its answer cannot be read"), now);
        }
    }

    /** Writes the report; a new reason for failing, or answering again after failing, is a history line. */
    private void record(String id, GpuReport report) {
        Backend now = registry.get(id).orElse(null);
        if (now == null) {
            return;
        }
        GpuReport before = now.gpuReport();
        boolean wasFailing = before != null && !before.ok();
        String beforeProblem = before == null ? null : before.problem();
        if (!report.ok() && (!wasFailing || !Objects.equals(beforeProblem, report.problem()))) {
            registry.updateNoted(id, "GPU status not read: " + report.problem(), x -> x.withGpuReport(report));
        } else if (report.ok() && wasFailing) {
            registry.updateNoted(id, "GPU status read again", x -> x.withGpuReport(report));
        } else {
            registry.update(id, "GPU status", x -> x.withGpuReport(report));
        }
    }
}
