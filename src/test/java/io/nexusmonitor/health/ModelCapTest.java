package io.nexusmonitor.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.health.logic.ModelListParser;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryLimits;
import io.nexusmonitor.testing.FakeBackend;
import io.nexusmonitor.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11 item 7: a backend answering a huge model list keeps [limits] max_models_per_backend
 * of them, says so in last_error, and is warned about once. Real HTTP on 127.0.0.1.
 */
class ModelCapTest {
    private static final NexusConfig.HealthCheck SETTINGS = new NexusConfig.HealthCheck(true, 3600, 5, 3, 2);

    private final Registry registry = new Registry(Clock.systemUTC(), RegistryLimits.defaults());
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private HealthChecker checker;
    private FakeBackend fake;

    @AfterEach
    void tearDown() {
        if (checker != null) {
            checker.close();
        }
        if (fake != null) {
            fake.close();
        }
        scheduler.shutdownNow();
    }

    private static List<String> ids(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("model-" + i);
        }
        return out;
    }

    private Backend check(String id) throws Exception {
        return checker.checkNow(id).get(20, TimeUnit.SECONDS).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(
            value = FakeBackend.Flavor.class,
            names = {"OLLAMA", "OPENAI"})
    void fiveThousandModelsKeepTheFirstTwoThousandAndSaySo(FakeBackend.Flavor flavor) throws Exception {
        fake = FakeBackend.start(flavor).models(ids(5000).toArray(String[]::new));
        BackendType type = flavor == FakeBackend.Flavor.OLLAMA ? BackendType.OLLAMA : BackendType.OPENAI;
        try (LogCapture logs = LogCapture.of(HealthChecker.class)) {
            checker = new HealthChecker(registry, SETTINGS, scheduler);
            checker.start();
            String url = flavor == FakeBackend.Flavor.OLLAMA ? fake.url() : fake.url() + "/v1";
            Backend added = registry.add(
                    Backend.create("", "many", url, type, BackendSource.MANUAL, 50, Instant.now()), "test");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> registry.get(added.id()).orElseThrow().lastHealthCheck() != null);
            Backend b = check(added.id());
            check(added.id());

            assertThat(b.status()).isEqualTo(BackendStatus.HEALTHY);
            assertThat(b.models()).hasSize(2000);
            assertThat(b.models().get(0).id()).isEqualTo("model-0");
            assertThat(b.models().get(1999).id()).isEqualTo("model-1999");
            assertThat(registry.modelIds()).hasSize(2000).doesNotContain("model-2000");
            assertThat(b.lastError())
                    .contains("lists 5000 models; only the first 2000 are kept ([limits] max_models_per_backend)");
            assertThat(logs.messages())
                    .filteredOn(m -> m.contains("only the first 2000"))
                    .hasSize(1);
        }
    }

    @Test
    void parserSkipsEntriesPastTheCapAndCountsThem() throws Exception {
        StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < 95_000; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"m").append(i).append("\",\"meta\":{\"x\":[1,2,3]}}");
        }
        sb.append("],\"trailer\":{\"a\":[{}]}}");
        ModelListParser.Parsed p = ModelListParser.openAiModels(sb.toString().getBytes(StandardCharsets.UTF_8), 2000);
        assertThat(p.models()).hasSize(2000);
        assertThat(p.listed()).isEqualTo(95_000);
        assertThat(p.dropped()).isEqualTo(93_000);
        assertThat(p.models()).extracting(ModelInfo::id).startsWith("m0", "m1");
    }

    @Test
    void brokenJsonPastTheCapIsStillBrokenJson() {
        byte[] body = "{\"models\":[{\"name\":\"a\"},{\"name\":\"b\"},{oops}]}".getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelListParser.ollamaTags(body, 1))
                .hasMessageStartingWith("invalid JSON at line 1");
    }
}
