package io.nexusmonitor.discovery.logic;

import java.time.Instant;

/**
 * Runs a task at an instant: the grace deadline of a backend, exactly then, not at the next sweep.
 * Production uses the engine's scheduler ({@link ExecutorDeadlineScheduler}); tests can step time.
 */
public interface DeadlineScheduler {

    /** Runs {@code task} once at {@code deadline} (at once when it has passed). */
    Cancellable at(Instant deadline, Runnable task);

    /** A scheduled task that has not run yet can be called off. */
    interface Cancellable {
        void cancel();
    }
}
