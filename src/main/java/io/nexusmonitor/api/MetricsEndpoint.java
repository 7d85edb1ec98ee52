package io.nexusmonitor.api;

import io.nexusmonitor.metrics.NexusMetrics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;

/** {@code GET /metrics}: Prometheus text format. */
final class MetricsEndpoint implements Endpoint {
    private final NexusMetrics metrics;

    MetricsEndpoint(NexusMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        metrics.writeText(out);
        exchange.response().setStatus(200);
        exchange.response().getHeaders().put(HttpHeader.CONTENT_TYPE, NexusMetrics.textContentType());
        exchange.response().write(true, ByteBuffer.wrap(out.toByteArray()), exchange.callback());
    }
}
