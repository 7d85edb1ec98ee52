package io.nexusmonitor.health;

import io.nexusmonitor.health.logic.CheckResult;
import io.nexusmonitor.health.logic.Failure;
import io.nexusmonitor.health.logic.ProbeRun;
import io.nexusmonitor.health.logic.ProbeStep;
import io.nexusmonitor.http.LazyTlsClientConnector;
import io.nexusmonitor.registry.Backend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * Sends the requests of one health check ({@link ProbeRun}) over a shared non-blocking Jetty
 * {@link HttpClient} and hands back what they found. No thread waits on a backend: every answer
 * arrives as a callback, timeouts fire on the engine's scheduler.
 */
final class Prober implements AutoCloseable {
    private final int timeoutSeconds;
    private final int maxBodyBytes;
    private final int maxModels;
    /** What all answers being read may hold together: 32 bodies at the largest size. */
    private final CappedBody.Budget budget;

    /** The client's own threads (its pool's), told apart from the scheduler's and callers' ({@link #onOwnThread}). */
    private final ThreadGroup threads = new ThreadGroup("nexus-health");

    private final QueuedThreadPool pool;
    private final HttpClient client;

    Prober(
            int timeoutSeconds,
            int intervalSeconds,
            int maxBodyBytes,
            int maxModels,
            ScheduledExecutorService scheduler) {
        this.timeoutSeconds = timeoutSeconds;
        this.maxBodyBytes = maxBodyBytes;
        this.maxModels = maxModels;
        this.budget = new CappedBody.Budget(32L * maxBodyBytes);
        // the client's threads: its selector and the completions; a fixed few, whatever the number of backends
        this.pool = new QueuedThreadPool(8, 2, 60_000, 0, null, threads);
        pool.setName("nexus-health");
        pool.setDaemon(true);
        // TLS is set up on the first https:// backend, not on the path to the first /health answer
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(new LazyTlsClientConnector());
        // the answer is read on the selector thread: CappedBody only copies bytes and completes a future,
        // and the check goes on right there (onOwnThread: parse, next request, registry write, none of
        // which blocks), so no answer wakes a second thread (a wake-up per answer, most of a probe's
        // CPU on a busy box)
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        this.client = new HttpClient(transport);
        client.setExecutor(pool);
        client.setScheduler(new SharedScheduler(scheduler));
        client.setName("nexus-health");
        client.setConnectTimeout(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        // a backend's connection is kept until its next check (one idle socket per backend): connecting
        // and closing cost more than the request itself. A server that closes idle connections sooner
        // (uvicorn and llama.cpp after 5 s) makes the next check connect anew; one that closes just as a
        // probe is sent is retried once (send)
        client.setIdleTimeout(idleTimeoutMillis(intervalSeconds, timeoutSeconds));
        // a redirect is a failure, never followed: a backend must not make the checker read another
        // server (an internal service on this machine) and store its answer as a model list
        client.setFollowRedirects(false);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "nexus-monitor/" + version()));
    }

    /** Long enough for a connection to wait from one check to the next: an interval, a timeout, 5 s slack. */
    static long idleTimeoutMillis(int intervalSeconds, int timeoutSeconds) {
        return TimeUnit.SECONDS.toMillis((long) intervalSeconds + timeoutSeconds + 5);
    }

    /** The build's version from the jar manifest, read here so this adapter does not depend on the app package. */
    private static String version() {
        String v = Prober.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    void start() {
        try {
            client.start();
            // after start, which installs them: a 401 is an answer to report ("HTTP 401 from /v1/models"),
            // not a challenge to take up; vLLM and llama-server send it without WWW-Authenticate, which
            // Jetty's handler would turn into "not valid HTTP"
            client.getProtocolHandlers().clear();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the health-check HTTP client: " + e.getMessage(), e);
        }
    }

    /** Aborts requests in flight; their checks complete as failures. */
    @Override
    public void close() throws Exception {
        client.stop();
    }

    int threads() {
        return pool.getThreads();
    }

    /** Runs a short task on the client's threads (not the engine's scheduler). */
    void execute(Runnable task) {
        pool.execute(task);
    }

    /**
     * Runs a check's next part on the client's threads: at once when already on one (the selector
     * thread that read the answer: a hand-off there would wake a second thread for every answer),
     * else handed to the pool (a timeout fires on the engine's scheduler, whose thread must stay
     * free for grace deadlines and rounds); while stopping (pool gone) here, so no check is left
     * hanging.
     */
    private void onOwnThread(Runnable task) {
        if (Thread.currentThread().getThreadGroup() == threads) {
            task.run();
            return;
        }
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /**
     * One {@code GET} with the probes' timeout, body cap and budget, and no redirects; completes
     * exceptionally when it fails or its body exceeds {@code cap}.
     */
    CompletableFuture<CappedBody.Answer> fetch(String url, int cap) {
        CompletableFuture<CappedBody.Answer> result = new CompletableFuture<>();
        fetch(url, cap, result, false);
        return result;
    }

    /** @param retried as in {@link #send}: once more after a kept connection closed before any answer byte */
    private void fetch(String url, int cap, CompletableFuture<CappedBody.Answer> result, boolean retried) {
        CappedBody body = new CappedBody(cap, budget);
        // completions of timeouts run on the engine's scheduler: move on to the client's threads
        body.future()
                .whenCompleteAsync(
                        (answer, error) -> {
                            if (error == null) {
                                result.complete(answer);
                            } else if (!retried
                                    && body.unansweredOnKeptConnection()
                                    && Failure.connectionClosed(error)
                                    && client.isRunning()) {
                                fetch(url, cap, result, true);
                            } else {
                                result.completeExceptionally(error);
                            }
                        },
                        this::onOwnThread);
        get(url, null, body);
    }

    /**
     * Probes one backend; completes (never exceptionally) when the check has its result.
     *
     * @param warmUp send the primary probe twice and measure the second ({@link ProbeRun#warmingUp()})
     */
    CompletableFuture<CheckResult> probe(Backend backend, boolean warmUp) {
        CompletableFuture<CheckResult> done = new CompletableFuture<>();
        // the key goes with every probe of this check (never logged: Credential prints redacted)
        String auth = backend.settings().authorization();
        ProbeRun run = ProbeRun.forBackend(backend, timeoutSeconds, maxModels);
        send(warmUp ? run.warmingUp() : run, auth, done, false);
        return done;
    }

    /**
     * @param retried this step was sent once already, on a kept connection that closed before any
     *                answer byte: the server closed it as idle as the request went out. A GET can be
     *                sent again safely; once, and a fresh connection that closes is a failure.
     */
    private void send(ProbeRun run, @Nullable String auth, CompletableFuture<CheckResult> done, boolean retried) {
        ProbeStep step = run.current();
        CappedBody body = new CappedBody(maxBodyBytes, budget);
        // timeouts complete on the engine's scheduler: read and write the result on our own threads,
        // so a burst of timeouts never delays a grace deadline or the next round
        body.future()
                .whenCompleteAsync(
                        (answer, error) -> {
                            try {
                                if (error != null
                                        && !retried
                                        && body.unansweredOnKeptConnection()
                                        && Failure.connectionClosed(error)
                                        && client.isRunning()) {
                                    send(run, auth, done, true);
                                    return;
                                }
                                if (error != null) {
                                    run.onFailure(error);
                                } else {
                                    run.onAnswer(
                                            answer.status(),
                                            answer.reason(),
                                            answer.body(),
                                            answer.answerNanos() / 1e6);
                                }
                                if (run.done()) {
                                    done.complete(run.result());
                                } else {
                                    send(run, auth, done, false);
                                }
                            } catch (RuntimeException | Error e) {
                                // whatever went wrong, the check must end: an unfinished one blocks its backend for
                                // good
                                done.completeExceptionally(e);
                                if (e instanceof Error) {
                                    throw e;
                                }
                            }
                        },
                        this::onOwnThread);
        get(step.url(), auth, body);
    }

    /**
     * Sends one probe {@code GET} (JSON accepted, the key when there is one, the probes' timeout)
     * whose answer {@code body} reads and times; a request that cannot be sent completes it as a failure.
     */
    private void get(String url, @Nullable String auth, CappedBody body) {
        try {
            client.newRequest(url)
                    .method(HttpMethod.GET)
                    .headers(h -> {
                        h.put(HttpHeader.ACCEPT, "application/json");
                        if (auth != null) {
                            h.put(HttpHeader.AUTHORIZATION, auth);
                        }
                    })
                    .timeout(timeoutSeconds, TimeUnit.SECONDS)
                    .onRequestBegin(body::begun)
                    .onRequestSuccess(body::sent)
                    .send(body);
        } catch (RuntimeException e) {
            body.future().completeExceptionally(e);
        }
    }
}
