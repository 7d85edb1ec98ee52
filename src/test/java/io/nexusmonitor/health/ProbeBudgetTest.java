package io.nexusmonitor.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.testing.FakeBackend;
import io.nexusmonitor.testing.FakeBackend.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 7: many backends answering big bodies at the same moment cost the checker's shared
 * budget (32 bodies at the size cap), not the heap; what does not fit fails this once and is read
 * at the next check. Real HTTP on 127.0.0.1.
 */
class ProbeBudgetTest {
    private static final int CAP = 64 * 1024; // budget: 32 x 64 KB = 2 MB
    private final Registry registry = new Registry();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final List<FakeBackend> fakes = new ArrayList<>();
    private HealthChecker checker;

    @AfterEach
    void tearDown() {
        if (checker != null) {
            checker.close();
        }
        fakes.forEach(FakeBackend::close);
        scheduler.shutdownNow();
    }

    @Test
    void answersBeyondTheSharedBudgetAreNotReadAndTheBudgetIsGivenBack() throws Exception {
        byte[] first = new byte[60 * 1024];
        Arrays.fill(first, (byte) ' ');
        byte[] rest = "{\"object\":\"list\",\"data\":[{\"id\":\"m\"}]}".getBytes(StandardCharsets.UTF_8);
        // 40 answers of 60 KB each, held open for a moment: 2.4 MB wanted at once, 2 MB allowed
        Reply slowBig =
                new Reply(200, Map.of("Content-Type", "application/json"), List.of(first, rest), Duration.ofSeconds(2));
        checker = new HealthChecker(
                registry,
                new NexusConfig.HealthCheck(true, 3600, 10, 3, 2),
                scheduler,
                new HealthChecker.Limits(256, CAP));
        checker.start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            FakeBackend f = FakeBackend.openai().on("GET", "/v1/models", slowBig);
            fakes.add(f);
            ids.add(registry.add(
                            Backend.create(
                                    "",
                                    "big-" + i,
                                    f.url() + "/v1",
                                    BackendType.OPENAI,
                                    BackendSource.MANUAL,
                                    50,
                                    Instant.now()),
                            "test")
                    .id());
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ids.stream()
                        .allMatch(id -> registry.get(id).orElseThrow().lastHealthCheck() != null));

        List<Backend> refused = ids.stream()
                .map(id -> registry.get(id).orElseThrow())
                .filter(b -> b.lastError() != null && b.lastError().startsWith("answer not read"))
                .toList();
        assertThat(refused).isNotEmpty();
        assertThat(refused.get(0).lastError())
                .isEqualTo("answer not read: other checks are reading 2 MB of answers"
                        + " at once; it is read again at the next check");
        assertThat(refused.get(0).models()).isEmpty();

        // one at a time, each fits: the budget was given back by every finished check
        fakes.get(ids.indexOf(refused.get(0).id()))
                .on("GET", "/v1/models", Reply.json(200, new String(rest, StandardCharsets.UTF_8)));
        Backend again =
                checker.checkNow(refused.get(0).id()).get(20, TimeUnit.SECONDS).orElseThrow();
        assertThat(again.lastError()).isNull();
        assertThat(again.models()).extracting(m -> m.id()).containsExactly("m");
    }
}
