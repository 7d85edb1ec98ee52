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
        Backend b = registry.add(
                Backend.create(
                        "",
                        name,
                        "http://" + name + ":8000",
                        BackendType.OPENAI,
                        BackendSource.MANUAL,
                        priority,
                        Instant.now()),
                "test");
        return registry.update(
                        b.id(),
                        "test",
                        x -> x.withStatus(status)
                                .withModels(
                                        Arrays.stream(models).map(ModelInfo::of).toList()))
                .orElseThrow();
    }

    private static NexusConfig.Routing routing(
            NexusConfig.Strategy s, int retries, Map<String, String> aliases, Map<String, List<String>> fallbacks) {
        return new NexusConfig.Routing(s, retries, aliases, fallbacks);
    }

    private ModelRouter router(NexusConfig.Strategy s) {
        return new ModelRouter(registry, routing(s, 2, Map.of(), Map.of()));
    }

    private static List<String> names(RouteDecision d) {
        assertThat(d).isInstanceOf(RouteDecision.Route.class);
        return ((RouteDecision.Route) d)
                .candidates().stream().map(c -> c.backend().name()).toList();
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
    void smartBreaksEqualPredictionsByPriorityAndCutsToTheRetryBudget() {
        backend("p9", 9, BackendStatus.HEALTHY, "m");
        backend("p2", 2, BackendStatus.HEALTHY, "m");
        backend("p1", 1, BackendStatus.HEALTHY, "m");
        backend("p5", 5, BackendStatus.HEALTHY, "m");

        RouteDecision d = router(NexusConfig.Strategy.SMART).route("m");

        // nothing measured yet: every prediction is the default, so priority decides
        assertThat(names(d)).containsExactly("p1", "p2", "p5");
        assertThat(((RouteDecision.Route) d).candidates().get(0).reason())
                .isEqualTo(
                        "p1: m loaded, 0 in flight, predicted first token 0.5 s (p2: m loaded, 0 in flight, ~0.5 s), "
                                + "best of 4, manual ranked after config backends");
    }

    @Test
    void smartSpillsFromABackendAtCapacityAndWaitsWhenAllAreFull() {
        Backend first = backend("first", 1, BackendStatus.HEALTHY, "m");
        Backend second = backend("second", 2, BackendStatus.HEALTHY, "m");
        for (Backend b : List.of(first, second)) {
            registry.update(
                    b.id(),
                    "config",
                    x -> x.withSettings(x.settings()
                            .withCapacity(1, io.nexusmonitor.registry.BackendSettings.CapacitySource.CONFIG)));
        }
        ModelRouter r = router(NexusConfig.Strategy.SMART);

        r.stats().start(registry.get(first.id()).orElseThrow(), "m");
        RouteDecision.Route spilled = (RouteDecision.Route) r.route("m");
        assertThat(names(spilled)).containsExactly("second", "first");
        assertThat(spilled.mustWait()).isFalse();
        assertThat(spilled.candidates().get(1).reason()).startsWith("first: m loaded, 1/1 busy");

        r.stats().start(registry.get(second.id()).orElseThrow(), "m");
        assertThat(((RouteDecision.Route) r.route("m")).mustWait()).isTrue();
    }

    @Test
    void smartPrefersALoadedModelOverOneThatMustLoad() {
        Backend cold = backend("cold", 1, BackendStatus.HEALTHY, "m");
        backend("warm", 5, BackendStatus.HEALTHY, "m");
        registry.update(cold.id(), "probe", b -> b.withModels(List.of(new ModelInfo("m", null, false, List.of()))));

        RouteDecision.Route d =
                (RouteDecision.Route) router(NexusConfig.Strategy.SMART).route("m");

        assertThat(names(d)).containsExactly("warm", "cold");
        assertThat(d.candidates().get(0).reason())
                .startsWith("warm: m loaded, 0 in flight, predicted first token 0.5 s (cold: must load m, ~10.5 s)");
    }

    @Test
    void smartsRememberedKeysFollowEveryChangeBetweenDecisions() {
        Backend a = backend("a", 1, BackendStatus.HEALTHY, "m");
        Backend b = backend("b", 2, BackendStatus.HEALTHY, "m");
        backend("c", 3, BackendStatus.HEALTHY, "m");
        registry.update(
                a.id(),
                "config",
                x -> x.withSettings(
                        x.settings().withCapacity(1, io.nexusmonitor.registry.BackendSettings.CapacitySource.CONFIG)));
        ModelRouter r = router(NexusConfig.Strategy.SMART);
        assertThat(names(r.route("m"))).containsExactly("a", "b", "c");
        assertThat(names(r.route("m"))).containsExactly("a", "b", "c"); // the same, from the remembered keys

        RouteStats.Flight f = r.stats().start(registry.get(a.id()).orElseThrow(), "m"); // a is full
        assertThat(names(r.route("m"))).containsExactly("b", "c", "a");
        f.end(false);
        assertThat(names(r.route("m"))).containsExactly("a", "b", "c");

        registry.update(a.id(), "probe", x -> x.withModels(List.of(new ModelInfo("m", null, false, List.of()))));
        assertThat(names(r.route("m"))).containsExactly("b", "c", "a"); // a must load m now
        registry.update(
                b.id(),
                "edit",
                x -> x.withProfile(new Backend.Profile(
                        x.name(), x.type(), x.source(), x.pinned(), x.approved(), 9, x.configLocation(), x.addedAt())));
        assertThat(names(r.route("m"))).containsExactly("c", "b", "a");

        registry.remove(b.id(), "test");
        backend("d", 0, BackendStatus.HEALTHY, "m");
        assertThat(names(r.route("m"))).containsExactly("d", "c", "a"); // the list changed: realigned
        assertThat(names(r.route("m"))).containsExactly("d", "c", "a");

        Backend c = registry.backendsForModel("m").stream()
                .filter(x -> x.name().equals("c"))
                .findFirst()
                .orElseThrow();
        registry.update(c.id(), "probe", x -> x.withStatus(BackendStatus.UNHEALTHY));
        assertThat(names(r.route("m"))).containsExactly("d", "a");
        registry.update(c.id(), "probe", x -> x.withStatus(BackendStatus.HEALTHY));
        assertThat(names(r.route("m"))).containsExactly("d", "c", "a");
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
        ModelRouter r = new ModelRouter(
                registry,
                routing(NexusConfig.Strategy.SMART, 2, Map.of("gpt-4", "llama3", "llama3", "llama3:70b"), Map.of()));

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
        ModelRouter r = new ModelRouter(
                registry,
                routing(
                        NexusConfig.Strategy.SMART,
                        2,
                        Map.of(),
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
        ModelRouter r = new ModelRouter(
                registry, routing(NexusConfig.Strategy.SMART, 2, Map.of(), Map.of("llama3:70b", List.of("llama3:8b"))));

        assertThat(((RouteDecision.Route) r.route("llama3:70b")).fallbackModel())
                .isEqualTo("llama3:8b");
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

        RouteDecision.NoRoute no =
                (RouteDecision.NoRoute) router(NexusConfig.Strategy.SMART).route("llama3");

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
