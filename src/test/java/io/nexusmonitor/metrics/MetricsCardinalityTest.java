package io.nexusmonitor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.Registry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code /metrics} cannot be grown at will: model labels are bounded and series of what is gone are dropped. */
class MetricsCardinalityTest {
    private static final Pattern MODEL = Pattern.compile("nexus_requests_total\\{[^}]*model=\"([^\"]*)\"");

    private final Registry registry = new Registry();
    private final NexusMetrics metrics = new NexusMetrics(registry);

    private Backend backend(String name, String... models) {
        Backend b = registry.add(
                Backend.create(
                        "",
                        name,
                        "http://" + name + ":8000",
                        BackendType.OPENAI,
                        BackendSource.MANUAL,
                        50,
                        Instant.now()),
                "test");
        return registry.update(
                        b.id(),
                        "probe",
                        x -> x.withModels(java.util.Arrays.stream(models)
                                .map(ModelInfo::of)
                                .toList()))
                .orElseThrow();
    }

    private String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeText(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Set<String> models(String text) {
        Set<String> out = new java.util.TreeSet<>();
        Matcher m = MODEL.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void twentyThousandUnknownModelsAreOneOtherSeries() throws IOException {
        backend("gpu-a", "llama3");
        for (int i = 0; i < 20_000; i++) {
            metrics.recordRequest(null, UUID.randomUUID().toString(), "404", 0.001);
        }
        metrics.recordRequest("gpu-a", "llama3", "200", 0.01);

        String text = scrape();

        assertThat(text.length()).isLessThan(200 * 1024);
        assertThat(models(text)).containsExactlyInAnyOrder("other", "llama3");
        assertThat(text).contains("nexus_requests_total{backend=\"none\",model=\"other\",status=\"404\"} 20000.0");
    }

    @Test
    void atMostAThousandListedModelsGetTheirOwnLabel() throws IOException {
        String[] many = IntStream.range(0, 1500).mapToObj(i -> "model-" + i).toArray(String[]::new);
        backend("big", many);
        for (String m : many) {
            metrics.recordRequest("big", m, "200", 0.01);
        }

        Set<String> labelled = models(scrape());

        assertThat(labelled).hasSize(NexusMetrics.MODEL_LABEL_LIMIT + 1).contains("other");
    }

    @Test
    void seriesOfVanishedModelsAndBackendsAreDroppedAtTheNextScrape() throws IOException {
        Backend a = backend("gpu-a", "llama3", "qwen2");
        backend("gpu-b", "phi3");
        metrics.recordRequest("gpu-a", "llama3", "200", 0.01);
        metrics.recordRequest("gpu-a", "qwen2", "200", 0.01);
        metrics.recordRequest("gpu-b", "phi3", "200", 0.01);
        assertThat(models(scrape())).containsExactlyInAnyOrder("llama3", "qwen2", "phi3");

        registry.update(a.id(), "probe", x -> x.withModels(List.of(ModelInfo.of("llama3"))));
        assertThat(models(scrape())).containsExactlyInAnyOrder("llama3", "phi3");

        registry.remove(a.id(), "test");
        String text = scrape();
        assertThat(models(text)).containsExactly("phi3");
        assertThat(text).doesNotContain("backend=\"gpu-a\"");
        assertThat(text).contains("nexus_request_duration_seconds_count{backend=\"gpu-b\"} 1");
    }

    @Test
    void configuredAliasNamesKeepTheirLabel() throws IOException {
        backend("gpu-a", "llama3:70b");
        metrics.labelConfiguredModels(List.of("gpt-4"));
        metrics.recordRequest("gpu-a", "gpt-4", "200", 0.01);
        metrics.recordRequest(null, null, "413", 0.01);

        assertThat(models(scrape())).containsExactlyInAnyOrder("gpt-4", "");
    }

    @Test
    void aModelThatReturnsGetsItsLabelAgain() throws IOException {
        Backend a = backend("gpu-a", "llama3");
        metrics.recordRequest("gpu-a", "llama3", "200", 0.01);
        registry.update(a.id(), "probe", x -> x.withModels(List.of()));
        metrics.recordRequest("gpu-a", "llama3", "503", 0.01);
        assertThat(models(scrape())).containsExactly("other");

        registry.update(a.id(), "probe", x -> x.withModels(List.of(ModelInfo.of("llama3"))));
        metrics.recordRequest("gpu-a", "llama3", "200", 0.01);
        List<String> lines = new ArrayList<>();
        for (String l : scrape().split("\n")) {
            if (l.startsWith("nexus_requests_total{")) {
                lines.add(l);
            }
        }
        assertThat(lines)
                .containsExactlyInAnyOrder(
                        "nexus_requests_total{backend=\"gpu-a\",model=\"other\",status=\"503\"} 1.0",
                        "nexus_requests_total{backend=\"gpu-a\",model=\"llama3\",status=\"200\"} 1.0");
    }
}
