package io.nexusmonitor.stats;

/**
 * Told about every request the gateway finished with a backend. Called on the proxy's
 * (non-blocking) thread: an implementation must only record and return.
 */
@FunctionalInterface
public interface RequestListener {
    RequestListener NONE = r -> {};

    void finished(RequestRecord record);
}
