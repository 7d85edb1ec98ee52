package io.nexusmonitor.api;

import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Test-tree access to the gateway's {@link ResumeInPlaceThreadPool}, which stays package-private
 * in the product. Lets the bench's {@code GatewayFloor} run on the same thread pool as the gateway.
 */
public final class ResumeInPlacePools {
    private ResumeInPlacePools() {}

    public static QueuedThreadPool create(int maxThreads, int minThreads) {
        return new ResumeInPlaceThreadPool(maxThreads, minThreads);
    }
}
