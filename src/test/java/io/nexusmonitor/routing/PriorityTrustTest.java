package io.nexusmonitor.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.Registry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Backends added through the API or found by mDNS do not outrank [[backends]] unless the config says so. */
class PriorityTrustTest {
    private final Registry registry = new Registry();

    private Backend backend(String name, BackendSource source, int priority, BackendStatus status) {
        Backend b = registry.add(
                Backend.create(
                        "", name, "http://" + name + ":8000", BackendType.OPENAI, source, priority, Instant.now()),
                "test");
        return registry.update(b.id(), "test", x -> x.withStatus(status).withModels(List.of(ModelInfo.of("llama3"))))
                .orElseThrow();
    }

    private RouteDecision.Route route(NexusConfig.Strategy s, boolean trustAdded) {
        ModelRouter router = new ModelRouter(registry, new NexusConfig.Routing(s, 3, Map.of(), Map.of(), trustAdded));
        return (RouteDecision.Route) router.route("llama3");
    }

    private static List<String> names(RouteDecision.Route r) {
        return r.candidates().stream().map(c -> c.backend().name()).toList();
    }

    @ParameterizedTest
    @EnumSource(NexusConfig.Strategy.class)
    void configBackendsComeFirstWhateverTheOthersPriority(NexusConfig.Strategy strategy) {
        backend("attacker", BackendSource.MANUAL, 0, BackendStatus.HEALTHY);
        backend("announced", BackendSource.MDNS, 0, BackendStatus.HEALTHY);
        backend("config-a", BackendSource.STATIC, 10, BackendStatus.HEALTHY);
        backend("config-b", BackendSource.STATIC, 90, BackendStatus.HEALTHY);

        for (int i = 0; i < 6; i++) { // round robin and random: every turn, every draw
            RouteDecision.Route r = route(strategy, false);
            assertThat(names(r).subList(0, 2)).containsExactlyInAnyOrder("config-a", "config-b");
            assertThat(names(r).subList(2, 4)).containsExactlyInAnyOrder("attacker", "announced");
            assertThat(r.candidates().get(2).reason()).contains("ranked after config backends");
        }
    }

    @ParameterizedTest
    @EnumSource(NexusConfig.Strategy.class)
    void addedBackendsServeWhenNoConfigBackendIsRoutable(NexusConfig.Strategy strategy) {
        backend("config", BackendSource.STATIC, 10, BackendStatus.UNHEALTHY);
        backend("added", BackendSource.MANUAL, 0, BackendStatus.HEALTHY);

        assertThat(names(route(strategy, false))).containsExactly("added");
    }

    @Test
    void trustAddedPriorityLetsEveryPriorityCountAlike() {
        backend("attacker", BackendSource.MANUAL, 0, BackendStatus.HEALTHY);
        backend("config", BackendSource.STATIC, 10, BackendStatus.HEALTHY);

        assertThat(names(route(NexusConfig.Strategy.SMART, true))).containsExactly("attacker", "config");
        assertThat(names(route(NexusConfig.Strategy.PRIORITY_ONLY, true))).containsExactly("attacker", "config");
        assertThat(names(route(NexusConfig.Strategy.SMART, false))).containsExactly("config", "attacker");
    }

    @Test
    void amongAddedBackendsPriorityStillDecides() {
        backend("added-50", BackendSource.MANUAL, 50, BackendStatus.HEALTHY);
        backend("added-1", BackendSource.MDNS, 1, BackendStatus.HEALTHY);
        backend("config", BackendSource.STATIC, 10, BackendStatus.HEALTHY);

        assertThat(names(route(NexusConfig.Strategy.PRIORITY_ONLY, false)))
                .containsExactly("config", "added-1", "added-50");
    }

    @Test
    void theDefaultIsConfigFirst() {
        assertThat(NexusConfig.Routing.defaults().trustAddedPriority()).isFalse();
    }
}
