package io.nexusmonitor.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.HistoryEntry;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.testing.FakeBackend;
import io.nexusmonitor.testing.FakeBackend.Model;
import io.nexusmonitor.testing.FakeBackend.Reply;
import io.nexusmonitor.testing.SelfSignedKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The checker against real HTTP servers on 127.0.0.1. */
class HealthCheckerTest {
    /** A long interval: periodic rounds stay out of the way; tests drive checks with checkNow. */
    private static final NexusConfig.HealthCheck SETTINGS = new NexusConfig.HealthCheck(true, 3600, 1, 3, 2);
    /** A JVM's first TLS handshake can take more than the 1 s of {@link #SETTINGS} on a loaded machine. */
    private static final NexusConfig.HealthCheck TLS_SETTINGS = new NexusConfig.HealthCheck(true, 3600, 10, 3, 2);

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

    private HealthChecker start(NexusConfig.HealthCheck settings) {
        checker = new HealthChecker(registry, settings, scheduler);
        checker.start();
        return checker;
    }

    private FakeBackend fake(FakeBackend b) {
        closing.add(b);
        return b;
    }

    private Backend add(String url, BackendType type) {
        return registry.add(
                Backend.create("", "test", url, type, BackendSource.MANUAL, 50, Instant.now()), "added by test");
    }

    private Backend awaitChecked(String id) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get(id).orElseThrow().lastHealthCheck() != null);
        return check(id);
    }

    /** Runs one check to its end (waiting for one already running) and returns the backend as written. */
    private Backend check(String id) {
        try {
            return checker.checkNow(id).get(10, TimeUnit.SECONDS).orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> ids(Backend b) {
        return b.models().stream().map(ModelInfo::id).toList();
    }

    @Test
    void addedOllamaBackendIsCheckedAtOnceAndBecomesHealthyWithItsModels() {
        FakeBackend ollama = fake(FakeBackend.ollama()
                .models(List.of(new Model("llama3:8b", 8192, true, List.of()), Model.of("qwen2:7b"))));
        start(SETTINGS);
        Backend b = add(ollama.url(), BackendType.OLLAMA);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get(b.id()).orElseThrow().status() == BackendStatus.HEALTHY);
        Backend now = registry.get(b.id()).orElseThrow();
        assertThat(now.models())
                .containsExactly(
                        // the fake's /api/tags gives every model a size of 4 661 224 676 bytes
                        new ModelInfo("llama3:8b", 8192, true, List.of(), 4_661_224_676L),
                        new ModelInfo("qwen2:7b", null, false, List.of(), 4_661_224_676L));
        assertThat(now.avgLatencyMs()).isNotNull();
        assertThat(now.lastError()).isNull();
        assertThat(now.history()).extracting(HistoryEntry::cause).contains("health check passed");
        assertThat(ollama.hits("/api/tags")).isEqualTo(2); // the first check warms up once (ProbeLatencyTest)
        assertThat(ollama.hits("/api/ps")).isEqualTo(1);
        FakeBackend.Recorded probe = ollama.requests().get(0);
        assertThat(probe.method()).isEqualTo("GET");
        assertThat(probe.headers()).containsEntry("accept", "application/json");
        assertThat(probe.headers().get("user-agent")).startsWith("nexus-monitor/");
    }

    @Test
    void backendsAlreadyRegisteredAreCheckedWhenTheCheckerStarts() {
        FakeBackend vllm = fake(FakeBackend.vllm().models("mistral-7b"));
        Backend b = add(vllm.url(), BackendType.VLLM);
        start(SETTINGS);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get(b.id()).orElseThrow().status() == BackendStatus.HEALTHY);
    }

    @Test
    void vllmModelsCarryTheirMaxModelLen() {
        FakeBackend vllm = fake(FakeBackend.vllm().models(List.of(new Model("mistral-7b", 32768, false, List.of()))));
        start(SETTINGS);
        Backend b = awaitChecked(add(vllm.url(), BackendType.VLLM).id());
        assertThat(b.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(b.models())
                .containsExactly(new ModelInfo("mistral-7b", 32768, true, List.of())); // vLLM serves what it lists
    }

    @Test
    void openAiUrlThatAlreadyEndsInV1IsNotDoubled() {
        FakeBackend openai = fake(FakeBackend.openai().models("gpt-local"));
        start(SETTINGS);
        Backend b = awaitChecked(add(openai.url() + "/v1", BackendType.OPENAI).id());
        assertThat(b.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(openai.hits("/v1/models")).isPositive();
        assertThat(openai.hits("/v1/v1/models")).isZero();
    }

    @Test
    void exoLmStudioAndGenericServersAreReadFromTheOpenAiList() {
        start(SETTINGS);
        for (FakeBackend.Flavor flavor :
                List.of(FakeBackend.Flavor.EXO, FakeBackend.Flavor.LMSTUDIO, FakeBackend.Flavor.OPENAI)) {
            FakeBackend f =
                    fake(FakeBackend.start(flavor).models(List.of(new Model("m-" + flavor, 4096, false, List.of()))));
            BackendType type = flavor == FakeBackend.Flavor.EXO
                    ? BackendType.EXO
                    : flavor == FakeBackend.Flavor.LMSTUDIO ? BackendType.LMSTUDIO : BackendType.GENERIC;
            Backend b = awaitChecked(add(f.url(), type).id());
            assertThat(b.status()).isEqualTo(BackendStatus.HEALTHY);
            // LM Studio's own /api/v0/models says not-loaded; exo and generic servers leave it unknown
            assertThat(b.models())
                    .containsExactly(new ModelInfo(
                            "m-" + flavor,
                            4096,
                            flavor == FakeBackend.Flavor.LMSTUDIO ? Boolean.FALSE : null,
                            List.of()));
        }
    }

    @Test
    void llamaCppIsProbedOnHealthThenModelsWithContextAndCapabilities() {
        FakeBackend llama = fake(FakeBackend.llamacpp()
                .models(List.of(new Model("qwen2.5-7b.gguf", 32768, false, List.of("completion", "tools")))));
        start(SETTINGS);
        Backend b = awaitChecked(add(llama.url(), BackendType.LLAMACPP).id());
        assertThat(b.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(b.models())
                .containsExactly(new ModelInfo("qwen2.5-7b.gguf", 32768, true, List.of("completion", "tools")));
        assertThat(llama.requests())
                .extracting(FakeBackend.Recorded::path)
                .startsWith("/health", "/health", "/v1/models"); // a first check warms up once
    }

    @Test
    void llamaCppLoadingModelIsLoadingNotAFailureAndHealthyOnceLoaded() {
        FakeBackend llama = fake(FakeBackend.llamacpp().models("m.gguf").loading(true));
        start(SETTINGS);
        Backend b = awaitChecked(add(llama.url(), BackendType.LLAMACPP).id());
        assertThat(b.status()).isEqualTo(BackendStatus.LOADING);
        assertThat(b.lastError()).isNull();

        llama.loading(false);
        Backend after = check(b.id());
        assertThat(after.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(after.models()).extracting(ModelInfo::id).containsExactly("m.gguf");
        assertThat(after.history()).extracting(HistoryEntry::cause).contains("loading model", "model loaded");
    }

    @Test
    void slowAnswerWithinTheTimeoutIsHealthyAndItsLatencyRecorded() {
        FakeBackend slow = fake(FakeBackend.openai().models("m").delay(Duration.ofMillis(300)));
        start(new NexusConfig.HealthCheck(true, 3600, 5, 3, 2));
        Backend b = awaitChecked(add(slow.url(), BackendType.OPENAI).id());
        assertThat(b.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(b.avgLatencyMs()).isGreaterThanOrEqualTo(300.0);
    }

    @Test
    void hangingBackendTimesOutAndNewBackendFailsAtOnce() {
        FakeBackend hung = fake(FakeBackend.openai().models("m").hang());
        start(SETTINGS);
        Backend b = awaitChecked(add(hung.url(), BackendType.OPENAI).id());
        assertThat(b.status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(b.lastError()).isEqualTo("timed out after 1 s");
        assertThat(b.avgLatencyMs()).isNull();
        assertThat(b.history()).extracting(HistoryEntry::cause).contains("timeout");
    }

    @Test
    void http500IsAFailureNamedInLastError() {
        FakeBackend broken = fake(FakeBackend.ollama().fail(500));
        start(SETTINGS);
        Backend b = awaitChecked(add(broken.url(), BackendType.OLLAMA).id());
        assertThat(b.status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(b.lastError()).startsWith("HTTP 500").endsWith("from /api/tags");
        assertThat(b.history()).extracting(HistoryEntry::cause).contains("HTTP 500");
    }

    @Test
    void connectionRefusedIsAFailureNamedInLastError() {
        FakeBackend gone = FakeBackend.openai();
        String url = gone.url();
        gone.close();
        start(SETTINGS);
        Backend b = awaitChecked(add(url, BackendType.OPENAI).id());
        assertThat(b.status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(b.lastError()).startsWith("connection refused by 127.0.0.1:");
        assertThat(b.history()).extracting(HistoryEntry::cause).contains("connection refused");
    }

    @Test
    void malformedJsonIsHealthyAndKeepsTheModelsItHad() {
        FakeBackend ollama = fake(FakeBackend.ollama().models("llama3:8b"));
        start(SETTINGS);
        Backend b = awaitChecked(add(ollama.url(), BackendType.OLLAMA).id());
        assertThat(ids(b)).containsExactly("llama3:8b");

        ollama.on("GET", "/api/tags", Reply.json(200, "{\"models\": [ {\"name\": }"));
        Backend after = check(b.id());
        assertThat(after.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(ids(after)).containsExactly("llama3:8b");
        assertThat(after.lastError()).contains("invalid JSON at line 1, column");
    }

    @Test
    void emptyModelListIsHealthyAndClearsTheModels() {
        FakeBackend vllm = fake(FakeBackend.vllm().models("a", "b"));
        start(SETTINGS);
        Backend b = awaitChecked(add(vllm.url(), BackendType.VLLM).id());
        assertThat(ids(b)).containsExactly("a", "b");

        vllm.models(List.of());
        Backend after = check(b.id());
        assertThat(after.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(after.models()).isEmpty();
        assertThat(registry.backendsForModel("a")).isEmpty();
    }

    @Test
    void tenMegabyteAnswerIsAFailureWithAClearErrorWhetherStreamedOrAnnounced() {
        FakeBackend streamed = fake(FakeBackend.openai().on("GET", "/v1/models", Reply.huge(10)));
        FakeBackend announced = fake(FakeBackend.openai().on("GET", "/v1/models", Reply.hugeWithLength(10)));
        start(new NexusConfig.HealthCheck(true, 3600, 10, 3, 2));
        for (FakeBackend f : List.of(streamed, announced)) {
            Backend b = awaitChecked(add(f.url(), BackendType.OPENAI).id());
            assertThat(b.status()).isEqualTo(BackendStatus.UNHEALTHY);
            assertThat(b.lastError()).isEqualTo("response larger than 4 MB");
        }
    }

    @Test
    void redirectIsNotFollowed() {
        FakeBackend moved = fake(FakeBackend.openai().models("m"));
        FakeBackend target = fake(FakeBackend.openai().models("moved-model"));
        moved.on("GET", "/v1/models", Reply.redirect(302, target.url() + "/v1/models"));
        start(SETTINGS);
        Backend b = awaitChecked(add(moved.url(), BackendType.OPENAI).id());
        assertThat(b.status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(b.lastError()).isEqualTo("HTTP 302 from /v1/models: redirected to another address (not followed)");
        assertThat(b.models()).isEmpty();
        assertThat(target.hits("/v1/models")).isZero();
    }

    @Test
    void healthyStaysHealthyForTwoFailuresAndTurnsUnhealthyOnTheThird() {
        FakeBackend vllm = fake(FakeBackend.vllm().models("m"));
        start(SETTINGS);
        String id = awaitChecked(add(vllm.url(), BackendType.VLLM).id()).id();
        assertThat(registry.get(id).orElseThrow().status()).isEqualTo(BackendStatus.HEALTHY);

        vllm.fail(503);
        assertThat(check(id).status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(check(id).status()).isEqualTo(BackendStatus.HEALTHY);
        Backend third = check(id);
        assertThat(third.status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(third.lastError()).startsWith("HTTP 503");
        assertThat(third.models()).extracting(ModelInfo::id).containsExactly("m");
        assertThat(third.history().get(third.history().size() - 1).cause()).isEqualTo("HTTP 503");

        vllm.reset();
        assertThat(check(id).status()).isEqualTo(BackendStatus.UNHEALTHY);
        Backend recovered = check(id);
        assertThat(recovered.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(recovered.lastError()).isNull();
        assertThat(recovered.history().get(recovered.history().size() - 1).cause())
                .isEqualTo("recovered");
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        FakeBackend vllm = fake(FakeBackend.vllm().models("m"));
        start(SETTINGS);
        String id = awaitChecked(add(vllm.url(), BackendType.VLLM).id()).id();
        vllm.fail(500);
        check(id);
        check(id);
        vllm.reset();
        check(id);
        vllm.fail(500);
        check(id);
        assertThat(check(id).status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(check(id).status()).isEqualTo(BackendStatus.UNHEALTHY);
    }

    @Test
    void checkNowWhileACheckIsOnTheWireRunsOneFollowUpWithFreshData() {
        FakeBackend slow = fake(FakeBackend.openai().models("old").delay(Duration.ofSeconds(1)));
        start(new NexusConfig.HealthCheck(true, 3600, 5, 3, 2));
        String id = add(slow.url(), BackendType.OPENAI).id();
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.hits("/v1/models") == 1); // the check on add is sending
        slow.models("new");
        var second = checker.checkNow(id);
        var third = checker.checkNow(id);
        assertThat(third).isSameAs(second);
        Backend b = second.join().orElseThrow();
        assertThat(ids(b)).containsExactly("new");
        assertThat(slow.hits("/v1/models")).isEqualTo(3); // the first check's warm-up and measured probe, the follow-up
    }

    @Test
    void checkNowForACheckStillWaitingForItsTurnJoinsIt() {
        FakeBackend hung = fake(FakeBackend.openai().hang());
        FakeBackend ok = fake(FakeBackend.openai().models("m"));
        checker = new HealthChecker(
                registry,
                new NexusConfig.HealthCheck(true, 3600, 2, 3, 2),
                scheduler,
                new HealthChecker.Limits(1, 1024 * 1024));
        checker.start();
        String blocker = add(hung.url(), BackendType.OPENAI).id();
        await().atMost(Duration.ofSeconds(10)).until(() -> hung.hits("/v1/models") == 1); // holds the only permit
        String id = add(ok.url(), BackendType.OPENAI).id();
        var first = checker.checkNow(id);
        var second = checker.checkNow(id);
        assertThat(second).isSameAs(first);
        assertThat(first.join().orElseThrow().status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(ok.hits("/v1/models")).isEqualTo(2); // one check: warm-up and measured probe
        assertThat(registry.get(blocker).orElseThrow().lastError()).isEqualTo("timed out after 2 s");
    }

    @Test
    void periodicChecksReachEveryBackendAndAreSpreadOverTheInterval() {
        start(new NexusConfig.HealthCheck(true, 1, 1, 3, 2));
        List<FakeBackend> fakes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            FakeBackend f = fake(FakeBackend.openai().models("m" + i));
            fakes.add(f);
            add(f.url(), BackendType.OPENAI);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> fakes.stream().allMatch(f -> f.hits("/v1/models") >= 3));
        List<Long> starts = new ArrayList<>();
        for (Backend b : registry.all()) {
            starts.add(b.lastHealthCheck().toEpochMilli());
        }
        // 5 backends in a 1 s round are ~200 ms apart: never all in the same instant
        assertThat(starts.stream().mapToLong(Long::longValue).max().getAsLong()
                        - starts.stream().mapToLong(Long::longValue).min().getAsLong())
                .isGreaterThan(100);
    }

    @Test
    void stoppedCheckerWritesNothing() {
        FakeBackend vllm = fake(FakeBackend.vllm().models("m"));
        start(SETTINGS);
        checker.close();
        Backend b = add(vllm.url(), BackendType.VLLM);
        assertThat(checker.checkNow(b.id()).join()).isEmpty();
        assertThat(registry.get(b.id()).orElseThrow().status()).isEqualTo(BackendStatus.UNKNOWN);
    }

    @Test
    void hangingBackendsNeverPileUpChecksOrThreads() {
        checker = new HealthChecker(
                registry,
                new NexusConfig.HealthCheck(true, 1, 2, 3, 2),
                scheduler,
                new HealthChecker.Limits(4, 1024 * 1024));
        checker.start();
        List<FakeBackend> hung = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            FakeBackend f = fake(FakeBackend.openai().hang());
            hung.add(f);
            add(f.url(), BackendType.OPENAI);
        }
        // rounds every second, checks hanging for 2 s: without the one-check-per-backend rule they would stack up
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(6))
                .until(() -> checker.checksInFlight() <= 12 && checker.threads() <= 8);
        int requests = hung.stream().mapToInt(f -> f.requests().size()).sum();
        assertThat(requests).isLessThanOrEqualTo(12 + 4 * 3); // the first wave, then 4 at a time every 2 s at most
        assertThat(registry.all())
                .allMatch(b -> b.status() == BackendStatus.UNHEALTHY || b.status() == BackendStatus.UNKNOWN);
    }

    @Test
    void backendInItsGracePeriodIsLeftUnknownAndCheckedAtOnceWhenItReturns() {
        FakeBackend vllm = fake(FakeBackend.vllm().models("m"));
        start(new NexusConfig.HealthCheck(true, 1, 1, 3, 2));
        String id = awaitChecked(add(vllm.url(), BackendType.VLLM).id()).id();
        // what discovery does on a goodbye
        registry.update(
                id,
                "goodbye",
                b -> b.withStatus(BackendStatus.UNKNOWN)
                        .withGraceDeadline(Instant.now().plusSeconds(60)));
        int hits = vllm.hits("/v1/models");
        await().during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> registry.get(id).orElseThrow().status() == BackendStatus.UNKNOWN);
        assertThat(vllm.hits("/v1/models")).isLessThanOrEqualTo(hits + 1); // at most one that was already due

        registry.update(id, "found again", b -> b.withGraceDeadline(null));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get(id).orElseThrow().status() == BackendStatus.HEALTHY);
    }

    @Test
    void removedBackendIsNoLongerChecked() {
        FakeBackend vllm = fake(FakeBackend.vllm().models("m"));
        start(new NexusConfig.HealthCheck(true, 1, 1, 3, 2));
        String id = awaitChecked(add(vllm.url(), BackendType.VLLM).id()).id();
        registry.remove(id, "removed by user");
        int hits = vllm.hits("/v1/models");
        await().during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> registry.get(id).isEmpty());
        assertThat(vllm.hits("/v1/models")).isLessThanOrEqualTo(hits + 1);
    }

    @Test
    void stoppingReleasesEveryoneWaitingOnACheck() {
        checker = new HealthChecker(
                registry,
                new NexusConfig.HealthCheck(true, 3600, 30, 3, 2),
                scheduler,
                new HealthChecker.Limits(1, 1024 * 1024));
        checker.start();
        List<java.util.concurrent.CompletableFuture<?>> waits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            FakeBackend f = fake(FakeBackend.openai().hang());
            waits.add(checker.checkNow(add(f.url(), BackendType.OPENAI).id()));
        }
        checker.close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> waits.stream().allMatch(java.util.concurrent.CompletableFuture::isDone));
        assertThat(registry.all()).allMatch(b -> b.status() == BackendStatus.UNKNOWN);
    }

    @Test
    void selfSignedCertificateIsRejectedWithASentenceSayingSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        FakeBackend tls = fake(FakeBackend.https(
                        FakeBackend.Flavor.OPENAI, SelfSignedKeyStore.create(dir), SelfSignedKeyStore.PASSWORD)
                .models("m"));
        start(TLS_SETTINGS);
        Backend b = awaitChecked(add(tls.url(), BackendType.OPENAI).id());
        assertThat(b.status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(b.lastError())
                .isEqualTo("TLS certificate rejected: it is not signed by a trusted authority (self-signed?)");
        assertThat(b.history()).extracting(HistoryEntry::cause).contains("TLS certificate rejected");
    }

    @Test
    void httpsToAPlainHttpServerSaysSo() {
        FakeBackend plain = fake(FakeBackend.openai().models("m"));
        start(TLS_SETTINGS);
        Backend b = awaitChecked(add(plain.url().replace("http://", "https://"), BackendType.OPENAI)
                .id());
        assertThat(b.status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(b.lastError()).startsWith("TLS handshake with 127.0.0.1:").endsWith("failed (is it really https?)");
    }
}
