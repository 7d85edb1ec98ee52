package io.nexusmonitor.api;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.control.BackendControl;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API on Jetty 12 (core handlers: no servlet layer, since every endpoint is either a
 * small JSON answer or an async stream). It acts only through {@link BackendControl}, so the
 * window and headless mode serve the same thing. {@link #start()} binds, {@link #close()} stops.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final BackendControl control;
    private final ApiSettings settings;
    private final Server server;
    private final ServerConnector connector;

    public ApiServer(BackendControl control, NexusConfig config) {
        this(control, ApiSettings.from(config.server()));
    }

    public ApiServer(BackendControl control, ApiSettings settings) {
        this.control = Objects.requireNonNull(control);
        this.settings = Objects.requireNonNull(settings);
        QueuedThreadPool pool = new QueuedThreadPool(200, 4);
        pool.setName("nexus-api");
        pool.setDaemon(true);
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        // a streamed answer may pause (a model loading) for as long as a request may take
        connector.setIdleTimeout(Math.max(30_000, settings.requestTimeout().toMillis()));
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrorHandler());
        server.setHandler(new ApiHandler(routes()));
        // stop at once: a stream in flight is cut (its client sees the connection close), not awaited
        server.setStopTimeout(0);
    }

    private RouteTable routes() {
        BackendEndpoints backends = new BackendEndpoints(control);
        return new RouteTable()
                .add("GET", "/health", new HealthEndpoint(control))
                .add("GET", "/api/backends", backends::list)
                .add("GET", "/api/backends/{id}", backends::get);
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException with the address and the reason when it cannot listen
     */
    public ApiServer start() {
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw new IllegalStateException("cannot serve the HTTP API on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage() + " (choose another with --port or [server].port)", e);
        }
        log.info("HTTP API listening on {}", address());
        return this;
    }

    /** The port it listens on (the chosen one when configured as 0), or -1 before start. */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:8000}, with the real port. */
    public String address() {
        String h = settings.host();
        if (h.contains(":") && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port();
    }

    public ApiSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("HTTP API did not stop cleanly: {}", e.toString());
        }
    }
}
