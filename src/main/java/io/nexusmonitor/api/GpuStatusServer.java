package io.nexusmonitor.api;

import io.nexusmonitor.gpu.GpuStatusJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code announce --status-port}: a read-only endpoint, {@code GET /status}, with this host's GPUs
 * as last read ({@link GpuStatusJson}), on Jetty like the API and behind the same Host rule ({@link
 * HostAllowList}: {@code localhost}, loopback, the bind address, and on a {@code 0.0.0.0} bind this
 * machine's interface addresses; a rebinding page's name is refused 403 {@code host_not_allowed}).
 * Nothing else is served: every other path is 404, every other method 405, and a request never
 * runs a GPU tool (the announcer reads on its own schedule), so polling cannot load the host.
 */
public final class GpuStatusServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private GpuStatusServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Listens on {@code host:port} (port 0: any free port), serving what {@code current} returns.
     *
     * @throws IOException when the address cannot be bound
     */
    public static GpuStatusServer start(String host, int port, Supplier<GpuStatusJson.Status> current)
            throws IOException {
        QueuedThreadPool pool = new QueuedThreadPool(4, 1);
        pool.setName("announce-status");
        pool.setDaemon(true);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(10_000);
        server.addConnector(connector);
        HostAllowList hosts = new HostAllowList(host, List.of(), connector::getLocalPort);
        server.setHandler(new StatusHandler(hosts, Objects.requireNonNull(current)));
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // it did not start
            }
            throw e instanceof IOException io ? io : new IOException("cannot listen on " + host + ":" + port, e);
        }
        return new GpuStatusServer(server, connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(GpuStatusServer.class).debug("stopping the status endpoint", e);
        }
    }

    private static final class StatusHandler extends Handler.Abstract {
        private final HostAllowList hosts;
        private final Supplier<GpuStatusJson.Status> current;

        StatusHandler(HostAllowList hosts, Supplier<GpuStatusJson.Status> current) {
            super(InvocationType.NON_BLOCKING);
            this.hosts = hosts;
            this.current = current;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            ApiError refused = hosts.check(request);
            String method = request.getMethod();
            String path = Request.getPathInContext(request);
            if (refused == null && !path.equals(GpuStatusJson.PATH)) {
                refused = ApiError.notFound("not_found", "not found: the only path is " + GpuStatusJson.PATH);
            }
            if (refused == null && !method.equals("GET") && !method.equals("HEAD")) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                refused = new ApiError(
                        405,
                        ApiError.INVALID_REQUEST,
                        "method_not_allowed",
                        "read-only: use GET " + GpuStatusJson.PATH);
            }
            if (refused != null) {
                Exchange.writeError(response, callback, refused);
                return true;
            }
            byte[] body = GpuStatusJson.write(current.get()).getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            if (method.equals("HEAD")) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, null, callback);
            } else {
                response.write(true, ByteBuffer.wrap(body), callback);
            }
            return true;
        }
    }
}
