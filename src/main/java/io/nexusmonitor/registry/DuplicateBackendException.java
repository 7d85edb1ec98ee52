package io.nexusmonitor.registry;

/** A backend with the same normalised URL is already registered. */
public final class DuplicateBackendException extends RuntimeException {
    private final transient Backend existing;

    public DuplicateBackendException(Backend existing) {
        super("a backend with URL " + existing.url() + " already exists (" + existing.name() + ", id " + existing.id()
                + ")");
        this.existing = existing;
    }

    public Backend existing() {
        return existing;
    }
}
