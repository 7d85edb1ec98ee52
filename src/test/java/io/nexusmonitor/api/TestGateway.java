package io.nexusmonitor.api;

import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.metrics.NexusMetrics;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.Registry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/** An engine (API off) plus an {@link ApiServer} over it on 127.0.0.1, port 0, with settings a test chooses. */
final class TestGateway implements AutoCloseable {
    final NexusEngine engine;
    final NexusMetrics metrics;
    final ApiServer api;
    final String base;

    TestGateway(Path stateDir, NexusConfig.Routing routing, UnaryOperator<ApiSettings> tune) {
        this(stateDir, io.nexusmonitor.api.TestConfigs.quiet(), routing, tune);
    }

    /** The engine and the server both run this config, as the application would. */
    TestGateway(Path stateDir, NexusConfig config) {
        this(stateDir, config, config.routing(), s -> s);
    }

    private TestGateway(
            Path stateDir, NexusConfig config, NexusConfig.Routing routing, UnaryOperator<ApiSettings> tune) {
        engine = new NexusEngine(config, new EngineOptions(stateDir, false));
        engine.start();
        metrics = new NexusMetrics(engine.registry());
        // as the engine serves it: the token is the state dir's api-token file (created here)
        api = new ApiServer(
                        engine,
                        tune.apply(ApiSettings.from(config.server(), stateDir)),
                        routing,
                        metrics,
                        config.healthCheck())
                .start();
        base = api.address().replace("0.0.0.0", "127.0.0.1");
    }

    TestGateway(Path stateDir) {
        this(stateDir, NexusConfig.Routing.defaults(), s -> s);
    }

    /** The bearer token changes need (the state dir's api-token file, or the tuned settings' token). */
    String token() {
        return api.settings().apiToken();
    }

    /** {@code Authorization: Bearer <token>} as header name and value, for {@code Http.send(..., gw.auth())}. */
    String[] auth() {
        return new String[] {"Authorization", "Bearer " + token()};
    }

    /** {@link #auth()} plus {@code Content-Type: application/json}: what a change through the API sends. */
    String[] jsonAuth() {
        return new String[] {"Authorization", "Bearer " + token(), "Content-Type", "application/json"};
    }

    Registry registry() {
        return engine.registry();
    }

    /** A healthy backend at this URL serving these models, with this priority. */
    Backend healthy(String name, String url, int priority, String... models) {
        return backend(name, url, priority, BackendStatus.HEALTHY, models);
    }

    Backend backend(String name, String url, int priority, BackendStatus status, String... models) {
        Backend b = registry()
                .add(
                        Backend.create(
                                "", name, url, BackendType.OPENAI, BackendSource.MANUAL, priority, Instant.now()),
                        "test");
        return registry()
                .update(
                        b.id(),
                        "probe",
                        x -> x.withStatus(status)
                                .withModels(
                                        Arrays.stream(models).map(ModelInfo::of).toList()))
                .orElseThrow();
    }

    Backend get(String id) {
        return registry().get(id).orElseThrow();
    }

    @Override
    public void close() {
        api.close();
        engine.close();
    }
}
