package io.nexusmonitor.api;

import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.registry.LogText;
import java.util.Locale;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Jetty handler and the API's front door. Every request, the gateway's included, passes
 * these checks in this order before an endpoint sees it: the Host allow-list (403
 * {@code host_not_allowed}), the browser origin rule (403 {@code origin_not_allowed}; CORS headers
 * for allowed origins; preflights answered here), the route (404/405), the token (401/403), the
 * content type of changes (415), and the request body budget (503). Then it runs the endpoint and
 * turns anything it throws before answering into an OpenAI-shaped error.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final RouteTable routes;
    private final HostAllowList hosts;
    private final OriginPolicy origins;
    private final TokenGuard tokens;
    private final RequestBodies bodies;

    ApiHandler(RouteTable routes, HostAllowList hosts, OriginPolicy origins, TokenGuard tokens, RequestBodies bodies) {
        // every endpoint answers asynchronously and never blocks (bodies are read with demand,
        // upstream calls are async, writes complete through callbacks), so Jetty may run it on
        // the thread that parsed the request instead of handing it to another one
        super(InvocationType.NON_BLOCKING);
        this.routes = routes;
        this.hosts = hosts;
        this.origins = origins;
        this.tokens = tokens;
        this.bodies = bodies;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        ApiError refused = hosts.check(request);
        if (refused == null) {
            refused = origins.check(request, response.getHeaders());
        }
        if (refused != null) {
            Exchange.writeError(response, callback, refused);
            return true;
        }
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        if (method.equals("OPTIONS")) {
            preflight(request, response, callback, path);
            return true;
        }
        RouteTable.Match match = routes.match(method, path);
        if (!match.found()) {
            if (match.pathExists()) {
                String allowed = String.join(", ", match.allowed());
                response.getHeaders().put(HttpHeader.ALLOW, allowed);
                Exchange.writeError(response, callback, ApiError.methodNotAllowed(method, path, allowed));
            } else {
                Exchange.writeError(response, callback, ApiError.noSuchPath(method, path));
            }
            return true;
        }
        TokenGuard.Access access = TokenGuard.access(method, path);
        refused = tokens.check(request.getHeaders(), response.getHeaders(), access);
        if (refused == null
                && access == TokenGuard.Access.CHANGE
                && method.equals("POST")
                && !isJson(request.getHeaders().get(HttpHeader.CONTENT_TYPE))) {
            refused = new ApiError(
                    415,
                    ApiError.INVALID_REQUEST,
                    "unsupported_media_type",
                    "changes under /api/ "
                            + "need 'Content-Type: application/json' (an empty body is fine for pin and unpin)");
        }
        if (refused == null) {
            refused = bodies.precheck(request);
            if (refused != null) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            }
        }
        if (refused != null) {
            Exchange.writeError(response, callback, refused);
            return true;
        }
        RequestBodies.Tracked tracked = bodies.track(request, callback);
        run(
                new Exchange(tracked, response, tracked.callback(), match.params()),
                Objects.requireNonNull(match.endpoint())); // found()
        return true;
    }

    /** {@code application/json}, with or without parameters such as {@code charset}. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String base =
                (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return base.equals("application/json");
    }

    /**
     * {@code OPTIONS}: a CORS preflight from an allowed origin (a refused one never gets here) is
     * answered 204 with what it may send; without an origin, 204 with {@code Allow}.
     */
    private void preflight(Request request, Response response, Callback callback, String path) {
        RouteTable.Match match = routes.match("OPTIONS", path);
        if (!match.pathExists()) {
            Exchange.writeError(response, callback, ApiError.noSuchPath("OPTIONS", path));
            return;
        }
        response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", match.allowed()) + ", OPTIONS");
        if (request.getHeaders().get(HttpHeader.ORIGIN) != null) {
            OriginPolicy.preflight(request, response.getHeaders());
        }
        response.setStatus(204);
        response.write(true, null, callback);
    }

    /**
     * Runs an endpoint (or an endpoint's async continuation) and answers anything it throws
     * before answering as an error: {@link ApiError.Failure} as itself, a refused user action
     * with its status (404/409/400), anything else as 500 with a sentence (the details go to the log).
     */
    static void run(Exchange exchange, Endpoint endpoint) {
        try {
            endpoint.handle(exchange);
        } catch (ApiError.Failure e) {
            fail(exchange, e.error());
        } catch (ControlException e) {
            fail(exchange, ApiError.from(e));
        } catch (Exception e) {
            log.error("{} {} failed", LogText.of(exchange.method()), LogText.of(exchange.path()), e);
            fail(
                    exchange,
                    ApiError.internal("internal error while answering " + exchange.method() + " " + exchange.path()
                            + "; the server's log has the details"));
        }
    }

    private static void fail(Exchange exchange, ApiError error) {
        if (exchange.response().isCommitted()) {
            exchange.callback().failed(new IllegalStateException(error.message()));
        } else {
            exchange.error(error);
        }
    }
}
