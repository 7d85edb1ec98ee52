package io.nexusmonitor.discovery.logic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Deadlines that fire when the test moves the clock past them, so grace tests take no real time. */
final class ManualDeadlines implements DeadlineScheduler {
    private final MutableClock clock;
    private final List<Task> tasks = new ArrayList<>();

    ManualDeadlines(MutableClock clock) {
        this.clock = clock;
    }

    private static final class Task {
        final Instant at;
        final Runnable run;
        boolean cancelled;

        Task(Instant at, Runnable run) {
            this.at = at;
            this.run = run;
        }
    }

    @Override
    public synchronized Cancellable at(Instant deadline, Runnable task) {
        Task t = new Task(deadline, task);
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    /** Moves the clock on and runs, in deadline order, every task that has come due. */
    void advance(Duration d) {
        clock.advance(d);
        while (true) {
            Task due = null;
            synchronized (this) {
                for (Task t : tasks) {
                    if (!t.cancelled && !t.at.isAfter(clock.instant()) && (due == null || t.at.isBefore(due.at))) {
                        due = t;
                    }
                }
                if (due == null) {
                    return;
                }
                tasks.remove(due);
            }
            due.run.run();
        }
    }

    synchronized long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }
}
