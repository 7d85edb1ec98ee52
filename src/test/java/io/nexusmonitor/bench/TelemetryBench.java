package io.nexusmonitor.bench;

import io.nexusmonitor.metrics.NexusMetrics;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.stats.Outcome;
import io.nexusmonitor.stats.RequestRecord;
import io.nexusmonitor.stats.Telemetry;
import io.nexusmonitor.stats.UsageRequest;
import io.nexusmonitor.stats.UsageScanner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU the telemetry adds to one proxied request, the work bench/gateway.sh's request causes:
 * the request-body check for {@code stream_options}, reading the answer's usage, and recording
 * the finished request (aggregates and Prometheus series). The budget is 2 µs in all.
 *
 * <p>Run: {@code mvn -q -Pbench verify -Dbench.include=TelemetryBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TelemetryBench {
    private static final byte[] BODY = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    /** bench/gateway-rig.sh's fixed answer, with a usage block as real servers send. */
    private static final byte[] ANSWER =
            ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"model\":\"bench\","
                            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                            + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1,\"total_tokens\":10}}")
                    .getBytes(StandardCharsets.UTF_8);

    private Telemetry telemetry;
    private Backend backend;

    @Setup(Level.Trial)
    public void setUp() {
        Registry registry = new Registry();
        backend = registry.add(
                Backend.create(
                        "", "bench", "http://127.0.0.1:9", BackendType.OPENAI, BackendSource.MANUAL, 1, Instant.now()),
                "bench");
        registry.update(
                backend.id(),
                "probe",
                b -> b.withStatus(BackendStatus.HEALTHY).withModels(List.of(ModelInfo.of("bench"))));
        telemetry = new Telemetry();
        NexusMetrics metrics = new NexusMetrics(registry);
        telemetry.addListener(metrics::recordFinished);
    }

    /** Everything the telemetry adds to one request of the gateway benchmark. */
    @Benchmark
    public boolean perRequest() {
        boolean ask = UsageRequest.shouldAsk(BODY);
        UsageScanner scan = new UsageScanner(false, false);
        scan.filter(ByteBuffer.wrap(ANSWER));
        UsageScanner.Usage u = scan.usage();
        telemetry
                .listener()
                .finished(new RequestRecord(
                        backend.id(),
                        backend.url(),
                        backend.name(),
                        "bench",
                        System.currentTimeMillis(),
                        150_000,
                        150_000,
                        300_000,
                        u.promptTokens(),
                        u.completionTokens(),
                        u.estimated(),
                        Outcome.OK));
        return ask;
    }

    @Benchmark
    public UsageScanner.Usage scanAnswer() {
        UsageScanner scan = new UsageScanner(false, false);
        scan.filter(ByteBuffer.wrap(ANSWER));
        return scan.usage();
    }

    @Benchmark
    public void record() {
        telemetry
                .listener()
                .finished(new RequestRecord(
                        backend.id(),
                        backend.url(),
                        backend.name(),
                        "bench",
                        System.currentTimeMillis(),
                        150_000,
                        150_000,
                        300_000,
                        9,
                        1,
                        false,
                        Outcome.OK));
    }
}
