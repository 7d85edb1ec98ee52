package io.nexusmonitor.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.json.BackendJson;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendSettings.CapacitySource;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Credential;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.testing.FakeBackend;
import io.nexusmonitor.testing.SimulatedLlmBox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 1 and the server's part of item 2: which models each type of server has loaded, and
 * the slots llama.cpp reports, read by real health checks against servers on 127.0.0.1; plus the key
 * a backend needs (item 6) sent with every probe.
 */
class ResidencyTest {
    private static final NexusConfig.HealthCheck SETTINGS = new NexusConfig.HealthCheck(true, 3600, 2, 1, 1);

    private final Registry registry = new Registry();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private HealthChecker checker;

    @AfterEach
    void tearDown() throws Exception {
        if (checker != null) {
            checker.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
        scheduler.shutdownNow();
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }

    private Backend add(String url, BackendType type, BackendSettings settings) {
        if (checker == null) {
            checker = new HealthChecker(registry, SETTINGS, scheduler);
            checker.start();
        }
        return registry.add(
                Backend.create("", "test", url, type, BackendSource.MANUAL, 50, Instant.now())
                        .withSettings(settings),
                "added by test");
    }

    private Backend check(String id) {
        try {
            return checker.checkNow(id).get(10, TimeUnit.SECONDS).orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Boolean> loaded(Backend b) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (ModelInfo m : b.models()) {
            out.put(m.id(), m.loaded());
        }
        return out;
    }

    @Test
    void ollamaMarksWhatApiPsListsAndFollowsItOnTheNextCheck() {
        FakeBackend ollama =
                closeLater(FakeBackend.ollama().models("llama3:8b", "qwen2:7b").loaded("llama3:8b"));
        Backend b = add(ollama.url(), BackendType.OLLAMA, BackendSettings.DEFAULTS);
        assertThat(loaded(check(b.id()))).containsExactly(Map.entry("llama3:8b", true), Map.entry("qwen2:7b", false));

        ollama.loaded("qwen2:7b"); // a request made the box swap models
        assertThat(loaded(check(b.id()))).containsExactly(Map.entry("llama3:8b", false), Map.entry("qwen2:7b", true));
        assertThat(BackendJson.toJson(registry.get(b.id()).orElseThrow(), Instant.now())
                        .path("models")
                        .get(1)
                        .path("loaded")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void theSimulatedBoxsResidentModelsAreTheLoadedOnes() {
        SimulatedLlmBox box = closeLater(SimulatedLlmBox.builder("box")
                .models("m1", "m2")
                .resident("m2")
                .loadTime(Duration.ofMillis(200))
                .start());
        Backend b = check(
                add(box.url(), BackendType.OLLAMA, BackendSettings.DEFAULTS).id());
        assertThat(loaded(b)).containsEntry("m1", false).containsEntry("m2", true);
    }

    @Test
    void vllmServesWhatItListsSoEveryModelIsLoaded() {
        FakeBackend vllm = closeLater(FakeBackend.vllm().models("mistral"));
        Backend b = check(
                add(vllm.url(), BackendType.VLLM, BackendSettings.DEFAULTS).id());
        assertThat(loaded(b)).containsExactly(Map.entry("mistral", true));
    }

    @Test
    void genericAndExoServersLeaveLoadedUnknown() {
        FakeBackend generic = closeLater(FakeBackend.openai().models("x"));
        Backend b = check(add(generic.url(), BackendType.GENERIC, BackendSettings.DEFAULTS)
                .id());
        assertThat(b.models()).singleElement().extracting(ModelInfo::loaded).isNull();
        assertThat(BackendJson.toJson(b, Instant.now())
                        .path("models")
                        .get(0)
                        .path("loaded")
                        .isNull())
                .isTrue();
    }

    @Test
    void lmStudioReadsEachModelsStateFromApiV0() {
        FakeBackend lms = closeLater(FakeBackend.start(FakeBackend.Flavor.LMSTUDIO)
                .models("qwen", "phi")
                .loaded("phi"));
        Backend b = check(
                add(lms.url(), BackendType.LMSTUDIO, BackendSettings.DEFAULTS).id());
        assertThat(loaded(b)).containsExactly(Map.entry("qwen", false), Map.entry("phi", true));
        assertThat(b.lastError()).isNull();
    }

    @Test
    void lmStudioWithoutApiV0IsHealthyWithLoadedUnknown() {
        FakeBackend old = closeLater(FakeBackend.openai().models("qwen"));
        Backend b = check(
                add(old.url(), BackendType.LMSTUDIO, BackendSettings.DEFAULTS).id());
        assertThat(b.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(b.lastError()).isNull();
        assertThat(b.models()).singleElement().extracting(ModelInfo::loaded).isNull();
    }

    @Test
    void llamaCppReportsItsSlotsAsServerCapacityAndItsBusySlots() {
        FakeBackend llama = closeLater(FakeBackend.llamacpp().models("m.gguf").slots(4, 1));
        Backend b = check(
                add(llama.url(), BackendType.LLAMACPP, BackendSettings.DEFAULTS).id());
        assertThat(b.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(loaded(b)).containsExactly(Map.entry("m.gguf", true));
        assertThat(b.capacity()).isEqualTo(4);
        assertThat(b.settings().capacitySource()).isEqualTo(CapacitySource.SERVER);
        assertThat(b.settings().serverBusy()).isEqualTo(1);
        var json = BackendJson.toJson(b, Instant.now());
        assertThat(json.path("capacity").asInt()).isEqualTo(4);
        assertThat(json.path("capacity_source").asText()).isEqualTo("server");
        assertThat(json.path("server_busy").asInt()).isEqualTo(1);

        llama.slots(2, 2);
        Backend again = check(b.id());
        assertThat(again.capacity()).isEqualTo(2);
        assertThat(again.settings().serverBusy()).isEqualTo(2);
    }

    @Test
    void aConfiguredCapacityIsNotOverwrittenByTheServersReport() {
        FakeBackend llama = closeLater(FakeBackend.llamacpp().models("m.gguf").slots(8, 0));
        Backend b = check(
                add(llama.url(), BackendType.LLAMACPP, BackendSettings.DEFAULTS.withCapacity(2, CapacitySource.CONFIG))
                        .id());
        assertThat(b.capacity()).isEqualTo(2);
        assertThat(b.settings().capacitySource()).isEqualTo(CapacitySource.CONFIG);
        assertThat(b.settings().serverBusy()).isZero();
    }

    @Test
    void llamaCppWithoutPropsAndSlotsIsHealthyAndQuiet() {
        FakeBackend llama = closeLater(FakeBackend.llamacpp().models("m.gguf"));
        llama.on("GET", "/props", FakeBackend.Reply.error(404, "not found"));
        llama.on("GET", "/slots", FakeBackend.Reply.error(501, "This server does not support slots endpoint."));
        Backend b = check(
                add(llama.url(), BackendType.LLAMACPP, BackendSettings.DEFAULTS).id());
        assertThat(b.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(b.lastError()).isNull();
        assertThat(b.capacity()).isNull();
        assertThat(b.settings().serverBusy()).isNull();
    }

    @Test
    void aBackendThatNeedsAKeyIsUnhealthyWithoutItAndHealthyWithIt() {
        FakeBackend vllm = closeLater(FakeBackend.vllm().models("mistral").requireKey("sk-test-123"));
        Backend without = check(
                add(vllm.url(), BackendType.VLLM, BackendSettings.DEFAULTS).id());
        assertThat(without.status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(without.lastError()).contains("401").doesNotContain("sk-test-123");

        FakeBackend llama = closeLater(FakeBackend.llamacpp().models("m.gguf").requireKey("sk-test-123"));
        Backend with = check(add(
                        llama.url(),
                        BackendType.LLAMACPP,
                        BackendSettings.DEFAULTS.withCredential(Credential.of("sk-test-123")))
                .id());
        assertThat(with.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(with.capacity()).isEqualTo(1); // /props and /slots got the key too
        assertThat(llama.requests())
                .allSatisfy(r -> assertThat(r.headers()).containsEntry("authorization", "Bearer sk-test-123"));
        assertThat(vllm.requests()).allSatisfy(r -> assertThat(r.headers()).doesNotContainKey("authorization"));
    }

    @Test
    void aLlamaCppServerLoadingAgainHasNoModelLoadedUntilItIsReady() {
        FakeBackend llama = closeLater(FakeBackend.llamacpp().models("m.gguf"));
        Backend b = check(
                add(llama.url(), BackendType.LLAMACPP, BackendSettings.DEFAULTS).id());
        assertThat(loaded(b)).containsExactly(Map.entry("m.gguf", true));
        llama.loading(true);
        Backend loading = check(b.id());
        assertThat(loading.status()).isEqualTo(BackendStatus.LOADING);
        assertThat(loaded(loading)).containsExactly(Map.entry("m.gguf", false));
        llama.loading(false);
        assertThat(loaded(check(b.id()))).containsExactly(Map.entry("m.gguf", true));
    }
}
