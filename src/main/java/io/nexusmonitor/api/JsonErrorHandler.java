package io.nexusmonitor.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Errors Jetty answers by itself (a malformed request line, headers too large, a failure after a
 * handler gave up) in the same OpenAI shape as ours, instead of Jetty's HTML page. The text is a
 * sentence per status written here, never Jetty's message or an exception's: those name Java
 * classes and Jetty internals. A refusal of the front door ({@link RequestBodies.Refused}) keeps
 * its own sentence, code and {@code Retry-After}.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        ApiError error = refusal(cause);
        if (error == null) {
            String type = code >= 500 ? ApiError.SERVER_ERROR : ApiError.INVALID_REQUEST;
            String errorCode =
                    HttpStatus.getMessage(code).toLowerCase(Locale.ROOT).replace(' ', '_');
            error = new ApiError(code, type, errorCode, sentence(code));
        }
        RequestBodies.Refused refused = cause instanceof RequestBodies.Refused r ? r : null;
        if (refused != null && refused.retryAfter != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, refused.retryAfter);
        }
        byte[] body = error.toJson().toString().getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static @Nullable ApiError refusal(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof RequestBodies.Refused r) {
                return r.error;
            }
        }
        return null;
    }

    /** What a user can act on, per status; the log has Jetty's details. */
    static String sentence(int code) {
        return switch (code) {
            case 400 -> "the request is malformed (its request line, headers or body framing could not be parsed)";
            case 404 -> "no such endpoint (see GET /health, /api/backends, /v1/models)";
            case 408 -> "the request did not arrive in time ([server] read_timeout_seconds)";
            case 413 -> "the request body is too large";
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            case 501 -> "this HTTP method or feature is not supported";
            case 503 -> "the server is busy or stopping; try again in a moment";
            case 505 -> "this HTTP version is not supported; use HTTP/1.1";
            default ->
                code >= 500
                        ? "internal error (HTTP " + code + "); the server's log has the details"
                        : "the request was refused (HTTP " + code + ")";
        };
    }
}
