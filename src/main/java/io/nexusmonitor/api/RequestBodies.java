package io.nexusmonitor.api;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The front door's hold on request bodies. Endpoints buffer a body before acting on it (the
 * gateway up to 16 MB each), so many unfinished uploads could fill memory; here every byte read
 * from a body counts against one budget shared by all requests in flight, and is given back when
 * the request is answered. A body that does not fit is refused with 503 and {@code Retry-After}
 * (the connection is closed) instead of being buffered; a {@code Content-Length} that cannot fit
 * is refused before any of it is read.
 *
 * <p>It also sets the connection's idle timeout by phase: short ({@code read_timeout_seconds})
 * while a request's headers or body are arriving and between requests, long (the request timeout)
 * once the request is in and the answer, perhaps a slow stream, is going out. A body that stalls
 * for the short timeout is answered 408 and its connection closed.
 */
final class RequestBodies {
    private final long budget;
    private final long readTimeoutMs;
    private final long answerTimeoutMs;
    private final AtomicLong inUse = new AtomicLong();

    RequestBodies(long budget, Duration readTimeout, Duration answerTimeout) {
        this.budget = budget;
        this.readTimeoutMs = readTimeout.toMillis();
        this.answerTimeoutMs = Math.max(readTimeoutMs, answerTimeout.toMillis());
    }

    /** Body bytes held right now, across all requests. */
    long inUse() {
        return inUse.get();
    }

    long readTimeoutMs() {
        return readTimeoutMs;
    }

    /** A 503 for a declared length that cannot fit now, or null. */
    @Nullable
    ApiError precheck(Request request) {
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > 0 && declared > budget - inUse.get()) {
            return busy().error;
        }
        return null;
    }

    /** The request as endpoints see it (its body reads counted) and the callback that gives the bytes back. */
    Tracked track(Request request, Callback callback) {
        return new Tracked(request, callback);
    }

    private static Refused busy() {
        return new Refused(
                new ApiError(
                        503,
                        ApiError.SERVER_ERROR,
                        "server_busy",
                        "the server is holding as many "
                                + "request bodies as it may ([server] max_buffered_request_mb); try again in a moment"),
                "1");
    }

    /**
     * A body read that the front door stopped: as an {@link IOException} endpoints treat it like a
     * broken upload and fail the exchange with it; as an {@link HttpException} Jetty answers with its
     * status, and {@link JsonErrorHandler} with its sentence and {@code Retry-After}.
     */
    static final class Refused extends IOException implements HttpException {
        final ApiError error;
        final @Nullable String retryAfter;

        Refused(ApiError error, @Nullable String retryAfter) {
            super(error.message(), null);
            this.error = error;
            this.retryAfter = retryAfter;
        }

        @Override
        public int getCode() {
            return error.status();
        }

        @Override
        public String getReason() {
            return error.message();
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** One request in flight: counts what its body reads take, and gives it all back when answered. */
    final class Tracked extends Request.Wrapper {
        private final EndPoint endPoint;
        private final Callback callback;
        private long held;
        private boolean released;
        private Content.@Nullable Chunk stopped;

        private Tracked(Request request, Callback callback) {
            super(request);
            this.endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            // a request without a body is all in: its answer may take as long as requests may
            setIdleTimeout(hasBody(request) ? readTimeoutMs : answerTimeoutMs);
            this.callback = new Callback.Nested(callback) {
                @Override
                public void succeeded() {
                    release();
                    super.succeeded();
                }

                @Override
                public void failed(Throwable x) {
                    release();
                    super.failed(x);
                }
            };
        }

        Callback callback() {
            return callback;
        }

        @Override
        public Content.@Nullable Chunk read() {
            synchronized (this) {
                if (stopped != null) {
                    return stopped;
                }
            }
            Content.Chunk chunk = super.read();
            if (chunk == null) {
                return null;
            }
            if (Content.Chunk.isFailure(chunk)) {
                if (chunk.getFailure() instanceof TimeoutException) {
                    return stop(new Refused(
                            new ApiError(
                                    408,
                                    ApiError.INVALID_REQUEST,
                                    "request_timeout",
                                    "the request body stopped arriving for " + (readTimeoutMs / 1000) + " s "
                                            + "([server] read_timeout_seconds); the upload was cut"),
                            null));
                }
                return chunk;
            }
            int n = chunk.remaining();
            if (n > 0 && !take(n)) {
                chunk.release();
                return stop(busy());
            }
            if (chunk.isLast()) {
                setIdleTimeout(answerTimeoutMs);
            }
            return chunk;
        }

        private synchronized Content.Chunk stop(Refused why) {
            stopped = Content.Chunk.from(why, true);
            return stopped;
        }

        private synchronized boolean take(int n) {
            if (released) {
                return true; // answered already: nothing is held for it any more
            }
            long now = inUse.addAndGet(n);
            if (now > budget) {
                inUse.addAndGet(-n);
                return false;
            }
            held += n;
            return true;
        }

        private void release() {
            long give;
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
                give = held;
                held = 0;
            }
            if (give > 0) {
                inUse.addAndGet(-give);
            }
            // the connection now waits for its next request (or its body): the short timeout again
            setIdleTimeout(readTimeoutMs);
        }

        private void setIdleTimeout(long ms) {
            if (endPoint != null && endPoint.getIdleTimeout() != ms) {
                endPoint.setIdleTimeout(ms);
            }
        }
    }

    /** Whether a request has a body, by its framing headers. */
    private static boolean hasBody(Request request) {
        return request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0
                || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }
}
