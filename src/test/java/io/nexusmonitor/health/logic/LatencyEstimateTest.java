package io.nexusmonitor.health.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyEstimateTest {

    @Test
    void theFirstSampleIsShownAsIs() {
        LatencyEstimate e = new LatencyEstimate();
        assertThat(e.empty()).isTrue();
        assertThat(e.add(0.3)).isEqualTo(0.3);
        assertThat(e.empty()).isFalse();
    }

    @Test
    void theFirstSampleGivesWayToTheSecond() {
        LatencyEstimate e = new LatencyEstimate();
        assertThat(e.add(24)).isEqualTo(24.0); // the start-up burst
        assertThat(e.add(0.4)).isEqualTo(0.4);
        assertThat(e.add(0.6)).isEqualTo(0.5);
    }

    @Test
    void oneSlowAnswerAmongFastOnesMovesNothing() {
        LatencyEstimate e = new LatencyEstimate();
        e.add(9);
        e.add(0.3);
        e.add(0.4);
        assertThat(e.add(250)).isEqualTo(0.4);
        assertThat(e.add(0.3)).isEqualTo(0.35);
        assertThat(e.add(0.2)).isEqualTo(0.3);
    }

    @Test
    void aLastingChangeShowsOnceItIsTheMajorityOfTheWindow() {
        LatencyEstimate e = new LatencyEstimate();
        for (int i = 0; i < LatencyEstimate.WINDOW; i++) {
            e.add(1);
        }
        assertThat(e.add(50)).isEqualTo(1.0);
        assertThat(e.add(50)).isEqualTo(1.0);
        assertThat(e.add(50)).isEqualTo(50.0);
    }

    @Test
    void onlyTheLastWindowOfSamplesCounts() {
        LatencyEstimate e = new LatencyEstimate();
        for (int i = 0; i < 100; i++) {
            e.add(500);
        }
        for (int i = 0; i < LatencyEstimate.WINDOW; i++) {
            e.add(2);
        }
        assertThat(e.median()).isEqualTo(2.0);
    }

    @Test
    void rejectsSamplesThatAreNotTimes() {
        LatencyEstimate e = new LatencyEstimate();
        assertThatThrownBy(() -> e.add(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.add(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.add(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.empty()).isTrue();
    }
}
