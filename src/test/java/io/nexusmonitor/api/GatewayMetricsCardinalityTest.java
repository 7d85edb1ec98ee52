package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Through the gateway: requests for made-up models do not add {@code /metrics} series. */
class GatewayMetricsCardinalityTest {
    @TempDir
    Path stateDir;

    private TestGateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void randomModelNamesAreCountedAsOther() {
        gw = new TestGateway(stateDir);
        gw.healthy("gpu-a", "http://127.0.0.1:9", 1, "llama3");
        int before = Http.get(gw.base + "/metrics").body().length();
        for (int i = 0; i < 500; i++) {
            HttpResponse<String> r = Http.send(
                    "POST",
                    gw.base + "/v1/chat/completions",
                    "{\"model\":\"" + UUID.randomUUID() + "\"}",
                    "Content-Type",
                    "application/json");
            assertThat(r.statusCode()).isEqualTo(404);
        }

        String text = Http.get(gw.base + "/metrics").body();

        assertThat(text.length()).isLessThan(before + 8 * 1024);
        assertThat(text).contains("nexus_requests_total{backend=\"none\",model=\"other\",status=\"404\"} 500.0");
        assertThat(text.split("\n"))
                .filteredOn(l -> l.startsWith("nexus_requests_total{"))
                .hasSize(1);
    }
}
