package io.nexusmonitor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.json.BackendJson;
import java.util.Objects;

/**
 * An error as OpenAI clients expect it: {@code {"error":{"message","type","code"}}} with a status.
 * Every error the server answers, its own or Jetty's, goes out in this shape so SDKs surface the
 * message instead of a parse failure.
 */
public record ApiError(int status, String type, String code, String message) {
    static final String INVALID_REQUEST = "invalid_request_error";
    static final String SERVER_ERROR = "server_error";

    public ObjectNode toJson() {
        ObjectNode root = BackendJson.MAPPER.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("message", message);
        e.put("type", type);
        e.put("code", code);
        return root;
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, INVALID_REQUEST, code, message);
    }

    public static ApiError notFound(String code, String message) {
        return new ApiError(404, INVALID_REQUEST, code, message);
    }

    public static ApiError noSuchPath(String method, String path) {
        return notFound(
                "not_found",
                "no such endpoint: " + method + " " + path + " (see GET /health, /api/backends, /v1/models)");
    }

    public static ApiError methodNotAllowed(String method, String path, String allowed) {
        return new ApiError(
                405, INVALID_REQUEST, "method_not_allowed", method + " is not allowed on " + path + "; use " + allowed);
    }

    public static ApiError internal(String message) {
        return new ApiError(500, SERVER_ERROR, "internal_error", message);
    }

    /** The HTTP answer for a refused user action (the README's 'HTTP API': 404, 409, 400; 429 over [limits]). */
    public static ApiError from(ControlException e) {
        // the engine's message may name the config file by its absolute path: over HTTP, by its name
        String message =
                ErrorText.withoutDirectories(Objects.requireNonNull(e.getMessage())); // its constructor takes one
        return switch (e.reason()) {
            case NOT_FOUND -> notFound("backend_not_found", message);
            case CONFLICT -> new ApiError(409, INVALID_REQUEST, "conflict", message);
            case INVALID -> badRequest("invalid_backend", message);
            case LIMIT_REACHED -> new ApiError(429, INVALID_REQUEST, "too_many_backends", message);
        };
    }

    /** Thrown by endpoints to answer with this error. */
    public static final class Failure extends RuntimeException {
        private final ApiError error;

        public Failure(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public ApiError error() {
            return error;
        }
    }

    public Failure asException() {
        return new Failure(this);
    }
}
