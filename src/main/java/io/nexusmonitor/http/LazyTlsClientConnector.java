package io.nexusmonitor.http;

import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A Jetty {@link ClientConnector} that sets up TLS on the first https:// connection instead of
 * when the client starts. Setting it up loads the trust store and the JDK's TLS stack (about 500
 * classes); Jetty does it at start, which put it on every start's path to the first /health
 * answer although many setups never talk to an https backend.
 */
public final class LazyTlsClientConnector extends ClientConnector {
    private final Object tlsStart = new Object();

    @Override
    protected void doStart() throws Exception {
        if (getSslContextFactory() == null) {
            setSslContextFactory(newSslContextFactory());
        }
        // still a bean of this connector (it shows in dumps), but started below, on demand
        unmanage(getSslContextFactory());
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        // unmanaged, so stopping the connector does not stop it
        getSslContextFactory().stop();
    }

    @Override
    public ClientConnectionFactory newSslClientConnectionFactory(
            SslContextFactory.Client tls, ClientConnectionFactory factory) {
        SslContextFactory.Client used = tls == null ? getSslContextFactory() : tls;
        synchronized (tlsStart) {
            if (!used.isStarted()) {
                try {
                    used.start();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
                }
            }
        }
        return super.newSslClientConnectionFactory(used, factory);
    }
}
