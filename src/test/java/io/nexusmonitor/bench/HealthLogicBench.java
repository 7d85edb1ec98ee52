package io.nexusmonitor.bench;

import io.nexusmonitor.health.logic.CheckResult;
import io.nexusmonitor.health.logic.HealthCounters;
import io.nexusmonitor.health.logic.HealthThresholds;
import io.nexusmonitor.health.logic.HealthUpdate;
import io.nexusmonitor.health.logic.ModelListException;
import io.nexusmonitor.health.logic.ModelListParser;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU a health check spends outside the network: reading a model list and applying the result.
 * At 1000 backends every 30 s this runs 33 times a second.
 *
 * <p>Run: {@code mvn -q -Pbench verify -Dbench.include=HealthLogicBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HealthLogicBench {

    /** Models in the list: a small box, a well-stocked Ollama, a big OpenAI-compatible catalogue. */
    @Param({"2", "50", "500"})
    int models;

    private byte[] ollamaTags;
    private byte[] openAiList;
    private Backend backend;
    private CheckResult success;
    private final HealthThresholds thresholds = new HealthThresholds(3, 2);

    @Setup(Level.Trial)
    public void setUp() throws ModelListException {
        StringBuilder tags = new StringBuilder("{\"models\":[");
        StringBuilder list = new StringBuilder("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < models; i++) {
            String sep = i == 0 ? "" : ",";
            tags.append(sep)
                    .append("{\"name\":\"model-")
                    .append(i)
                    .append(":8b\",\"model\":\"model-")
                    .append(i)
                    .append(":8b\",\"modified_at\":\"2026-11-24T18:00:00Z\",\"size\":4661224676,\"digest\":\"sha256:")
                    .append("0123456789abcdef".repeat(4))
                    .append("\",\"details\":{\"format\":\"gguf\",\"family\":\"llama\",")
                    .append("\"families\":[\"llama\"],\"parameter_size\":\"8.0B\",\"quantization_level\":\"Q4_0\"}}");
            list.append(sep)
                    .append("{\"id\":\"org/model-")
                    .append(i)
                    .append("\",\"object\":\"model\",\"created\":1700000000,")
                    .append("\"owned_by\":\"vllm\",\"max_model_len\":32768,\"permission\":[]}");
        }
        ollamaTags = tags.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        openAiList = list.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        List<ModelInfo> parsed = ModelListParser.ollamaTags(ollamaTags);
        backend = Backend.create(
                        "id", "b", "http://127.0.0.1:11434", BackendType.OLLAMA, BackendSource.MDNS, 50, Instant.EPOCH)
                .withStatus(BackendStatus.HEALTHY)
                .withModels(parsed);
        success = new CheckResult(CheckResult.Outcome.SUCCESS, parsed, null, null, 3.0);
    }

    @Benchmark
    public List<ModelInfo> parseOllamaTags() throws ModelListException {
        return ModelListParser.ollamaTags(ollamaTags);
    }

    @Benchmark
    public List<ModelInfo> parseOpenAiList() throws ModelListException {
        return ModelListParser.openAiModels(openAiList);
    }

    @Benchmark
    public HealthUpdate applyResult() {
        return HealthUpdate.apply(
                backend, success, HealthCounters.start(BackendStatus.HEALTHY), thresholds, Instant.EPOCH);
    }
}
