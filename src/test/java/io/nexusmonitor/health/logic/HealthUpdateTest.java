package io.nexusmonitor.health.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.health.logic.CheckResult.Outcome;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthUpdateTest {
    private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");
    private final HealthThresholds thresholds = new HealthThresholds(3, 2);

    private static Backend backend(BackendStatus status) {
        return Backend.create("id", "b", "http://h:1", BackendType.OLLAMA, BackendSource.MANUAL, 50, Instant.EPOCH)
                .withStatus(status)
                .withModels(List.of(ModelInfo.of("old")));
    }

    private HealthUpdate apply(Backend b, CheckResult r) {
        return HealthUpdate.apply(b, r, HealthCounters.start(b.status()), thresholds, NOW);
    }

    @Test
    void successWritesModelsLatencyCheckTimeAndClearsTheError() {
        Backend before = backend(BackendStatus.UNKNOWN).withLastError("connection refused");
        HealthUpdate u =
                apply(before, new CheckResult(Outcome.SUCCESS, List.of(ModelInfo.of("new")), null, null, 12.0));
        assertThat(u.backend().status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(u.backend().models()).containsExactly(ModelInfo.of("new"));
        assertThat(u.backend().avgLatencyMs()).isEqualTo(12.0);
        assertThat(u.backend().lastHealthCheck()).isEqualTo(NOW);
        assertThat(u.backend().lastError()).isNull();
        assertThat(u.cause()).isEqualTo("health check passed");
    }

    @Test
    void theEstimateIsWrittenAfterSuccessesOnly() {
        Backend b = backend(BackendStatus.HEALTHY).withLatencyMs(10.0);
        HealthCounters c = HealthCounters.start(BackendStatus.HEALTHY);
        Backend failed = HealthUpdate.apply(
                        b, CheckResult.failure(new Failure("timeout", "timed out after 5 s")), c, thresholds, NOW, 99.0)
                .backend();
        assertThat(failed.avgLatencyMs()).isEqualTo(10.0);
        Backend ok = HealthUpdate.apply(
                        b, new CheckResult(Outcome.SUCCESS, null, null, null, 20.0), c, thresholds, NOW, 11.0)
                .backend();
        assertThat(ok.avgLatencyMs()).as("the estimate, not the sample").isEqualTo(11.0);
        Backend none = HealthUpdate.apply(
                        b, new CheckResult(Outcome.SUCCESS, null, null, null, null), c, thresholds, NOW, null)
                .backend();
        assertThat(none.avgLatencyMs()).isEqualTo(10.0);
    }

    @Test
    void failureKeepsModelsAndSaysWhy() {
        HealthUpdate u = apply(
                backend(BackendStatus.UNKNOWN),
                CheckResult.failure(new Failure("HTTP 503", "HTTP 503 from /api/tags")));
        assertThat(u.backend().status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(u.backend().models()).containsExactly(ModelInfo.of("old"));
        assertThat(u.backend().lastError()).isEqualTo("HTTP 503 from /api/tags");
        assertThat(u.cause()).isEqualTo("HTTP 503");
    }

    @Test
    void routineCheckHasTheRoutineCause() {
        HealthUpdate u = apply(backend(BackendStatus.HEALTHY), new CheckResult(Outcome.SUCCESS, null, null, null, 1.0));
        assertThat(u.cause()).isEqualTo(HealthUpdate.ROUTINE);
        assertThat(u.changedStatus(backend(BackendStatus.HEALTHY))).isFalse();
    }

    @Test
    void recoveryIsNamed() {
        Backend b = backend(BackendStatus.UNHEALTHY);
        CheckResult ok = new CheckResult(Outcome.SUCCESS, null, null, null, 1.0);
        HealthUpdate first = apply(b, ok);
        assertThat(first.backend().status()).isEqualTo(BackendStatus.UNHEALTHY);
        HealthUpdate second = HealthUpdate.apply(first.backend(), ok, first.counters(), thresholds, NOW);
        assertThat(second.backend().status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(second.cause()).isEqualTo("recovered");
    }

    @Test
    void backendInItsGracePeriodKeepsItsUnknownStatus() {
        Backend inGrace = backend(BackendStatus.UNKNOWN).withGraceDeadline(NOW.plusSeconds(60));
        HealthUpdate u = apply(inGrace, new CheckResult(Outcome.SUCCESS, List.of(ModelInfo.of("x")), null, null, 3.0));
        assertThat(u.backend().status()).isEqualTo(BackendStatus.UNKNOWN);
        assertThat(u.backend().lastHealthCheck()).isEqualTo(NOW);
        assertThat(u.cause()).isEqualTo(HealthUpdate.ROUTINE);
    }
}
