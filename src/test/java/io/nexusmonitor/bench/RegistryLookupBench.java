package io.nexusmonitor.bench;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.Registry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Issue 2, item 11: registry lookup by model at 1000 backends x 10 models while another thread
 * writes. Target: p99 under 10 us for {@code lookup}. Sample-time mode reports the percentiles.
 *
 * <p>Run: {@code mvn -q -Pbench verify -Dbench.include=RegistryLookupBench}
 */
@State(Scope.Group)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RegistryLookupBench {

    /** 10: every backend has every model (1000 backends per lookup); 100: about 100 per lookup. */
    @Param({"10", "100"})
    int modelPool;

    private Registry registry;
    private List<Backend> all;
    private int readCursor;
    private int writeCursor;

    @Setup(Level.Trial)
    public void setUp() {
        registry = BenchRegistries.healthy(1000, 10, modelPool);
        all = registry.all();
    }

    @Benchmark
    @Group("readWhileWriting")
    @GroupThreads(1)
    public List<Backend> lookup() {
        readCursor = (readCursor + 1) % modelPool;
        return registry.backendsForModel("model-" + readCursor);
    }

    /** The other thread: a steady stream of updates (latency samples) to random backends. */
    @Benchmark
    @Group("readWhileWriting")
    @GroupThreads(1)
    public Object write() {
        writeCursor = (writeCursor + 7) % all.size();
        return registry.update(all.get(writeCursor).id(), "bench", b -> b.withLatencySample(writeCursor % 50));
    }
}
