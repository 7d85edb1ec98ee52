package io.nexusmonitor.testing;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * What the tests' fake HTTP servers share: they listen on 127.0.0.1 only (a free port), and answer
 * each request once its whole body has been read as UTF-8 text.
 */
public final class LoopbackHttp {

    /** Answers one request whose body has been read; on a failed read {@code body} is null and {@code failure} says why. */
    @FunctionalInterface
    public interface BodyHandler {
        void handle(Request request, String body, Throwable failure, Response response, Callback callback);
    }

    private LoopbackHttp() {}

    /** Binds {@code connector} to 127.0.0.1 on a free port, adds it to {@code server} and serves every request with {@code handler}. */
    public static void serve(Server server, ServerConnector connector, BodyHandler handler) {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                // a plain promise: the fakes' handlers may block, so Jetty must not run them on its selector
                Content.Source.asString(
                        request,
                        StandardCharsets.UTF_8,
                        Promise.from(
                                body -> answer(handler, request, body, null, response, callback),
                                failure -> answer(handler, request, null, failure, response, callback)));
                return true;
            }
        });
    }

    /**
     * Runs the handler once. What it throws fails the request here: Jetty would hand it to the
     * promise's failure side, running the handler a second time for the same request.
     */
    private static void answer(
            BodyHandler handler,
            Request request,
            String body,
            Throwable failure,
            Response response,
            Callback callback) {
        try {
            handler.handle(request, body, failure, response, callback);
        } catch (RuntimeException e) {
            callback.failed(e);
        }
    }
}
