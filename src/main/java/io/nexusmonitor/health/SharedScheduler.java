package io.nexusmonitor.health;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Lets Jetty's HTTP client schedule its timeouts on the engine's one scheduler instead of
 * starting a timer thread of its own (docs/architecture.md: one scheduler). Jetty's tasks are tiny
 * (abort a request, close an idle connection), which is what that scheduler is for. Stopping this
 * adapter leaves the engine's scheduler running: the engine owns it.
 */
final class SharedScheduler extends AbstractLifeCycle implements Scheduler {
    private final ScheduledExecutorService executor;

    SharedScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    @Override
    public Task schedule(Runnable task, long delay, TimeUnit unit) {
        try {
            ScheduledFuture<?> f = executor.schedule(task, delay, unit);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> false; // shutting down: the client is being stopped too
        }
    }
}
