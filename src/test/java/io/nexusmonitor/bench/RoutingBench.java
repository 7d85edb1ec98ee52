package io.nexusmonitor.bench;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.routing.ModelRouter;
import io.nexusmonitor.routing.RouteDecision;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 5, item 9: one routing decision (alias resolution, candidate selection, strategy, retry
 * plan of max_retries + 1) at 1000 backends x 10 models. Target: p99 at most 20 us.
 *
 * <p>Run: {@code mvn -q -Pbench verify -Dbench.include=RoutingBench}; only the 1000-candidate
 * {@code smart} case, in about a minute:
 * {@code mvn -q -Pbench verify -Dbench.include='RoutingBench.route$' -Dbench.args='-f 1 -wi 3 -w 5 -i 5 -r 5 -p strategy=SMART -p modelPool=10'}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoutingBench {

    @Param({"SMART", "ROUND_ROBIN", "PRIORITY_ONLY", "RANDOM"})
    NexusConfig.Strategy strategy;

    /** 10: every backend has every model (1000 candidates per decision); 100: about 100. */
    @Param({"10", "100"})
    int modelPool;

    private ModelRouter router;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        Registry registry = BenchRegistries.healthy(1000, 10, modelPool);
        router = new ModelRouter(
                registry,
                new NexusConfig.Routing(
                        strategy, 2, Map.of("gpt-4", "model-1"), Map.of("missing", List.of("model-2"))));
    }

    @Benchmark
    public RouteDecision route() {
        cursor = (cursor + 1) % modelPool;
        return router.route("model-" + cursor);
    }

    /** {@link #route} plus the X-Nexus-Route-Reason text of the chosen candidate, which the proxy builds when it answers. */
    @Benchmark
    public String routeWithReason() {
        cursor = (cursor + 1) % modelPool;
        RouteDecision d = router.route("model-" + cursor);
        return d instanceof RouteDecision.Route r ? r.candidates().get(0).reason() : "";
    }

    /**
     * A control with no memory traffic, about as long as a 1000-candidate decision (p50 ~6 us): on
     * a shared machine its p99 shows how much of the decision's p99 is the scheduler's preemption.
     */
    @Benchmark
    public void controlCpuOnly() {
        Blackhole.consumeCPU(CONTROL_TOKENS);
    }

    static final long CONTROL_TOKENS = Long.getLong("bench.controlTokens", 2500);

    @Benchmark
    public RouteDecision routeAlias() {
        return router.route("gpt-4");
    }
}
