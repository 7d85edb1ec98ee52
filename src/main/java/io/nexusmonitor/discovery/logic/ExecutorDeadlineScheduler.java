package io.nexusmonitor.discovery.logic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Deadlines on a {@link ScheduledExecutorService}: the delay is taken from the clock when scheduling. */
public final class ExecutorDeadlineScheduler implements DeadlineScheduler {
    private final ScheduledExecutorService executor;
    private final Clock clock;

    public ExecutorDeadlineScheduler(ScheduledExecutorService executor, Clock clock) {
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public Cancellable at(Instant deadline, Runnable task) {
        long nanos = Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
        ScheduledFuture<?> f = executor.schedule(task, nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}
