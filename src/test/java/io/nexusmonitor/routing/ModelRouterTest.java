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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelRouterTest {
    private final Registry registry = new Registry();

    private Backend backend(String name, int priority, BackendStatus status, String... models) {
        Backend b = registry.add(Backend.create("", name, "http://" + name + ":8000", BackendType.OPENAI,
                BackendSource.MANUAL, priority, Instant.now()), "test");
        return registry.update(b.id(), "test", x -> x.withStatus(status)
                .withModels(Arrays.stream(models).map(ModelInfo::of).toList())).orElseThrow();
    }

    private static NexusConfig.Routing routing(NexusConfig.Strategy s, int retries, Map<String, String> aliases,
                                               Map<String, List<String>> fallbacks) {
        return new NexusConfig.Routing(s, retries, aliases, fallbacks);
    }

    private ModelRouter router(NexusConfig.Strategy s) {
        return new ModelRouter(registry, routing(s, 2, Map.of(), Map.of()));
    }

    private static List<String> names(RouteDecision d) {
        assertThat(d).isInstanceOf(RouteDecision.Route.class);
        return ((RouteDecision.Route) d).candidates().stream().map(c -> c.backend().name()).toList();
    }

    @Test
    void routesOnlyToHealthyApprovedBackendsThatListTheModel() {
        backend("healthy", 10, BackendStatus.HEALTHY, "llama3");
        backend("sick", 1, BackendStatus.UNHEALTHY, "llama3");
        backend("loading", 1, BackendStatus.LOADING, "llama3");
        backend("other-model", 1, BackendStatus.HEALTHY, "qwen2");
        Backend unapproved = backend("unapproved", 1, BackendStatus.HEALTHY, "llama3");
        registry.update(unapproved.id(), "require_approval", b -> b.withApproved(false));

        assertThat(names(router(NexusConfig.Strategy.SMART).route("llama3"))).containsExactly("healthy");
    }

    @Test
    void smartPrefersPriorityThenLoadThenLatencyAndCutsToTheRetryBudget() {
        backend("p2", 2, BackendStatus.HEALTHY, "m");
        Backend busy = backend("p1-busy", 1, BackendStatus.HEALTHY, "m");
        Backend slow = backend("p1-slow", 1, BackendStatus.HEALTHY, "m");
        backend("p1-fast", 1, BackendStatus.HEALTHY, "m");
        registry.requestStarted(busy.id());
        registry.requestStarted(busy.id());
        registry.update(slow.id(), "probe", b -> b.withLatencySample(150));

        RouteDecision d = router(NexusConfig.Strategy.SMART).route("m");

        assertThat(names(d)).containsExactly("p1-fast", "p1-slow", "p1-busy");
        assertThat(((RouteDecision.Route) d).candidates().get(0).reason()).startsWith("smart: priority 1, 0 in flight");
    }

    @Test
    void smartLetsAnIdleSlowBackendBeatABusyFastOne() {
        Backend fast = backend("fast-busy", 1, BackendStatus.HEALTHY, "m");
        Backend slow = backend("slow-idle", 1, BackendStatus.HEALTHY, "m");
        registry.update(fast.id(), "probe", b -> b.withLatencySample(10));
        registry.update(slow.id(), "probe", b -> b.withLatencySample(100));
        registry.requestStarted(fast.id());

        assertThat(names(router(NexusConfig.Strategy.SMART).route("m")).get(0)).isEqualTo("slow-idle");
    }

    @Test
    void roundRobinGivesEveryBackendATurn() {
        backend("a", 1, BackendStatus.HEALTHY, "m");
        backend("b", 5, BackendStatus.HEALTHY, "m");
        backend("c", 9, BackendStatus.HEALTHY, "m");
        ModelRouter r = router(NexusConfig.Strategy.ROUND_ROBIN);

        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            List<String> order = names(r.route("m"));
            assertThat(order).hasSize(3).doesNotHaveDuplicates();
            firsts.add(order.get(0));
        }
        assertThat(firsts).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void priorityOnlyAlwaysPicksTheLowestPriorityNumber() {
        backend("second", 2, BackendStatus.HEALTHY, "m");
        backend("first", 1, BackendStatus.HEALTHY, "m");
        ModelRouter r = router(NexusConfig.Strategy.PRIORITY_ONLY);

        for (int i = 0; i < 5; i++) {
            assertThat(names(r.route("m"))).containsExactly("first", "second");
        }
    }

    @Test
    void randomNeverOffersTheSameBackendTwice() {
        for (int i = 0; i < 5; i++) {
            backend("b" + i, 1, BackendStatus.HEALTHY, "m");
        }
        ModelRouter r = new ModelRouter(registry, routing(NexusConfig.Strategy.RANDOM, 4, Map.of(), Map.of()));

        for (int i = 0; i < 20; i++) {
            assertThat(names(r.route("m"))).hasSize(5).doesNotHaveDuplicates();
        }
    }

    @Test
    void aliasChainsResolveToTheFinalModel() {
        backend("big", 1, BackendStatus.HEALTHY, "llama3:70b");
        ModelRouter r = new ModelRouter(registry, routing(NexusConfig.Strategy.SMART, 2,
                Map.of("gpt-4", "llama3", "llama3", "llama3:70b"), Map.of()));

        RouteDecision.Route route = (RouteDecision.Route) r.route("gpt-4");

        assertThat(route.model()).isEqualTo("llama3:70b");
        assertThat(route.fallbackModel()).isNull();
        assertThat(route.via()).isEqualTo("alias gpt-4 -> llama3 -> llama3:70b");
    }

    @Test
    void aliasLoopDoesNotSpin() {
        AliasResolver a = new AliasResolver(Map.of("x", "y", "y", "x"));
        assertThat(a.chain("x")).containsExactly("x", "y");
    }

    @Test
    void fallbacksAreTriedInOrderWhenNoHealthyBackendHasTheModel() {
        backend("sick-70b", 1, BackendStatus.UNHEALTHY, "llama3:70b");
        backend("sick-qwen", 1, BackendStatus.UNHEALTHY, "qwen2:72b");
        backend("mixtral-box", 1, BackendStatus.HEALTHY, "mixtral");
        backend("small-box", 1, BackendStatus.HEALTHY, "llama3:8b");
        ModelRouter r = new ModelRouter(registry, routing(NexusConfig.Strategy.SMART, 2, Map.of(),
                Map.of("llama3:70b", List.of("qwen2:72b", "mixtral", "llama3:8b"))));

        RouteDecision.Route route = (RouteDecision.Route) r.route("llama3:70b");

        assertThat(route.model()).isEqualTo("mixtral");
        assertThat(route.fallbackModel()).isEqualTo("mixtral");
        assertThat(names(route)).containsExactly("mixtral-box");
        assertThat(route.via()).contains("fallback llama3:70b -> mixtral");
    }

    @Test
    void fallbackIsUsedWhenNoBackendListsTheModelAtAll() {
        backend("small-box", 1, BackendStatus.HEALTHY, "llama3:8b");
        ModelRouter r = new ModelRouter(registry, routing(NexusConfig.Strategy.SMART, 2, Map.of(),
                Map.of("llama3:70b", List.of("llama3:8b"))));

        assertThat(((RouteDecision.Route) r.route("llama3:70b")).fallbackModel()).isEqualTo("llama3:8b");
    }

    @Test
    void unknownModelIsModelNotFoundNamingKnownModels() {
        backend("a", 1, BackendStatus.HEALTHY, "llama3");

        RouteDecision d = router(NexusConfig.Strategy.SMART).route("gpt-5");

        assertThat(d).isInstanceOf(RouteDecision.NoRoute.class);
        RouteDecision.NoRoute no = (RouteDecision.NoRoute) d;
        assertThat(no.reason()).isEqualTo(RouteDecision.Reason.MODEL_NOT_FOUND);
        assertThat(no.message()).contains("gpt-5", "llama3");
    }

    @Test
    void listedButUnroutableIsNoHealthyBackendWithTheReason() {
        Backend sick = backend("gpu-a", 1, BackendStatus.UNHEALTHY, "llama3");
        registry.update(sick.id(), "probe", b -> b.withLastError("connection refused"));
        Backend waiting = backend("gpu-b", 1, BackendStatus.HEALTHY, "llama3");
        registry.update(waiting.id(), "require_approval", b -> b.withApproved(false));

        RouteDecision.NoRoute no = (RouteDecision.NoRoute) router(NexusConfig.Strategy.SMART).route("llama3");

        assertThat(no.reason()).isEqualTo(RouteDecision.Reason.NO_HEALTHY_BACKEND);
        assertThat(no.message()).contains("gpu-a (unhealthy: connection refused)", "gpu-b (awaiting approval");
    }

    @Test
    void retryBudgetIsMaxRetriesPlusOne() {
        for (int i = 0; i < 6; i++) {
            backend("b" + i, 1, BackendStatus.HEALTHY, "m");
        }
        ModelRouter r = new ModelRouter(registry, routing(NexusConfig.Strategy.SMART, 0, Map.of(), Map.of()));

        assertThat(names(r.route("m"))).hasSize(1);
    }
}
