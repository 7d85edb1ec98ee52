package io.nexusmonitor.api;

import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.registry.LogText;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Jetty handler: looks the request up in the {@link RouteTable}, runs the endpoint, and
 * turns anything an endpoint throws before answering into an OpenAI-shaped error.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final RouteTable routes;

    ApiHandler(RouteTable routes) {
        // every endpoint answers asynchronously and never blocks (bodies are read with demand,
        // upstream calls are async, writes complete through callbacks), so Jetty may run it on
        // the thread that parsed the request instead of handing it to another one
        super(InvocationType.NON_BLOCKING);
        this.routes = routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        RouteTable.Match match = routes.match(request.getMethod(), path);
        if (!match.found()) {
            if (match.pathExists()) {
                String allowed = String.join(", ", match.allowed());
                response.getHeaders().put(HttpHeader.ALLOW, allowed);
                Exchange.writeError(response, callback, ApiError.methodNotAllowed(request.getMethod(), path, allowed));
            } else {
                Exchange.writeError(response, callback, ApiError.noSuchPath(request.getMethod(), path));
            }
            return true;
        }
        run(new Exchange(request, response, callback, match.params()), match.endpoint());
        return true;
    }

    /**
     * Runs an endpoint (or an endpoint's async continuation) and answers anything it throws
     * before answering as an error: {@link ApiError.Failure} as itself, a refused user action
     * with its status (404/409/400), anything else as 500.
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
            fail(exchange, ApiError.internal("internal error: " + e));
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
