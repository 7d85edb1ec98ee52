package io.nexusmonitor.health.logic;

import static io.nexusmonitor.health.logic.CheckResult.Outcome.FAILURE;
import static io.nexusmonitor.health.logic.CheckResult.Outcome.LOADING;
import static io.nexusmonitor.health.logic.CheckResult.Outcome.SUCCESS;
import static io.nexusmonitor.registry.BackendStatus.DRAINING;
import static io.nexusmonitor.registry.BackendStatus.HEALTHY;
import static io.nexusmonitor.registry.BackendStatus.UNHEALTHY;
import static io.nexusmonitor.registry.BackendStatus.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nexusmonitor.health.logic.CheckResult.Outcome;
import io.nexusmonitor.registry.BackendStatus;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The threshold rules of the seed's companion spec, with failure_threshold 3 and recovery_threshold 2. */
class HealthThresholdsTest {
    private final HealthThresholds t = new HealthThresholds(3, 2);

    /** Statuses after each result, starting from {@code from}. */
    private List<BackendStatus> run(BackendStatus from, Outcome... outcomes) {
        return run(t, from, List.of(outcomes));
    }

    private static List<BackendStatus> run(HealthThresholds t, BackendStatus from, List<Outcome> outcomes) {
        List<BackendStatus> out = new ArrayList<>();
        BackendStatus s = from;
        HealthCounters c = HealthCounters.start(from);
        for (Outcome o : outcomes) {
            HealthThresholds.Step step = t.next(s, c, o);
            s = step.status();
            c = step.counters();
            out.add(s);
        }
        return out;
    }

    @Test
    void unknownBecomesHealthyOnOneSuccess() {
        assertThat(run(UNKNOWN, SUCCESS)).containsExactly(HEALTHY);
    }

    @Test
    void unknownBecomesUnhealthyOnOneFailure() {
        assertThat(run(UNKNOWN, FAILURE)).containsExactly(UNHEALTHY);
    }

    @Test
    void healthyStaysHealthyForTwoFailuresAndTurnsUnhealthyOnTheThird() {
        assertThat(run(HEALTHY, FAILURE, FAILURE, FAILURE)).containsExactly(HEALTHY, HEALTHY, UNHEALTHY);
    }

    @Test
    void unhealthyStaysUnhealthyAfterOneSuccessAndRecoversOnTheSecond() {
        assertThat(run(UNHEALTHY, SUCCESS, SUCCESS)).containsExactly(UNHEALTHY, HEALTHY);
    }

    @Test
    void aSuccessResetsTheFailureCounter() {
        assertThat(run(HEALTHY, FAILURE, FAILURE, SUCCESS, FAILURE, FAILURE, FAILURE))
                .containsExactly(HEALTHY, HEALTHY, HEALTHY, HEALTHY, HEALTHY, UNHEALTHY);
    }

    @Test
    void aFailureResetsTheSuccessCounter() {
        assertThat(run(UNHEALTHY, SUCCESS, FAILURE, SUCCESS, SUCCESS))
                .containsExactly(UNHEALTHY, UNHEALTHY, UNHEALTHY, HEALTHY);
    }

    @Test
    void countersAfterTwoFailuresAndOneSuccessAreZeroFailures() {
        HealthCounters c = HealthCounters.start(HEALTHY);
        c = t.next(HEALTHY, c, FAILURE).counters();
        c = t.next(HEALTHY, c, FAILURE).counters();
        assertThat(c.failures()).isEqualTo(2);
        c = t.next(HEALTHY, c, SUCCESS).counters();
        assertThat(c.failures()).isZero();
    }

    @Test
    void loadingIsShownAtOnceAndTurnsHealthyOnTheNextSuccess() {
        assertThat(run(UNKNOWN, LOADING, LOADING, SUCCESS))
                .containsExactly(BackendStatus.LOADING, BackendStatus.LOADING, HEALTHY);
        assertThat(run(HEALTHY, LOADING)).containsExactly(BackendStatus.LOADING);
        assertThat(run(UNHEALTHY, LOADING, SUCCESS)).containsExactly(BackendStatus.LOADING, HEALTHY);
    }

    @Test
    void loadingThatStopsAnsweringTurnsUnhealthyAfterTheThreshold() {
        assertThat(run(UNKNOWN, LOADING, FAILURE, FAILURE, FAILURE))
                .containsExactly(BackendStatus.LOADING, BackendStatus.LOADING, BackendStatus.LOADING, UNHEALTHY);
    }

    @Test
    void drainingIsLeftAlone() {
        assertThat(run(DRAINING, FAILURE, FAILURE, FAILURE, SUCCESS, LOADING)).containsOnly(DRAINING);
    }

    @Test
    void countsMadeForAnotherStatusStartAgain() {
        // two failures counted while healthy; then discovery reset the backend to unknown and it came back healthy
        HealthCounters stale = new HealthCounters(UNHEALTHY, 2, 0);
        assertThat(t.next(HEALTHY, stale, FAILURE).status()).isEqualTo(HEALTHY);
        assertThat(t.next(HEALTHY, stale, FAILURE).counters().failures()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "1, 5", "5, 1", "10, 3"})
    void thresholdsAreExactlyAsConfigured(int failures, int recoveries) {
        HealthThresholds custom = new HealthThresholds(failures, recoveries);
        List<Outcome> down = new ArrayList<>();
        for (int i = 0; i < failures; i++) {
            down.add(FAILURE);
        }
        List<BackendStatus> s = run(custom, HEALTHY, down);
        assertThat(s.get(s.size() - 1)).isEqualTo(UNHEALTHY);
        assertThat(s.subList(0, s.size() - 1)).allMatch(x -> x == HEALTHY);
        List<Outcome> up = new ArrayList<>();
        for (int i = 0; i < recoveries; i++) {
            up.add(SUCCESS);
        }
        List<BackendStatus> r = run(custom, UNHEALTHY, up);
        assertThat(r.get(r.size() - 1)).isEqualTo(HEALTHY);
        assertThat(r.subList(0, r.size() - 1)).allMatch(x -> x == UNHEALTHY);
    }

    @Test
    void thresholdsBelowOneAreRefused() {
        assertThatThrownBy(() -> new HealthThresholds(0, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Healthy only turns unhealthy at the end of a run of exactly failure_threshold failures. */
    @Property
    void healthyTurnsUnhealthyOnlyAfterThresholdConsecutiveFailures(
            @ForAll @Size(max = 40) List<Boolean> successes, @ForAll @IntRange(min = 1, max = 5) int threshold) {
        HealthThresholds custom = new HealthThresholds(threshold, 2);
        BackendStatus s = HEALTHY;
        HealthCounters c = HealthCounters.start(s);
        int run = 0;
        for (boolean ok : successes) {
            HealthThresholds.Step step = custom.next(s, c, ok ? SUCCESS : FAILURE);
            run = ok ? 0 : run + 1;
            if (s == HEALTHY && step.status() == UNHEALTHY) {
                assertThat(run).isEqualTo(threshold);
            }
            s = step.status();
            c = step.counters();
        }
    }
}
