package io.nexusmonitor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.control.EngineStatus;
import io.nexusmonitor.json.BackendJson;
import io.nexusmonitor.registry.BackendStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /health}: the service answers, with its version, uptime and backend counts.
 * {@code status} is {@code ok} whenever the service answers at all; whether backends are usable
 * is in the counts, so a load balancer's probe does not flap with the LAN.
 */
final class HealthEndpoint implements Endpoint {
    private final BackendControl control;

    HealthEndpoint(BackendControl control) {
        this.control = control;
    }

    @Override
    public void handle(Exchange exchange) {
        EngineStatus status = control.status();
        Instant now = control.registry().clock().instant();
        Map<BackendStatus, Integer> counts = control.registry().countByStatus();
        ObjectNode o = BackendJson.MAPPER.createObjectNode();
        o.put("status", "ok");
        o.put("version", status.version());
        o.put(
                "uptime_seconds",
                status.startedAt() == null
                        ? 0
                        : Math.max(0, Duration.between(status.startedAt(), now).toSeconds()));
        ObjectNode b = o.putObject("backends");
        b.put("total", control.registry().size());
        for (BackendStatus s : BackendStatus.values()) {
            b.put(s.wire(), counts.getOrDefault(s, 0));
        }
        o.putObject("models").put("total", control.registry().modelIds().size());
        io.nexusmonitor.control.FederationStatus f = status.federation();
        if (f == null) {
            o.putNull("federation");
        } else {
            ObjectNode fo = o.putObject("federation");
            fo.put("state", f.state());
            fo.put("text", f.text());
            fo.put("site", f.site());
            fo.put("etcd_endpoints", f.etcdEndpoints());
            fo.put("other_sites", f.otherSites());
            fo.put("remote_backends", f.remoteBackends());
            fo.put("published", f.published());
            fo.put("conflict", f.conflict());
        }
        exchange.json(200, o);
    }
}
