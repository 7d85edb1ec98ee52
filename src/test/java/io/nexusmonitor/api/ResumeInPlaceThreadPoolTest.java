package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResumeInPlaceThreadPoolTest {
    private ResumeInPlaceThreadPool pool;

    @BeforeEach
    void start() throws Exception {
        pool = new ResumeInPlaceThreadPool(8, 2);
        pool.setName("test-pool");
        pool.start();
    }

    @AfterEach
    void stop() throws Exception {
        pool.stop();
    }

    /** What Jetty hands to the executor to resume an HTTP/1 connection: a server connection that is Runnable. */
    private static Runnable serverConnection(Runnable body) {
        return (Runnable) Proxy.newProxyInstance(
                ResumeInPlaceThreadPoolTest.class.getClassLoader(),
                new Class<?>[] {Runnable.class, Connection.class, ConnectionMetaData.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("run")) {
                        body.run();
                        return null;
                    }
                    if (method.getName().equals("toString")) {
                        return "test connection";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Runs {@code task} on one of the pool's threads and waits for it. */
    private void onPoolThread(Runnable task) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pool.execute(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(5, TimeUnit.SECONDS);
    }

    @Test
    void a_connection_resumed_on_a_pool_thread_runs_there_before_execute_returns() throws Exception {
        AtomicReference<Thread> caller = new AtomicReference<>();
        AtomicReference<Thread> ran = new AtomicReference<>();
        onPoolThread(() -> {
            caller.set(Thread.currentThread());
            pool.execute(serverConnection(() -> ran.set(Thread.currentThread())));
            assertThat(ran.get()).as("ran before execute returned").isSameAs(Thread.currentThread());
        });
        assertThat(ran.get()).isSameAs(caller.get());
    }

    @Test
    void a_connection_resumed_on_another_thread_is_dispatched_to_the_pool() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<Thread> where = new AtomicReference<>();
        pool.execute(serverConnection(() -> {
            where.set(Thread.currentThread());
            ran.countDown();
        }));
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(where.get()).isNotSameAs(Thread.currentThread());
        assertThat(where.get().getName()).startsWith("test-pool");
    }

    @Test
    void resumptions_never_nest_on_one_thread() throws Exception {
        CountDownLatch innerRan = new CountDownLatch(1);
        AtomicBoolean outerRunning = new AtomicBoolean();
        AtomicBoolean innerRanInsideOuter = new AtomicBoolean();
        onPoolThread(() -> pool.execute(serverConnection(() -> {
            Thread outer = Thread.currentThread();
            outerRunning.set(true);
            pool.execute(serverConnection(() -> {
                innerRanInsideOuter.set(outerRunning.get() && Thread.currentThread() == outer);
                innerRan.countDown();
            }));
            outerRunning.set(false);
        })));
        assertThat(innerRan.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(innerRanInsideOuter)
                .as("the nested one waited for a pool thread")
                .isFalse();
    }

    @Test
    void after_one_resumption_the_thread_resumes_in_place_again() throws Exception {
        AtomicReference<Thread> second = new AtomicReference<>();
        onPoolThread(() -> {
            pool.execute(serverConnection(() -> {}));
            pool.execute(serverConnection(() -> second.set(Thread.currentThread())));
            assertThat(second.get()).isSameAs(Thread.currentThread());
        });
    }

    @Test
    void other_tasks_are_always_dispatched() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicBoolean callerRunning = new AtomicBoolean();
        AtomicBoolean ranInsideCaller = new AtomicBoolean();
        onPoolThread(() -> {
            Thread caller = Thread.currentThread();
            callerRunning.set(true);
            pool.execute(() -> {
                ranInsideCaller.set(callerRunning.get() && Thread.currentThread() == caller);
                ran.countDown();
            });
            callerRunning.set(false);
        });
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ranInsideCaller).isFalse();
    }

    @Test
    void a_failing_resumption_does_not_reach_the_thread_that_completed_the_answer() throws Exception {
        AtomicReference<Thread> after = new AtomicReference<>();
        onPoolThread(() -> {
            pool.execute(serverConnection(() -> {
                throw new IllegalStateException("boom (expected by the test)");
            }));
            // and the thread can still resume in place afterwards
            pool.execute(serverConnection(() -> after.set(Thread.currentThread())));
        });
        assertThat(after.get()).isNotNull();
    }
}
