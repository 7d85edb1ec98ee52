package io.nexusmonitor.registry;

/** The registry holds {@link RegistryLimits#maxBackends()} backends already; nothing more is added. */
public final class RegistryFullException extends RuntimeException {
    private final int limit;

    public RegistryFullException(int limit) {
        super("the registry is full: it holds " + limit + " backends, the most [limits] max_backends allows;"
                + " remove one first, or raise the limit");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
