package io.nexusmonitor.discovery.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real scheduler behind grace deadlines: the task runs at its deadline, never before, and can be called off. */
class ExecutorDeadlineSchedulerTest {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorDeadlineScheduler scheduler = new ExecutorDeadlineScheduler(executor, Clock.systemUTC());

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void runsTheTaskAtItsDeadlineAndNotBefore() {
        Instant deadline = Instant.now().plusMillis(300);
        AtomicReference<Instant> ranAt = new AtomicReference<>();
        scheduler.at(deadline, () -> ranAt.set(Instant.now()));

        // it runs (a generous bound: a loaded machine may be late, but the task must come)
        await().atMost(Duration.ofSeconds(10)).until(() -> ranAt.get() != null);
        assertThat(ranAt.get()).isAfterOrEqualTo(deadline);
    }

    @Test
    void aDeadlineThatHasPassedRunsAtOnce() {
        AtomicReference<Instant> ranAt = new AtomicReference<>();
        scheduler.at(Instant.now().minusSeconds(5), () -> ranAt.set(Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> ranAt.get() != null);
    }

    @Test
    void aCancelledTaskNeverRuns() throws Exception {
        AtomicReference<Instant> ranAt = new AtomicReference<>();
        DeadlineScheduler.Cancellable c = scheduler.at(Instant.now().plusMillis(100), () -> ranAt.set(Instant.now()));
        c.cancel();
        // a later task on the same single thread runs after the cancelled one's deadline
        AtomicReference<Instant> later = new AtomicReference<>();
        scheduler.at(Instant.now().plusMillis(200), () -> later.set(Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> later.get() != null);
        assertThat(ranAt.get()).isNull();
    }
}
