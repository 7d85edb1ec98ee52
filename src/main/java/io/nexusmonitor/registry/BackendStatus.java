package io.nexusmonitor.registry;

/** Health of a backend as the registry knows it. */
public enum BackendStatus {
    /** Answers its health probe; routable. */
    HEALTHY,
    /** Answers, but is still loading a model (e.g. llama.cpp's 503 "loading model"); not routable yet. */
    LOADING,
    /** Failed {@code failure_threshold} consecutive probes; not routable. */
    UNHEALTHY,
    /** Not checked yet, health checks switched off, or no longer announced (grace period). */
    UNKNOWN,
    /** Finishing in-flight requests before removal; receives no new requests. */
    DRAINING,
    /**
     * A pinned, wakeable box ({@code wake_on_lan}, MAC known) that stopped answering: asleep, not broken.
     * Not routable until it wakes, no failure notices, not counted as unhealthy.
     */
    ASLEEP;

    /** The lower-case word used in JSON, logs and the window. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static BackendStatus fromWire(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
