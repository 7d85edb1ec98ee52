package io.nexusmonitor.health;

import io.nexusmonitor.health.logic.ProbeBudgetException;
import io.nexusmonitor.health.logic.ResponseTooLargeException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Reads a response body into memory up to a cap and aborts the download past it, so a server
 * that answers with a gigabyte costs at most the cap, and the failure says why. The bytes held
 * are also taken from a budget shared by every check in flight ({@link Budget}): two hundred
 * backends answering 4 MB at once cost the budget, not 800 MB of heap.
 */
final class CappedBody implements Response.Listener {

    /** Bytes all bodies being read may hold together. */
    static final class Budget {
        private final long limit;
        private final AtomicLong used = new AtomicLong();

        Budget(long limit) {
            this.limit = limit;
        }

        boolean take(long n) {
            long after = used.addAndGet(n);
            if (after > limit) {
                used.addAndGet(-n);
                return false;
            }
            return true;
        }

        void give(long n) {
            used.addAndGet(-n);
        }

        long limit() {
            return limit;
        }

        long used() {
            return used.get();
        }
    }

    /**
     * A complete answer.
     *
     * @param answerNanos from the request starting on its connection (connection set up, queueing
     *                    over) to the last byte of the answer; -1 when the start was not seen
     */
    record Answer(int status, String reason, byte[] body, long answerNanos) {}

    private final int cap;
    private final Budget budget;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<Answer> done = new CompletableFuture<>();
    /** Bytes taken from the budget; given back when the answer is complete (read or not). */
    private long taken;
    /** Whether the status line of an answer arrived. */
    private volatile boolean answerBegun;
    /** Whether the request went out on a connection that had carried an answer before (a kept one). */
    private volatile boolean keptConnection;
    /** When the request started on its connection; 0 until then. */
    private volatile long begunNanos;

    CappedBody(int cap, Budget budget) {
        this.cap = cap;
        this.budget = budget;
    }

    CompletableFuture<Answer> future() {
        return done;
    }

    /**
     * The request starts on its connection: the answer time starts here, after the connection was
     * opened (or taken from the pool) and the request waited its turn, so neither counts as the
     * backend's time.
     */
    void begun(org.eclipse.jetty.client.Request request) {
        begunNanos = System.nanoTime();
        keptConnection = request.getConnection() instanceof org.eclipse.jetty.io.Connection c && c.getMessagesIn() > 0;
    }

    /**
     * The request went out on a kept connection and no byte of an answer came back: the server
     * closed it as idle while the request was on its way (when the failure says it was closed).
     */
    boolean unansweredOnKeptConnection() {
        return keptConnection && !answerBegun;
    }

    @Override
    public void onBegin(Response response) {
        answerBegun = true;
    }

    @Override
    public void onHeaders(Response response) {
        long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (length > cap) {
            response.abort(new ResponseTooLargeException(cap));
        }
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        if (body.size() + (long) content.remaining() > cap) {
            response.abort(new ResponseTooLargeException(cap));
            return;
        }
        if (!budget.take(content.remaining())) {
            response.abort(new ProbeBudgetException(budget.limit()));
            return;
        }
        taken += content.remaining();
        byte[] chunk = new byte[content.remaining()];
        content.get(chunk);
        body.writeBytes(chunk);
    }

    @Override
    public void onComplete(Result result) {
        long end = System.nanoTime(); // the last byte is in (or the exchange failed)
        budget.give(taken);
        taken = 0;
        if (result.isFailed()) {
            done.completeExceptionally(result.getFailure());
        } else {
            Response r = result.getResponse();
            long start = begunNanos;
            done.complete(new Answer(r.getStatus(), r.getReason(), body.toByteArray(), start == 0 ? -1 : end - start));
        }
    }
}
