package io.nexusmonitor.bench;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.Registry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the registries the benchmarks run on. */
final class BenchRegistries {
    private BenchRegistries() {}

    /**
     * {@code backends} healthy backends with {@code modelsEach} models each, drawn round-robin from a
     * pool of {@code modelPool} model ids: pool == modelsEach puts every model on every backend
     * (the worst case: a thousand candidates per lookup); a bigger pool spreads them out.
     */
    static Registry healthy(int backends, int modelsEach, int modelPool) {
        Registry r = new Registry();
        Instant now = Instant.now();
        for (int i = 0; i < backends; i++) {
            List<ModelInfo> models = new ArrayList<>(modelsEach);
            for (int m = 0; m < modelsEach; m++) {
                models.add(ModelInfo.of("model-" + ((i + m) % modelPool)));
            }
            int n = i;
            Backend b = r.add(
                    Backend.create(
                            "",
                            "b" + i,
                            "http://10.0." + (i / 250) + "." + (i % 250) + ":11434",
                            BackendType.OLLAMA,
                            BackendSource.MANUAL,
                            1 + (i % 3),
                            now),
                    "bench");
            r.update(
                    b.id(),
                    "bench",
                    x -> x.withStatus(BackendStatus.HEALTHY).withModels(models).withLatencySample(5 + (n % 40)));
        }
        return r;
    }
}
